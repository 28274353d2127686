"""Each subject's schedule in a round: what period is evaluated, when documents are due,
when and where the panel meets — and whether it is evaluated early because it withdrew."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

PLACE_MAX = 200
REASON_MAX = 1000


class ProjectYear(models.IntegerChoices):
    FIRST = 1, _("1년차")
    SECOND = 2, _("2년차")


class Schedule(models.Model):
    round = models.ForeignKey("evaluations.Round", on_delete=models.CASCADE,
                              related_name="schedules", verbose_name=_("평가 차수"))
    subject = models.ForeignKey("evaluations.Subject", on_delete=models.PROTECT,
                                related_name="schedules", verbose_name=_("평가 대상"))
    project_year = models.PositiveSmallIntegerField(
        _("사업 연차"), choices=ProjectYear.choices, null=True, blank=True)
    period_start = models.DateField(_("평가 대상 기간 시작"), null=True, blank=True)
    period_end = models.DateField(_("평가 대상 기간 끝"), null=True, blank=True)
    submission_due = models.DateField(_("자료 제출 기한"), null=True, blank=True)
    meeting_at = models.DateTimeField(_("평가 회의 일시"), null=True, blank=True)
    place = models.CharField(_("장소"), max_length=PLACE_MAX, blank=True)
    early = models.BooleanField(_("조기 평가"), default=False,
                                help_text=_("사업을 중도 포기하여 앞당겨 평가"))
    early_reason = models.TextField(_("조기 평가 사유"), max_length=REASON_MAX, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "meeting_at", "subject__name"]
        verbose_name = _("평가 일정")
        verbose_name_plural = _("평가 일정")
        constraints = [
            models.UniqueConstraint(fields=["round", "subject"],
                                    name="schedules_schedule_one_per_subject"),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True) | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="schedules_schedule_period_ordered"),
            models.CheckConstraint(condition=Q(early=False) | ~Q(early_reason=""),
                                   name="schedules_schedule_early_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.subject}"
