"""What the evaluators cite about a service's operation: inspections, audits, figures."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from seonggwa.registry.models.services import Service


class CouncilConsent(models.Model):
    """A council consent (시의회 동의) to consigning the service (조례 제4조의3)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="council_consents")
    date = models.DateField(_("동의일"))
    note = models.CharField(_("비고"), max_length=300, blank=True)

    class Meta:
        ordering = ["service", "date"]
        verbose_name = _("의회 동의")
        verbose_name_plural = _("의회 동의")

    def __str__(self) -> str:
        return f"{self.service} {self.date}"


class InspectionFinding(models.Model):
    """Findings of a guidance inspection (지도·점검, 조례 제16조) in one year."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="inspection_findings"
    )
    year = models.PositiveSmallIntegerField(_("연도"))
    date = models.DateField(_("점검일"), null=True, blank=True)
    count = models.PositiveIntegerField(_("지적 건수"), default=1)
    text = models.TextField(_("지적 내용"), blank=True)
    corrective_demand = models.BooleanField(_("시정요구"), default=True)

    class Meta:
        ordering = ["service", "year"]
        verbose_name = _("지도점검 지적사항")
        verbose_name_plural = _("지도점검 지적사항")

    def __str__(self) -> str:
        return f"{self.service} {self.year} ({self.count})"


class AuditResult(models.Model):
    """An audit (회계감사 or other 감사) of the service and its outcome."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="audit_results")
    year = models.PositiveSmallIntegerField(_("연도"))
    date = models.DateField(_("감사일"), null=True, blank=True)
    auditor = models.CharField(_("감사기관"), max_length=200, blank=True)
    finding_count = models.PositiveIntegerField(_("지적 건수"), default=0)
    summary = models.TextField(_("결과"), blank=True)

    class Meta:
        ordering = ["service", "year"]
        verbose_name = _("감사 결과")
        verbose_name_plural = _("감사 결과")

    def __str__(self) -> str:
        return f"{self.service} {self.year} {self.auditor}"


class FigureKind(models.TextChoices):
    STAFF_TURNOVER = "staff_turnover", _("이직률")
    BUDGET_EXECUTION = "budget_execution", _("예산 집행률")
    SATISFACTION = "satisfaction", _("만족도")
    TARGET = "target", _("목표")
    ACTUAL = "actual", _("실적")


class OperatingFigure(models.Model):
    """A yearly (``quarter`` empty) or quarterly operating figure.

    Percentages (turnover, budget execution, satisfaction) are stored as percentage
    points with ``unit="%"`` (88.02 means 88.02%). ``indicator`` names the measure for
    targets and actuals (e.g. "방문객 수").
    """

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="operating_figures"
    )
    year = models.PositiveSmallIntegerField(_("연도"))
    quarter = models.PositiveSmallIntegerField(_("분기"), null=True, blank=True)
    kind = models.CharField(_("구분"), max_length=20, choices=FigureKind.choices)
    indicator = models.CharField(_("지표"), max_length=200, blank=True)
    value = models.DecimalField(_("값"), max_digits=18, decimal_places=4)
    unit = models.CharField(_("단위"), max_length=20, blank=True)
    period_text = models.CharField(
        _("기간(원문)"), max_length=100, blank=True,
        help_text=_("원문의 기간 표기 ('최근 3년간' 등). 연도가 명시되지 않으면 출처 문서의 연도"),
    )
    source = models.CharField(_("출처"), max_length=300, blank=True)

    class Meta:
        ordering = ["service", "kind", "indicator", "year", "quarter"]
        verbose_name = _("운영 지표")
        verbose_name_plural = _("운영 지표")
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                name="registry_figure_quarter_1_4",
            ),
            models.UniqueConstraint(
                fields=["service", "kind", "indicator", "year"],
                condition=Q(quarter__isnull=True),
                name="registry_figure_unique_yearly",
            ),
            models.UniqueConstraint(
                fields=["service", "kind", "indicator", "year", "quarter"],
                condition=Q(quarter__isnull=False),
                name="registry_figure_unique_quarterly",
            ),
        ]

    def __str__(self) -> str:
        q = f" Q{self.quarter}" if self.quarter else ""
        return f"{self.service} {self.year}{q} {self.kind} {self.value}{self.unit}"
