"""What goes into a score, stored per round, subject and indicator.

- :class:`Rating`: one evaluator's value for a panel indicator (rating, survey, direct
  points). Every version is kept: a change supersedes the current row and adds a new one.
- :class:`Measurement`: a quantitative indicator's actual and (per-subject) target.
- :class:`NotApplicable`: the indicator is left out for this subject, with the reason.
- :class:`ClassificationOverride`: a manual 달성/일부달성/미달성 level, with the reason.

Written only by :mod:`seonggwa.evaluations.domain.inputs`; read by the one compute path
(:mod:`seonggwa.evaluations.domain.scoring`), which turns them into the engine's batch.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from seonggwa.evaluations.models.cycles import Round
from seonggwa.evaluations.models.subjects import Subject


class _Input(models.Model):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(_("지표"), max_length=60)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+")
    entered_label = models.CharField(_("입력자"), max_length=150, blank=True)
    entered_at = models.DateTimeField(_("입력 일시"), auto_now_add=True)

    class Meta:
        abstract = True


class Rating(_Input):
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("평가위원"))
    evaluator_label = models.CharField(
        _("평가자"), max_length=150,
        help_text=_("평가위원 이름 또는 '평가기관'처럼 점수를 낸 주체"))
    value = models.DecimalField(_("점수"), max_digits=12, decimal_places=4)
    version = models.PositiveIntegerField(_("버전"), default=1)
    superseded_at = models.DateTimeField(_("대체 일시"), null=True, blank=True)

    class Meta:
        ordering = ["round", "subject", "indicator", "evaluator_label", "version"]
        verbose_name = _("평가 점수")
        verbose_name_plural = _("평가 점수")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "subject", "indicator", "evaluator_label"],
                condition=Q(superseded_at__isnull=True), name="evaluations_rating_one_current"),
            models.UniqueConstraint(
                fields=["round", "subject", "indicator", "evaluator_label", "version"],
                name="evaluations_rating_unique_version"),
        ]
        indexes = [models.Index(fields=["round", "superseded_at"])]

    def __str__(self) -> str:
        return f"{self.subject} {self.indicator} {self.evaluator_label}: {self.value}"


class Measurement(_Input):
    actual = models.DecimalField(_("실적"), max_digits=20, decimal_places=6, null=True,
                                 blank=True)
    target = models.DecimalField(_("목표"), max_digits=20, decimal_places=6, null=True,
                                 blank=True)
    target_high = models.DecimalField(_("목표 상한"), max_digits=20, decimal_places=6,
                                      null=True, blank=True)

    class Meta:
        ordering = ["round", "subject", "indicator"]
        verbose_name = _("정량 실적")
        verbose_name_plural = _("정량 실적")
        constraints = [
            models.UniqueConstraint(fields=["round", "subject", "indicator"],
                                    name="evaluations_measurement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.indicator}: {self.actual} / {self.target}"


class NotApplicable(_Input):
    reason = models.TextField(_("사유"))

    class Meta:
        ordering = ["round", "subject", "indicator"]
        verbose_name = _("해당 없음")
        verbose_name_plural = _("해당 없음")
        constraints = [
            models.UniqueConstraint(fields=["round", "subject", "indicator"],
                                    name="evaluations_not_applicable_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.indicator}: N/A"


class ClassificationOverride(_Input):
    level = models.CharField(_("등급"), max_length=40)
    reason = models.TextField(_("사유"))

    class Meta:
        ordering = ["round", "subject", "indicator"]
        verbose_name = _("달성도 수동 판정")
        verbose_name_plural = _("달성도 수동 판정")
        constraints = [
            models.UniqueConstraint(fields=["round", "subject", "indicator"],
                                    name="evaluations_override_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.indicator}: {self.level}"
