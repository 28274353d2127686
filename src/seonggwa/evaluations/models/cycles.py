from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from seonggwa.registry.models import Organisation, OrganisationKind


class Status(models.TextChoices):
    DRAFT = "draft", _("작성 중")
    FINALISED = "finalised", _("확정")
    PUBLISHED = "published", _("공개")


class Scheme(models.TextChoices):
    """The evaluation programme a round belongs to (SPEC schemes A–E)."""

    OUTSOURCING = "outsourcing", _("민간위탁 종합성과평가")
    CIVIC_PLATFORM = "civic_platform", _("민관협치 플랫폼 목표합의 평가")
    BSC = "bsc", _("BSC 성과평가")
    SUSTAINABILITY = "sustainability", _("지속가능발전 지표")
    JOINT = "joint", _("지방자치단체 합동평가")


class EvaluationYear(models.Model):
    """One year of the comprehensive evaluation (e.g. 2018: 44 services, 3 rounds)."""

    year = models.PositiveSmallIntegerField(_("연도"), unique=True)
    subjects_total = models.PositiveIntegerField(
        _("전체 대상 사무 수"), null=True, blank=True,
        help_text=_("'61개 사무 중 7개'의 61: 그 해 위탁기간 만료 도래 사무 수"),
    )
    scope = models.TextField(_("대상 기준(원문)"), blank=True)
    institutions = models.ManyToManyField(
        Organisation, verbose_name=_("평가기관"), blank=True, related_name="evaluation_years",
        limit_choices_to={"kind": OrganisationKind.INSTITUTION},
    )

    class Meta:
        ordering = ["year"]
        verbose_name = _("평가 연도")
        verbose_name_plural = _("평가 연도")

    def __str__(self) -> str:
        return str(self.year)


class RoundQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def outsourcing(self):
        return self.filter(scheme=Scheme.OUTSOURCING)


class Round(models.Model):
    """A round (1차/2차/3차) of a year. ``number`` is empty when the year had one round
    or its rounds are unknown.

    ``published_only``: the source publishes only summary figures and narratives for
    this round (2022 3rd, 2023 2nd), no per-service scores.
    """

    year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="rounds")
    scheme = models.CharField(_("평가 제도"), max_length=20, choices=Scheme.choices,
                              default=Scheme.OUTSOURCING)
    number = models.PositiveSmallIntegerField(_("차수"), null=True, blank=True)
    title = models.CharField(_("평가명"), max_length=200, blank=True)
    framework_version = models.ForeignKey(
        "evaluations.FrameworkVersion", verbose_name=_("평가틀 버전"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="rounds",
        help_text=_("점수가 하나라도 생기면 바꿀 수 없습니다 (새 버전은 새 차수에)."),
    )
    period_text = models.CharField(_("평가기간(원문)"), max_length=100, blank=True)
    start = models.DateField(_("평가 시작"), null=True, blank=True)
    end = models.DateField(_("평가 종료"), null=True, blank=True)
    institutions = models.ManyToManyField(
        Organisation, verbose_name=_("평가기관"), blank=True, related_name="rounds",
        limit_choices_to={"kind": OrganisationKind.INSTITUTION},
    )
    subjects_total = models.PositiveIntegerField(_("전체 대상 사무 수"), null=True, blank=True)
    status = models.CharField(
        _("상태"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_only = models.BooleanField(_("요약만 공개"), default=False)
    note = models.TextField(_("비고"), blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["year__year", "scheme", "number"]
        verbose_name = _("평가 차수")
        verbose_name_plural = _("평가 차수")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "year", "number"], name="evaluations_round_unique_number"
            ),
            models.UniqueConstraint(
                fields=["scheme", "year"], condition=Q(number__isnull=True),
                name="evaluations_round_one_unnumbered",
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True)
                | Q(end__gte=models.F("start")),
                name="evaluations_round_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        if self.title:
            return self.title
        if not self.number:
            return f"{self.year.year}"
        return gettext("%(year)s %(n)s차") % {"year": self.year.year, "n": self.number}

    @property
    def label(self) -> str:
        return str(self)


class PublishedSummary(models.Model):
    """Summary figures AS PUBLISHED for a year (``round`` empty) or one round.

    These are never recomputed or edited: statistics are recomputed from result rows and
    compared with them (:func:`seonggwa.evaluations.domain.statistics.published_vs_recomputed`).
    Shares are percentage points as printed (43 means 43%).
    """

    year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="summaries")
    round = models.OneToOneField(
        Round, null=True, blank=True, on_delete=models.CASCADE, related_name="summary"
    )
    evaluated_count = models.PositiveIntegerField(_("평가 사무 수"), null=True, blank=True)
    subjects_total = models.PositiveIntegerField(_("전체 대상 사무 수"), null=True, blank=True)
    average = models.DecimalField(
        _("평균"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    threshold = models.DecimalField(
        _("기준 점수"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    below_count = models.PositiveIntegerField(_("기준 미만 사무 수"), null=True, blank=True)
    below_share = models.DecimalField(
        _("기준 미만 비율(%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    previous_average = models.DecimalField(
        _("전년 평균"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    change_vs_previous = models.DecimalField(
        _("전년 대비 증감"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    multi_year_label = models.CharField(_("다년 평균 기간"), max_length=50, blank=True)
    multi_year_average = models.DecimalField(
        _("다년 평균"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    change_vs_multi_year = models.DecimalField(
        _("다년 평균 대비 증감"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    published_only = models.BooleanField(
        _("요약만 공개"), default=False,
        help_text=_("원자료(사무별 점수)가 공개되지 않아 재계산할 수 없는 수치"),
    )
    source = models.CharField(_("출처"), max_length=300, blank=True)
    # what the loader of a published document knows about it: its title, and the decimals
    # each figure was printed with ({"average": 2, "below_share": 0, ...}; null: unknown,
    # shown as stored)
    source_document = models.CharField(_("출처 문서"), max_length=300, blank=True)
    printed_decimals = models.JSONField(_("공표 자릿수"), null=True, blank=True)

    class Meta:
        ordering = ["year__year", "round__number"]
        verbose_name = _("공표 요약")
        verbose_name_plural = _("공표 요약")
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=Q(round__isnull=True),
                name="evaluations_summary_one_per_year",
            )
        ]

    def __str__(self) -> str:
        where = f" {self.round.number}차" if self.round_id and self.round.number else ""
        return f"{self.year.year}{where}: {self.evaluated_count} / {self.average}"
