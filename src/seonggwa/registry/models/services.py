from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from seonggwa.core.identifiers import KEY_MAX_LENGTH, validate_key
from seonggwa.registry.models.organisations import Organisation, OrganisationKind


class ServiceQuerySet(models.QuerySet):
    def for_department(self, organisation: Organisation):
        return self.filter(department=organisation)

    def for_contractor(self, organisation: Organisation):
        """Services where ``organisation`` holds (or held) a contract or was evaluated."""
        return self.filter(
            Q(contract_periods__contractors=organisation) | Q(results__contractors=organisation)
        ).distinct()


class Service(models.Model):
    """An outsourced service (위탁사무), one row across all the years it was evaluated.

    ``key`` is the canonical key that links the names as written in each year
    (:class:`ServiceName`); it is a URL path segment, so it follows
    :mod:`seonggwa.core.identifiers` (checked by the field's validator). ``annual_cost``
    is in won (integer).
    """

    key = models.CharField(
        _("사무 키"), max_length=KEY_MAX_LENGTH, unique=True, validators=[validate_key],
        help_text=_("주소에 쓰이는 키: 글자·숫자·'_'·'-'·'.'만, 120자까지 (예: svc-0139)."))
    name = models.CharField(_("사무명"), max_length=300)
    department = models.ForeignKey(
        Organisation,
        verbose_name=_("사업부서"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="services",
        limit_choices_to={"kind": OrganisationKind.DEPARTMENT},
    )
    annual_cost = models.BigIntegerField(_("연 사업비(원)"), null=True, blank=True)
    has_statutory_evaluation = models.BooleanField(
        _("법령·조례상 별도 평가체계"), default=False
    )
    notes = models.TextField(_("비고"), blank=True)
    # The service's current result (its latest outsourcing evaluation) and the figures the
    # office list filters and sorts on, kept by the evaluation workflow whenever a result
    # is written (``evaluations.domain.current``), so the list uses indexes at any size.
    latest_result = models.ForeignKey(
        "evaluations.Result", verbose_name=_("최근 평가 결과"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False)
    latest_score = models.DecimalField(_("최근 점수"), max_digits=9, decimal_places=2,
                                       null=True, blank=True, editable=False)
    latest_year = models.PositiveIntegerField(_("최근 평가 연도"), null=True, blank=True,
                                              editable=False)
    latest_decision_code = models.CharField(_("최근 판정 코드"), max_length=40, blank=True,
                                            editable=False)
    latest_contractor_name = models.CharField(_("최근 수탁기관(원문)"), max_length=300,
                                              blank=True, editable=False)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("위탁사무")
        verbose_name_plural = _("위탁사무")
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_cost__isnull=True) | Q(annual_cost__gte=0),
                name="registry_service_cost_nonnegative",
            )
        ]
        indexes = [  # the office list's default order, sorts and filters
            models.Index(fields=["name", "id"], name="registry_service_name_idx"),
            models.Index(fields=["latest_score", "name"], name="registry_service_score_idx"),
            models.Index(fields=["latest_year", "name"], name="registry_service_year_idx"),
            models.Index(fields=["latest_decision_code", "latest_score"],
                         name="registry_service_decision_idx"),
            models.Index(fields=["latest_contractor_name", "name"],
                         name="registry_service_contr_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class MatchKind(models.TextChoices):
    ANCHOR = "anchor", _("기준 명칭")
    EXACT = "exact", _("동일 명칭")
    REVIEWED = "reviewed", _("검토 후 연결")


class ServiceName(models.Model):
    """A service's name as written in one year's table, and how it was linked.

    ``anchor``: the first occurrence, whose name is the canonical name; ``exact``: the
    same text as the canonical name; ``reviewed``: a person decided that
    a differently written name is the same service (e.g. "홍릉 바이오·의료 R&D 앵커시설
    관리 및 운영" in 2019 and "홍릉 바이오·의료 R&D 앵커시설" in 2020).
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="names")
    year = models.PositiveSmallIntegerField(_("연도"))
    round_number = models.PositiveSmallIntegerField(_("차수"), null=True, blank=True)
    seq = models.PositiveIntegerField(_("연번"), null=True, blank=True)
    name = models.CharField(_("사무명(원문)"), max_length=300)
    name_corrected = models.CharField(
        _("사무명(정정)"), max_length=300, blank=True,
        help_text=_("원문 표기 오류를 바로잡은 이름 (원문은 name에 그대로)"),
    )
    match = models.CharField(_("연결 방식"), max_length=10, choices=MatchKind.choices)
    note = models.CharField(_("연결 근거"), max_length=300, blank=True)

    class Meta:
        ordering = ["year", "round_number", "seq"]
        verbose_name = _("연도별 사무명")
        verbose_name_plural = _("연도별 사무명")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "year", "name"], name="registry_servicename_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name} ({self.match})"


class ContractPeriod(models.Model):
    """One consignment or contract period of a service; consortia have several contractors.

    ``previous`` chains re-contracts (재계약) and re-consignments (재위탁).
    """

    class Kind(models.TextChoices):
        NEW = "new", _("신규 위탁")
        RECONSIGNMENT = "reconsignment", _("재위탁")
        RECONTRACT = "recontract", _("재계약")

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="contract_periods"
    )
    contractors = models.ManyToManyField(
        Organisation,
        verbose_name=_("수탁기관"),
        related_name="contract_periods",
        limit_choices_to={"kind": OrganisationKind.CONTRACTOR},
    )
    kind = models.CharField(_("구분"), max_length=20, choices=Kind.choices, default=Kind.NEW)
    start = models.DateField(_("시작일"))
    end = models.DateField(_("종료일"))
    previous = models.OneToOneField(
        "self",
        verbose_name=_("직전 계약"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next",
    )
    note = models.CharField(_("비고"), max_length=300, blank=True)

    class Meta:
        ordering = ["service", "start"]
        verbose_name = _("위탁기간")
        verbose_name_plural = _("위탁기간")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="registry_contract_end_after_start"
            )
        ]
        indexes = [models.Index(fields=["end"])]

    def __str__(self) -> str:
        return f"{self.service} {self.start}–{self.end}"

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError(
                {"end": _("위탁기간 종료일(%(end)s)이 시작일(%(start)s)보다 빠릅니다.")
                 % {"end": self.end, "start": self.start}}
            )
        if self.previous_id and self.previous and self.previous.service_id != self.service_id:
            raise ValidationError({"previous": _("직전 계약은 같은 사무의 계약이어야 합니다.")})
