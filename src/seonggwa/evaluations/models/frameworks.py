"""Framework versions stored in the database: immutable, validated documents.

A preset (``presets/*.yaml``) or an uploaded framework document is imported once as a
:class:`FrameworkVersion` — id, version, checksum and the validated (resolved) document —
through :func:`seonggwa.evaluations.domain.frameworks.import_framework_version`. A round
names the version it is scored under; once a score exists under it the round's version
cannot change, and the version row itself can never change (a new version is a new row).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from seonggwa import engine

# Parsed frameworks by checksum: a checksum names exactly one document, so the cache can
# never serve stale rules, whatever database or process asks.
_PARSED: dict[str, engine.Framework] = {}


class ImmutableError(RuntimeError):
    """Raised when code tries to change or delete a stored framework version."""


class FrameworkVersion(models.Model):
    framework_id = models.CharField(_("평가틀"), max_length=80)
    version = models.CharField(_("버전"), max_length=40)
    title = models.CharField(_("명칭"), max_length=300)
    title_en = models.CharField(_("영문 명칭"), max_length=300, blank=True)
    checksum = models.CharField(
        _("체크섬(sha256)"), max_length=64, unique=True,
        help_text=_("검증된 문서의 sha256: 같은 규칙이면 같은 값"),
    )
    document = models.JSONField(_("평가틀 문서"))
    source = models.CharField(_("출처"), max_length=300, blank=True)
    imported_at = models.DateTimeField(_("등록 일시"), auto_now_add=True)

    class Meta:
        ordering = ["framework_id", "version"]
        verbose_name = _("평가틀 버전")
        verbose_name_plural = _("평가틀 버전")
        constraints = [
            models.UniqueConstraint(fields=["framework_id", "version"],
                                    name="evaluations_framework_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.framework_id}@{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None and FrameworkVersion.objects.filter(pk=self.pk).exists():
            raise ImmutableError(
                f"framework version {self} is immutable: import a new version instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError(f"framework version {self} cannot be deleted")

    @property
    def framework(self) -> engine.Framework:
        """The engine's validated :class:`~seonggwa.engine.Framework` (parsed once per
        checksum)."""
        found = _PARSED.get(self.checksum)
        if found is None:
            found = engine.framework_from_dict(self.document, source=str(self))
            _PARSED[self.checksum] = found
        return found

    @classmethod
    def is_parsed(cls, checksum: str) -> bool:
        return checksum in _PARSED

    @classmethod
    def parsed(cls, checksum: str) -> engine.Framework:
        return _PARSED[checksum]
