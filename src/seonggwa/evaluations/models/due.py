from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from seonggwa.registry.models import Service


class DueAdjustment(models.Model):
    """An officer's adjustment to the computed due list of a year, with the reason.

    Append-only in practice: the latest adjustment per (year, service) applies; earlier
    ones stay as history. Written only by ``workflow.adjust_due``.
    """

    class Action(models.TextChoices):
        INCLUDE = "include", _("대상 추가")
        EXCLUDE = "exclude", _("대상 제외")
        MOVE = "move", _("차수 변경")
        RESET = "reset", _("조정 취소")

    year = models.PositiveSmallIntegerField(_("연도"))
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="due_adjustments")
    action = models.CharField(_("조정"), max_length=10, choices=Action.choices)
    round_number = models.PositiveSmallIntegerField(_("차수"), null=True, blank=True)
    reason = models.TextField(_("사유"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "service", "at", "id"]
        verbose_name = _("평가대상 조정")
        verbose_name_plural = _("평가대상 조정")

    def __str__(self) -> str:
        return f"{self.year} {self.service} {self.action}"
