"""Which language a page is in, asked one way.

Korean is the default and English the second locale (``settings.LANGUAGES``). Every part
that picks a Korean or an English text asks :func:`is_english` (or :func:`shown` for a
Korean/English pair) instead of reading ``get_language()`` itself, so "English" means the
same thing everywhere (``en``, ``en-us``, …) and no page mixes the two.
"""

from __future__ import annotations

from django.utils.translation import get_language


def is_english() -> bool:
    """True when the active language is English (any ``en-*`` variant)."""
    return (get_language() or "ko").lower().startswith("en")


def lang() -> str:
    """``"en"`` or ``"ko"``: the active language as the two codes texts are kept in."""
    return "en" if is_english() else "ko"


def shown(label: str, label_en: str | None) -> str:
    """The label in the active language: the English one when English is active and it
    is given, else the Korean one."""
    return label_en if label_en and is_english() else label
