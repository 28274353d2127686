from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from seonggwa.evaluations.models.cycles import Round, Status
from seonggwa.registry.models import Organisation, OrganisationKind, Service

SCORE_MIN = Decimal("0")
SCORE_MAX = Decimal("100")


class ResultQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: results whose status is published."""
        return self.filter(status=Status.PUBLISHED)

    def finalised_or_published(self):
        return self.filter(status__in=[Status.FINALISED, Status.PUBLISHED])

    def in_year(self, year: int):
        return self.filter(round__year__year=year)

    def for_department(self, organisation: Organisation):
        return self.filter(Q(department=organisation) | Q(service__department=organisation))

    def for_contractor(self, organisation: Organisation):
        return self.filter(contractors=organisation).distinct()

    def excluded(self):
        """Results whose decision excludes the contractor from re-contract."""
        return self.filter(decision_code="exclude")

    def with_related(self):
        return self.select_related(
            "service", "service__department", "department", "round", "round__year"
        )


class Result(models.Model):
    """A service's total score in a round, with the decision the policy in force gave.

    Names are kept as written (``service_name``, ``contractor_name``, ``remark``);
    ``department`` and ``contractors`` are the registry organisations they refer to.
    ``framework_id``/``framework_version`` and ``policy_id`` say what produced the
    decision, so it can always be explained and recomputed.
    """

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="results")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="results")
    seq = models.PositiveIntegerField(_("연번"), null=True, blank=True)
    service_name = models.CharField(_("사무명(원문)"), max_length=300)
    department = models.ForeignKey(
        Organisation, verbose_name=_("사업부서"), on_delete=models.PROTECT,
        related_name="department_results",
        limit_choices_to={"kind": OrganisationKind.DEPARTMENT},
    )
    contractor_name = models.CharField(_("수탁기관(원문)"), max_length=300, blank=True)
    contractors = models.ManyToManyField(
        Organisation, verbose_name=_("수탁기관"), related_name="contractor_results",
        limit_choices_to={"kind": OrganisationKind.CONTRACTOR},
    )
    score = models.DecimalField(_("점수"), max_digits=5, decimal_places=2)
    remark = models.CharField(_("비고(원문)"), max_length=300, blank=True)
    status = models.CharField(
        _("상태"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    framework_id = models.CharField(_("평가틀"), max_length=80, blank=True)
    framework_version = models.CharField(_("평가틀 버전"), max_length=40, blank=True)
    policy_id = models.CharField(_("기준 정책"), max_length=80, blank=True)
    decision_code = models.CharField(_("판정 코드"), max_length=40, blank=True, db_index=True)
    decision_label = models.CharField(_("판정"), max_length=100, blank=True)
    decided_at = models.DateTimeField(_("판정 일시"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        ordering = ["round__year__year", "round__number", "seq", "id"]
        verbose_name = _("평가 결과")
        verbose_name_plural = _("평가 결과")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "round"], name="evaluations_result_unique_service_round"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100),
                name="evaluations_result_score_0_100",
            ),
        ]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["score"]),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.service_name} {self.score}"

    def clean(self):
        super().clean()
        if self.score is not None and not (SCORE_MIN <= self.score <= SCORE_MAX):
            raise ValidationError(
                {"score": _("점수는 0~100 사이여야 합니다 (입력: %(s)s).") % {"s": self.score}}
            )

    @property
    def year(self) -> int:
        return self.round.year.year

    @property
    def is_locked(self) -> bool:
        """Finalised and published results change only through ``amend_result``."""
        return self.status in (Status.FINALISED, Status.PUBLISHED)


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
