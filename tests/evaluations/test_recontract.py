import datetime as dt
from decimal import Decimal

import pytest

from evaluations.factories import contract, service
from seonggwa.evaluations.domain.recontract import (
    add_years,
    consent_due_from,
    council_consent_check,
    decision_sheet,
)
from seonggwa.registry.models import AuditResult, CouncilConsent, InspectionFinding, Service

pytestmark = pytest.mark.django_db
D = dt.date


def test_six_year_anniversary_including_29_february():
    assert add_years(D(2016, 3, 10), 6) == D(2022, 3, 10)
    assert add_years(D(2016, 2, 29), 6) == D(2022, 2, 28)  # no 29 Feb in 2022
    assert add_years(D(2018, 2, 29 - 1), 6) == D(2024, 2, 28)
    assert consent_due_from(D(2020, 2, 29)) == D(2026, 2, 28)
    assert consent_due_from(D(2016, 2, 29), counting="civil_code") == D(2022, 3, 1)


@pytest.mark.parametrize(("consent", "recontract", "needed"), [
    (D(2016, 3, 10), D(2022, 3, 9), False),   # the day before the 6th anniversary
    (D(2016, 3, 10), D(2022, 3, 10), True),   # on the anniversary
    (D(2016, 3, 10), D(2022, 3, 11), True),
    (D(2016, 2, 29), D(2022, 2, 27), False),
    (D(2016, 2, 29), D(2022, 2, 28), True),   # 29 Feb consent: 28 Feb in a common year
    (D(2014, 2, 28), D(2020, 2, 28), True),   # leap target year, normal date
    (D(2014, 2, 28), D(2020, 2, 27), False),
])
def test_council_consent_needed_on_or_after_the_sixth_anniversary(consent, recontract, needed):
    svc = service("svc-c")
    CouncilConsent.objects.create(service=svc, date=consent)
    check = council_consent_check(svc, recontract)
    assert check.needed is needed
    assert check.last_consent == consent
    assert check.recontract_date == recontract
    assert str(check.due_from) in check.explanation_ko


def test_consent_uses_the_latest_consent_before_the_recontract():
    svc = service("svc-c2")
    CouncilConsent.objects.create(service=svc, date=D(2010, 1, 5))
    CouncilConsent.objects.create(service=svc, date=D(2017, 6, 1))
    assert council_consent_check(svc, D(2022, 6, 1)).needed is False
    assert council_consent_check(svc, D(2023, 6, 1)).needed is True


def test_without_a_recorded_consent_the_sheet_does_not_guess():
    check = council_consent_check(service("svc-c3"), D(2024, 1, 1))
    assert check.needed is None and "기록이 없어" in check.explanation_ko


def test_decision_sheet_for_a_seoul_service(seoul):
    svc = Service.objects.get(key="svc-0049")  # 홍릉 바이오·의료 R&D 앵커시설
    contract(svc, D(2020, 1, 1), D(2022, 12, 31), "한국보건산업진흥원")
    CouncilConsent.objects.create(service=svc, date=D(2016, 12, 20))
    InspectionFinding.objects.create(service=svc, year=2019, count=4, text="기간 전")
    InspectionFinding.objects.create(service=svc, year=2021, count=2, text="회계 처리")
    AuditResult.objects.create(service=svc, year=2022, auditor="감사위원회", finding_count=1)
    sheet = decision_sheet(svc)
    assert sheet.latest_result.score == Decimal("87.38")
    assert sheet.decided_policy.threshold == 60 and sheet.decided.code == "eligible"
    assert sheet.recontract_date == D(2023, 1, 1)
    assert sheet.policy_now.threshold == 75 and sheet.decision_now.code == "eligible"
    assert sheet.policy_changed
    assert [f.year for f in sheet.inspection_findings] == [2021]  # only this contract period
    assert sheet.corrective_demands == 2
    assert len(sheet.audit_results) == 1
    assert sheet.consent.needed is True and sheet.consent.due_from == D(2022, 12, 20)
    assert [t.order for t in sheet.improvement_tasks] == [1, 2]
    assert sheet.improvement_tasks[0].text.startswith("센터의 인재상을 설정")
    assert sheet.last_narrative.round.year.year == 2022


def test_decision_sheet_of_an_excluded_service(seoul):
    svc = Service.objects.get(names__name="서울시 중소유통물류센터")
    sheet = decision_sheet(svc)
    assert sheet.decided.code == "exclude" and sheet.latest_result.score == Decimal("57.89")
    assert sheet.consent.needed is None


def test_the_sheet_says_when_the_latest_score_is_a_draft(seoul):
    """A 2024 score recorded but not finalised: the sheet shows it as the latest score,
    labelled 초안, with a note that it may still change."""
    from evaluations.factories import draft_round
    from seonggwa.evaluations.domain import workflow
    from seonggwa.evaluations.models import Status

    svc = Service.objects.get(key="svc-0001")
    published = decision_sheet(svc)
    assert published.latest_is_published and not published.latest_is_draft
    assert not any("초안" in n for n in published.notes)
    result = workflow.record_result(service=svc, round=draft_round(2024, 1), score="71.25")
    assert result.status == Status.DRAFT
    sheet = decision_sheet(svc)
    assert sheet.latest_result == result and sheet.latest_is_draft
    assert sheet.latest_status_label == Status.DRAFT.label == "작성 중"
    assert any("초안입니다" in n and "2024" in n for n in sheet.notes)
