"""The messages shown after an action, with Korean particles resolved.

A message is often built from a pair-written template ("'%(name)s'을(를) 등록했습니다.")
and a name known only at run time; this storage resolves the pair before the message is
kept (:func:`seonggwa.core.language.resolve_particles`), so every view's message reads as
written Korean without each view remembering to do it.
"""

from __future__ import annotations

from django.contrib.messages.storage.fallback import FallbackStorage

from seonggwa.core.language import resolve_particles


class ParticleStorage(FallbackStorage):
    def add(self, level, message, extra_tags=""):
        super().add(level, resolve_particles(str(message)) if message else message, extra_tags)
