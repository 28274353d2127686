"""Scoring sheets (평가표): one per round, subject and panel member.

Thin models. Every change goes through :mod:`seonggwa.sheets.domain.sheets` (state
machine, audit, the one write path of ratings); views never set a field here.

- :class:`Sheet`: the member's sheet for a subject in a round, in a state (작성 중,
  제출, 재작성 중), with the label the member's ratings are stored under.
- :class:`SheetEntry`: the member's current (draft or submitted) rating and texts for one
  indicator — 성과 (outcomes), 한계 (limits), 개선방향 (improvement directions) — and the
  justification an outlying or minimum rating needs.
- :class:`SheetVersion`: what was submitted, kept for ever (append-only): a snapshot of
  every entry at each submission.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from seonggwa.evaluations.models import Round, Subject


class SheetState(models.TextChoices):
    DRAFT = "draft", _("작성 중")
    SUBMITTED = "submitted", _("제출")
    REOPENED = "reopened", _("재작성 중")


class Sheet(models.Model):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="sheets",
                              verbose_name=_("평가 차수"))
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="sheets",
                                verbose_name=_("평가 대상"))
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="sheets", verbose_name=_("평가위원"))
    # The name the member's ratings are stored under (evaluations.Rating.evaluator_label),
    # fixed when the sheet is opened so every version lands on the same rating.
    evaluator_label = models.CharField(_("평가자 표시명"), max_length=150)
    state = models.CharField(_("상태"), max_length=12, choices=SheetState.choices,
                             default=SheetState.DRAFT)
    synthetic = models.BooleanField(
        _("합성(시연용) 자료"), default=False,
        help_text=_("시연을 위해 만든 평가표입니다. 실제 평가위원의 평가가 아닙니다."))
    submitted_versions = models.PositiveIntegerField(_("제출 횟수"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "subject", "evaluator_label"]
        verbose_name = _("평가표")
        verbose_name_plural = _("평가표")
        constraints = [
            models.UniqueConstraint(fields=["round", "subject", "evaluator"],
                                    name="sheets_sheet_one_per_member"),
            models.UniqueConstraint(fields=["round", "subject", "evaluator_label"],
                                    name="sheets_sheet_unique_label"),
        ]
        indexes = [models.Index(fields=["round", "state"], name="sheets_round_state_idx")]

    def __str__(self) -> str:
        # Language-neutral: kept in the audit trail.
        return f"{self.round} · {self.subject} · {self.evaluator_label}"


class SheetEntry(models.Model):
    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="entries")
    indicator = models.CharField(_("지표"), max_length=60)
    value = models.DecimalField(_("평점"), max_digits=12, decimal_places=4, null=True,
                                blank=True)
    outcomes = models.TextField(_("성과"), blank=True)
    limits = models.TextField(_("한계"), blank=True)
    improvements = models.TextField(_("개선방향"), blank=True)
    justification = models.TextField(_("평점 사유"), blank=True)

    class Meta:
        ordering = ["sheet", "id"]
        verbose_name = _("평가표 항목")
        verbose_name_plural = _("평가표 항목")
        constraints = [models.UniqueConstraint(fields=["sheet", "indicator"],
                                               name="sheets_entry_unique_indicator")]

    def __str__(self) -> str:
        return f"{self.sheet_id} {self.indicator}: {self.value}"


class SheetVersion(models.Model):
    """One submission of a sheet, as submitted (never changed, never deleted)."""

    sheet = models.ForeignKey(Sheet, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("버전"))
    # {indicator: {"value": "4", "outcomes": …, "limits": …, "improvements": …,
    #  "justification": …}} in the framework's order.
    entries = models.JSONField(_("제출 내용"))
    synthetic = models.BooleanField(_("합성(시연용) 자료"), default=False)
    reason = models.TextField(_("재제출 사유"), blank=True,
                              help_text=_("다시 열 때 평가담당관이 적은 사유"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    submitted_label = models.CharField(max_length=150, blank=True)
    submitted_at = models.DateTimeField(_("제출 일시"), auto_now_add=True)

    class Meta:
        ordering = ["sheet", "number"]
        verbose_name = _("평가표 제출본")
        verbose_name_plural = _("평가표 제출본")
        constraints = [models.UniqueConstraint(fields=["sheet", "number"],
                                               name="sheets_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.sheet} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("a submitted sheet version is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("a submitted sheet version is never deleted")
