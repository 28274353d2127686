"""Re-contract decision sheet per service (조례 제12조 ②, 제4조의3 ②③).

What the 민간위탁운영평가위원회 must look at when deciding a re-contract with the same
contractor: the latest comprehensive-evaluation score and the decision of the threshold
policy; the corrective demands of guidance inspections (제16조) and the audit results of
the latest contract period; whether council consent is needed; and the improvement tasks
of the last evaluation.

Council consent (제4조의3 ②): when a service is outsourced continuously, consent is
needed at the first re-consignment or re-contract that comes after 6 years have passed
since the last consent. **Decision (documented, tested):** "6 years have passed" on the
6th anniversary date of the last consent — the same month and day six years later, and
for a consent given on 29 February, 28 February of the anniversary year when that year
is not a leap year (the last day of the month, as 민법 제160조 ③ does when the
corresponding day does not exist). Consent is needed when the re-contract date (the
first day of the new contract period; by default the day after the current period ends)
is on or after that anniversary. This is the earlier of the two readings (the strict
reading of 민법 제157조 would start one day later), so it never misses a consent; pass
``counting="civil_code"`` to use the day after the anniversary instead.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from seonggwa.evaluations.domain import current
from seonggwa.evaluations.domain import decisions as policies
from seonggwa.evaluations.models import ItemKind, Narrative, NarrativeItem, Result, Status
from seonggwa.registry.models import (
    AuditResult,
    ContractPeriod,
    CouncilConsent,
    InspectionFinding,
    Service,
)

CONSENT_YEARS = 6


def add_years(day: dt.date, years: int) -> dt.date:
    """Same month and day ``years`` later; 29 Feb → 28 Feb in a common year."""
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    return dt.date(year, day.month, min(day.day, last))


def consent_due_from(last_consent: dt.date, *, counting: str = "anniversary") -> dt.date:
    """The first re-contract date that needs a new council consent."""
    anniversary = add_years(last_consent, CONSENT_YEARS)
    if counting == "anniversary":
        return anniversary
    if counting == "civil_code":
        return anniversary + dt.timedelta(days=1)
    raise ValueError(f"unknown counting {counting!r}")


@dataclass(frozen=True)
class ConsentCheck:
    needed: bool | None  # None: cannot be decided (no consent or no re-contract date)
    last_consent: dt.date | None
    due_from: dt.date | None  # needed for re-contracts on or after this date
    recontract_date: dt.date | None
    explanation_ko: str
    explanation_en: str


def council_consent_check(service: Service, recontract_date: dt.date | None, *,
                          counting: str = "anniversary") -> ConsentCheck:
    """Is council consent needed at a re-contract on ``recontract_date``?"""
    consent = (CouncilConsent.objects.filter(service=service)
               .filter(**({"date__lte": recontract_date} if recontract_date else {}))
               .order_by("-date").first())
    if consent is None:
        return ConsentCheck(None, None, None, recontract_date,
                            "의회 동의 기록이 없어 판단할 수 없습니다 (동의일을 등록하십시오).",
                            "No council consent on record: cannot decide.")
    due_from = consent_due_from(consent.date, counting=counting)
    if recontract_date is None:
        return ConsentCheck(None, consent.date, due_from, None,
                            f"재계약일이 정해지지 않았습니다. {due_from} 이후 재계약 시 동의 필요.",
                            f"No re-contract date; consent needed from {due_from}.")
    needed = recontract_date >= due_from
    ko = (f"최근 의회 동의 {consent.date} → 6년 경과일 {due_from}; 재계약일 {recontract_date}"
          + (" 은 그 이후이므로 의회 동의 필요 (제4조의3 ②)." if needed
             else " 은 그 이전이므로 상임위원회 보고로 갈음."))
    en = (f"Last consent {consent.date}; six years pass on {due_from}; re-contract "
          f"{recontract_date}: " + ("consent needed." if needed else "report to committee."))
    return ConsentCheck(needed, consent.date, due_from, recontract_date, ko, en)


@dataclass
class DecisionSheet:
    service: Service
    latest_result: Result | None
    decided_policy: policies.PolicyView | None  # the policy stored on the result
    decided: policies.DecisionView | None  # the decision stored on the result
    policy_now: policies.PolicyView | None  # in force on the re-contract date
    decision_now: policies.DecisionView | None  # the engine's decision under it
    contract: ContractPeriod | None
    recontract_date: dt.date | None
    inspection_findings: list[InspectionFinding] = field(default_factory=list)
    corrective_demands: int = 0
    audit_results: list[AuditResult] = field(default_factory=list)
    consent: ConsentCheck | None = None
    last_narrative: Narrative | None = None
    improvement_tasks: list[NarrativeItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def latest_is_draft(self) -> bool:
        """The latest score is a draft (초안): not finalised, may still change."""
        return self.latest_result is not None and self.latest_result.status == Status.DRAFT

    @property
    def latest_is_published(self) -> bool:
        return (self.latest_result is not None
                and self.latest_result.status == Status.PUBLISHED)

    @property
    def latest_status_label(self) -> str:
        """초안 / 확정 / 공개 — the status of the latest score, for the sheet."""
        return self.latest_result.get_status_display() if self.latest_result else ""

    @property
    def policy_changed(self) -> bool:
        return bool(self.decided_policy and self.policy_now
                    and self.decided_policy.id != self.policy_now.id)


def decision_sheet(service: Service, *, recontract_date: dt.date | None = None,
                   counting: str = "anniversary") -> DecisionSheet:
    """Everything the committee must weigh for re-contracting ``service`` (조례 제12조 ②)."""
    contract = (ContractPeriod.objects.filter(service=service)
                .prefetch_related("contractors").order_by("-end").first())
    if recontract_date is None and contract is not None:
        recontract_date = contract.end + dt.timedelta(days=1)
    result = current.latest_result(service)
    sheet = DecisionSheet(service, result, None, None, None, None, contract, recontract_date)
    if result is not None:
        if result.status == Status.DRAFT:
            sheet.notes.append(
                _("최근 점수(%(round)s)는 초안입니다: 확정 전이라 바뀔 수 있습니다.")
                % {"round": result.round})
        elif result.status != Status.PUBLISHED:
            sheet.notes.append(_("최근 점수(%(round)s)는 확정되었으나 아직 공개 전입니다.")
                               % {"round": result.round})
        framework = result.framework
        try:
            sheet.decided_policy = policies.get_policy(result.policy_id, framework)
        except KeyError:
            sheet.notes.append(_("결과에 기록된 정책 %(policy)r을 찾을 수 없습니다.")
                               % {"policy": result.policy_id})
        if result.decision_code:
            sheet.decided = policies.decision_view(framework, result.decision_code,
                                                   policy_id=result.policy_id)
        on = recontract_date or dt.date.today()
        sheet.policy_now = policies.policy_in_force_or_none(on, framework)
        if sheet.policy_now is not None:
            sheet.decision_now = sheet.policy_now.decide(result.score)
        else:  # before the earliest policy: no decision, said so (never an error)
            sheet.notes.append(policies.no_policy_message(on, framework))
        if sheet.policy_changed:
            sheet.notes.append(
                _("평가 당시 정책(%(then)s)과 재계약일 기준 정책(%(now)s)이 다릅니다.")
                % {"then": sheet.decided_policy.label, "now": sheet.policy_now.label})
    else:
        sheet.notes.append(_("종합성과평가 결과가 없습니다."))

    findings = InspectionFinding.objects.filter(service=service)
    audits = AuditResult.objects.filter(service=service)
    if contract is not None:
        years = (contract.start.year, contract.end.year)
        findings = findings.filter(year__gte=years[0], year__lte=years[1])
        audits = audits.filter(year__gte=years[0], year__lte=years[1])
    else:
        sheet.notes.append(_("위탁기간이 등록되지 않아 전체 기간의 지적·감사를 표시합니다."))
    sheet.inspection_findings = list(findings.order_by("year", "id"))
    sheet.corrective_demands = sum(f.count for f in sheet.inspection_findings
                                   if f.corrective_demand)
    sheet.audit_results = list(audits.order_by("year", "id"))
    sheet.consent = council_consent_check(service, recontract_date, counting=counting)

    narrative = (Narrative.objects.filter(service=service).select_related("round__year")
                 .order_by("-round__year__year", "-round__number").first())
    sheet.last_narrative = narrative
    if narrative is not None:
        sheet.improvement_tasks = list(narrative.items.filter(kind=ItemKind.IMPROVEMENT)
                                       .order_by("order"))
    return sheet
