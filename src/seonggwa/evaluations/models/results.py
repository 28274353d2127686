from __future__ import annotations

from decimal import Decimal
from functools import cached_property

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from seonggwa.evaluations.models.cycles import Round, Scheme, Status
from seonggwa.evaluations.models.frameworks import FrameworkVersion
from seonggwa.evaluations.models.subjects import Subject
from seonggwa.registry.models import Organisation, OrganisationKind, Service

SCORE_MIN = Decimal("0")


class ResultQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: results whose status is published."""
        return self.filter(status=Status.PUBLISHED)

    def finalised_or_published(self):
        return self.filter(status__in=[Status.FINALISED, Status.PUBLISHED])

    def outsourcing(self):
        """Results of the outsourced-service evaluation (the outsourcing pages' scope)."""
        return self.filter(round__scheme=Scheme.OUTSOURCING)

    def in_year(self, year: int):
        return self.filter(round__year__year=year)

    def for_department(self, organisation: Organisation):
        return self.filter(Q(department=organisation) | Q(service__department=organisation))

    def for_contractor(self, organisation: Organisation):
        return self.filter(contractors=organisation).distinct()

    def with_related(self):
        return self.select_related(
            "service", "service__department", "department", "round", "round__year"
        )


class Result(models.Model):
    """A subject's outcome in a round, as the engine computed it from the stored inputs.

    ``score`` is the total as published — rounded by the framework's rule — on the
    framework's own scale (``scale_max``: 100 for outsourcing, 200 for civic platforms);
    ``raw_total`` is the unrounded total, ``counted_max`` the points of what was counted
    (below ``scale_max`` when indicators were not applicable and the total rescaled).
    ``band_code`` and ``decision_code`` are codes of the framework document, whose labels
    (Korean, English) are read from it. ``framework_version`` and ``policy_id`` say what
    produced the result, so it can always be explained and recomputed. Per-area and
    per-indicator outcomes are :class:`AreaOutcome` and :class:`IndicatorOutcome`.

    Written only by :mod:`seonggwa.evaluations.domain.scoring` (the one compute path).
    The outsourcing columns (``service``, ``seq``, names as written, ``department``,
    ``contractors``, ``remark``) record the published row of an outsourced service and
    are empty for other kinds of subject.
    """

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="results",
                                verbose_name=_("평가 대상"))
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="results")
    # The round's year and number, copied when the result is created (a round never moves),
    # so lists order results with an index on this table instead of sorting a join of three.
    year = models.PositiveSmallIntegerField(_("평가 연도"), null=True, editable=False)
    round_number = models.PositiveSmallIntegerField(_("평가 차수"), null=True, editable=False)
    framework_version = models.ForeignKey(
        FrameworkVersion, verbose_name=_("평가틀 버전"), on_delete=models.PROTECT,
        related_name="results")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="results",
                                null=True, blank=True)
    seq = models.PositiveIntegerField(_("연번"), null=True, blank=True)
    service_name = models.CharField(_("사무명(원문)"), max_length=300, blank=True)
    department = models.ForeignKey(
        Organisation, verbose_name=_("사업부서"), on_delete=models.PROTECT,
        related_name="department_results", null=True, blank=True,
        limit_choices_to={"kind": OrganisationKind.DEPARTMENT},
    )
    contractor_name = models.CharField(_("수탁기관(원문)"), max_length=300, blank=True)
    contractors = models.ManyToManyField(
        Organisation, verbose_name=_("수탁기관"), related_name="contractor_results",
        limit_choices_to={"kind": OrganisationKind.CONTRACTOR},
    )
    score = models.DecimalField(_("점수"), max_digits=9, decimal_places=2)
    raw_total = models.DecimalField(_("점수(반올림 전)"), max_digits=16, decimal_places=6)
    scale_max = models.DecimalField(_("만점"), max_digits=9, decimal_places=2)
    counted_max = models.DecimalField(_("반영 배점"), max_digits=9, decimal_places=2)
    band_code = models.CharField(_("등급 코드"), max_length=40, blank=True)
    remark = models.CharField(_("비고(원문)"), max_length=300, blank=True)
    status = models.CharField(
        _("상태"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    policy_id = models.CharField(_("기준 정책"), max_length=80, blank=True)
    decision_code = models.CharField(_("판정 코드"), max_length=40, blank=True, db_index=True)
    decided_at = models.DateTimeField(_("판정 일시"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        ordering = ["year", "round_number", "seq", "id"]
        verbose_name = _("평가 결과")
        verbose_name_plural = _("평가 결과")
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "round"], name="evaluations_result_unique_subject_round"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0), name="evaluations_result_score_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["score"]),
            # statistics aggregate per round (covering: no table read on PostgreSQL)
            models.Index(fields=["round", "status", "score"],
                         name="evaluations_result_stats_idx"),
            # a service's result of a year (the office list's year filter)
            models.Index(fields=["service", "round"], name="evaluations_result_svc_rnd_idx"),
            # the default order of every result list (public results, exports)
            models.Index(fields=["year", "round_number", "seq", "id"],
                         name="evaluations_result_order_idx"),
        ]

    def __str__(self) -> str:
        # Language-neutral: this text is kept in the audit trail, read in either language.
        rnd = self.round
        when = f"{rnd.year.year}-{rnd.number}" if rnd.number else f"{rnd.year.year}"
        return f"{self.service_name or self.subject} ({when}) {self.score}"

    def save(self, *args, **kwargs):
        if self.year is None and self.round_id is not None:
            self.year, self.round_number = self.round.year.year, self.round.number
        super().save(*args, **kwargs)

    @property
    def framework(self):
        return self.framework_version.framework

    @property
    def decision(self):
        """The decision's definition (code, Korean and English label) from the framework
        document the result was computed under, or ``None``."""
        if not self.decision_code:
            return None
        return self.framework.decision_def(self.decision_code)

    @cached_property
    def score_decimals(self) -> int:
        """The decimals its total is shown with: its framework's ``rounding.decimals``
        (``{{ r.score|score:r.score_decimals }}``; a list sets it for all its rows at
        once, :func:`seonggwa.evaluations.interfaces.presentation.label_decisions`)."""
        return self.framework.decimals

    @property
    def is_locked(self) -> bool:
        """Finalised and published results change only through a correction (정정)."""
        return self.status in (Status.FINALISED, Status.PUBLISHED)


class AreaOutcome(models.Model):
    """The engine's points for one area of a result (after the area rule and rescaling)."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="area_outcomes")
    area = models.CharField(_("영역"), max_length=60)
    points = models.DecimalField(_("점수"), max_digits=14, decimal_places=6, null=True)
    max_points = models.DecimalField(_("반영 배점"), max_digits=14, decimal_places=6,
                                     null=True)

    class Meta:
        ordering = ["result", "id"]
        verbose_name = _("영역별 결과")
        verbose_name_plural = _("영역별 결과")
        constraints = [models.UniqueConstraint(fields=["result", "area"],
                                               name="evaluations_area_outcome_unique")]

    def __str__(self) -> str:
        return f"{self.area}: {self.points} / {self.max_points}"


class IndicatorOutcome(models.Model):
    """The engine's outcome for one indicator of a result: points, panel spread, status."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE,
                               related_name="indicator_outcomes")
    indicator = models.CharField(_("지표"), max_length=60)
    points = models.DecimalField(_("점수"), max_digits=14, decimal_places=6, null=True)
    max_points = models.DecimalField(_("배점"), max_digits=14, decimal_places=6)
    sd = models.DecimalField(_("표준편차"), max_digits=14, decimal_places=6, null=True)
    panel_count = models.PositiveSmallIntegerField(_("평가 인원"), default=0)
    achievement = models.DecimalField(_("달성률"), max_digits=14, decimal_places=6, null=True)
    classification = models.CharField(_("달성도"), max_length=40, blank=True)
    class_overridden = models.BooleanField(_("수동 판정"), default=False)
    status = models.CharField(_("상태"), max_length=20)

    class Meta:
        ordering = ["result", "id"]
        verbose_name = _("지표별 결과")
        verbose_name_plural = _("지표별 결과")
        constraints = [models.UniqueConstraint(fields=["result", "indicator"],
                                               name="evaluations_indicator_outcome_unique")]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.points} / {self.max_points}"


class Narrative(models.Model):
    """Scope (사업내용) of a service as evaluated in a round, with ordered items."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="narratives")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="narratives")
    order = models.PositiveIntegerField(_("순서"), null=True, blank=True)
    service_name = models.CharField(_("사무명(원문)"), max_length=300)
    scope = models.TextField(_("사업내용"), blank=True)

    class Meta:
        ordering = ["round__year__year", "round__number", "order"]
        verbose_name = _("평가 서술")
        verbose_name_plural = _("평가 서술")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "round"], name="evaluations_narrative_unique_service_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.service_name}"

    @property
    def achievements(self):
        return [i for i in self.items.all() if i.kind == ItemKind.ACHIEVEMENT]

    @property
    def improvement_tasks(self):
        return [i for i in self.items.all() if i.kind == ItemKind.IMPROVEMENT]


class ItemKind(models.TextChoices):
    ACHIEVEMENT = "achievement", _("주요 성과")
    IMPROVEMENT = "improvement", _("개선 과제")


class FollowUpStatus(models.TextChoices):
    """What the next evaluation found about an improvement task (성과환류)."""

    OPEN = "open", _("미확인")
    IN_PROGRESS = "in_progress", _("추진중")
    DONE = "done", _("추진완료")
    NOT_DONE = "not_done", _("미이행")


class NarrativeItem(models.Model):
    narrative = models.ForeignKey(Narrative, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("구분"), max_length=12, choices=ItemKind.choices)
    order = models.PositiveIntegerField(_("순서"))
    text = models.TextField(_("내용"))
    follow_up_status = models.CharField(
        _("이행 상태"), max_length=12, choices=FollowUpStatus.choices, blank=True,
        help_text=_("개선 과제만: 다음 평가에서 확인한 이행 상태"),
    )
    follow_up_note = models.TextField(_("이행 확인 내용"), blank=True)
    follow_up_round = models.ForeignKey(
        Round, verbose_name=_("확인한 평가"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        ordering = ["narrative", "kind", "order"]
        verbose_name = _("서술 항목")
        verbose_name_plural = _("서술 항목")
        constraints = [
            models.UniqueConstraint(
                fields=["narrative", "kind", "order"], name="evaluations_item_unique_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.order}: {self.text[:40]}"


class ResultTally(models.Model):
    """How many results of a round, in a status, have a score in one whole point
    (``point`` = ⌊score⌋; ``whole``: the score is exactly that point), and the exact sum
    of their scores in hundredths.

    Statistics pages (home, year page, dashboard) read these few rows per round instead
    of every result. Kept by database triggers on ``evaluations_result`` (migration
    0008): every insert, update of round, status or score, and delete — whichever code
    path or bulk statement makes it — adjusts its bucket in the same transaction, so the
    tally cannot drift from the rows. Never written by application code.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20)
    point = models.IntegerField()
    whole = models.BooleanField()
    n = models.IntegerField()
    cents = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "status", "point", "whole"],
                                               name="evaluations_tally_bucket")]

    def __str__(self) -> str:
        return f"{self.round_id} {self.status} {self.point}: {self.n}"


class YearResult(models.Model):
    """A service's result of a year: its latest outsourcing evaluation in that year
    (latest round, then the latest row) with the figures the office list filters and
    sorts on, one row per (service, year).

    The service list filtered by a year joins this table (indexed on year and score)
    instead of looking up every service's results of the year. Kept by database triggers
    on ``evaluations_result`` (migration 0009) in the same transaction as any write of a
    result, whichever path makes it; never written by application code.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="year_results")
    year = models.PositiveSmallIntegerField()
    # kept by the triggers, which replace the row when its result goes: nothing for
    # Django's delete collector to do
    result = models.ForeignKey(Result, on_delete=models.DO_NOTHING, db_constraint=False,
                               related_name="+")
    score = models.DecimalField(max_digits=9, decimal_places=2)
    decision_code = models.CharField(max_length=40, blank=True)
    contractor_name = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "year"],
                                               name="evaluations_year_result_once")]
        indexes = [models.Index(fields=["year", "score"], name="evaluations_yr_score_idx"),
                   models.Index(fields=["year", "service"], name="evaluations_yr_service_idx")]

    def __str__(self) -> str:
        return f"{self.service_id} {self.year}: {self.score}"
