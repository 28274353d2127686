"""Who is assigned to evaluate or review what: the scope of evaluators and committees.

An evaluator or committee member sees the rounds and subjects they are assigned to, and
nothing else (:mod:`seonggwa.access`). ``subject`` empty = the whole round. Officers
assign through :mod:`seonggwa.evaluations.domain.assignments` (audited).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from seonggwa.evaluations.models.cycles import Round
from seonggwa.evaluations.models.subjects import Subject


class Assignment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="evaluation_assignments", verbose_name=_("사용자"))
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="assignments",
                              verbose_name=_("평가 차수"))
    subject = models.ForeignKey(Subject, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="assignments", verbose_name=_("평가 대상"),
                                help_text=_("비워 두면 차수 전체"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    assigned_label = models.CharField(max_length=150, blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "user", "subject"]
        verbose_name = _("평가 배정")
        verbose_name_plural = _("평가 배정")
        constraints = [
            models.UniqueConstraint(fields=["user", "round", "subject"],
                                    name="evaluations_assignment_unique"),
            models.UniqueConstraint(fields=["user", "round"], condition=Q(subject__isnull=True),
                                    name="evaluations_assignment_one_whole_round"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.round} {self.subject or ''}".strip()
