"""The audit trail: every change of state anywhere in the system is recorded here.

Records are append-only: saving an existing record or deleting one raises, so the trail
can be trusted as evidence (who, when, before, after, why). The database refuses it too:
triggers reject any UPDATE or DELETE of an audit row, whatever SQL sends it
(:mod:`seonggwa.core.appendonly`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    """Raised when code tries to rewrite or delete an audit record."""


class AuditEventQuerySet(models.QuerySet):
    def for_object(self, obj: models.Model) -> AuditEventQuerySet:
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))

    def update(self, **kwargs):  # noqa: D401 - same signature as QuerySet.update
        raise AppendOnlyError("audit events cannot be updated")

    def delete(self):
        raise AppendOnlyError("audit events cannot be deleted")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("일시"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("처리자"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("처리자 표시"), max_length=150, blank=True)
    action = models.CharField(_("행위"), max_length=80, db_index=True)
    object_type = models.CharField(_("대상 종류"), max_length=100, db_index=True)
    object_id = models.CharField(_("대상 ID"), max_length=64, db_index=True)
    object_repr = models.CharField(_("대상"), max_length=300, blank=True)
    before = models.JSONField(_("변경 전"), null=True, blank=True)
    after = models.JSONField(_("변경 후"), null=True, blank=True)
    reason = models.TextField(_("사유"), blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("감사 기록")
        verbose_name_plural = _("감사 기록")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit events cannot be changed once written")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted")
