"""Registry changes go through ``registry.domain.changes``: each is validated, refused
with a clear message naming the field, and leaves one audit record (before/after/actor/
reason). A refused change saves nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from seonggwa.core.models import AuditEvent
from seonggwa.registry.domain import changes
from seonggwa.registry.domain.changes import RegistryError
from seonggwa.registry.models import (
    AuditResult,
    ContractPeriod,
    CouncilConsent,
    InspectionFinding,
    OperatingFigure,
    Organisation,
    OrganisationKind,
    Service,
)

D = dt.date


@pytest.fixture
def officer(db):
    return User.objects.create_user("officer-x")


@pytest.fixture
def dept(db):
    return Organisation.objects.create(kind=OrganisationKind.DEPARTMENT, name="평생교육과")


@pytest.fixture
def other_dept(db):
    return Organisation.objects.create(kind=OrganisationKind.DEPARTMENT, name="문화정책과")


@pytest.fixture
def firm(db):
    return Organisation.objects.create(kind=OrganisationKind.CONTRACTOR, name="(사)가나다")


@pytest.fixture
def firm2(db):
    return Organisation.objects.create(kind=OrganisationKind.CONTRACTOR, name="(주)라마바")


@pytest.fixture
def service(dept, officer):
    return changes.create_service(key="svc-9001", name="청소년 수련관 운영", department=dept,
                                  annual_cost=700_000_000, actor=officer, reason="신규 등록")


def events(obj):
    return list(AuditEvent.objects.for_object(obj).order_by("id"))


def field_error(exc_info, field):
    return " ".join(exc_info.value.message_dict[field])


# ----------------------------------------------------------------------------- services

def test_create_service_is_audited_with_actor_and_reason(service, officer):
    (event,) = events(service)
    assert event.action == "registry.service.create"
    assert event.actor == officer and event.reason == "신규 등록"
    assert event.before is None
    assert event.after["annual_cost"] == 700_000_000
    assert event.after["department"] == "평생교육과"


def test_create_service_refuses_taken_key_empty_name_and_bad_cost(service, dept):
    with pytest.raises(RegistryError) as err:
        changes.create_service(key="svc-9001", name="다른 사무")
    assert "svc-9001" in field_error(err, "key")
    with pytest.raises(RegistryError) as err:
        changes.create_service(key="svc-9002", name="  ")
    assert "사무명" in field_error(err, "name")
    for bad in ("오억", "-1", "1.5"):
        with pytest.raises(RegistryError) as err:
            changes.create_service(key="svc-9003", name="x", annual_cost=bad)
        assert "annual_cost" in err.value.message_dict
    assert not Service.objects.filter(key__in=["svc-9002", "svc-9003"]).exists()


def test_cost_accepts_thousands_separators(db):
    svc = changes.create_service(key="svc-9004", name="x", annual_cost="1,200,000,000")
    assert svc.annual_cost == 1_200_000_000


def test_department_must_be_a_department(firm):
    with pytest.raises(RegistryError) as err:
        changes.create_service(key="svc-9005", name="x", department=firm)
    assert "사업부서가 아닙니다" in field_error(err, "department")


def test_update_service_records_only_changed_fields(service, other_dept, officer):
    assert changes.update_service(service, department=other_dept, annual_cost=400_000_000,
                                  notes="", actor=officer, reason="부서 이관")
    service.refresh_from_db()
    assert service.department == other_dept and service.annual_cost == 400_000_000
    event = events(service)[-1]
    assert event.action == "registry.service.update"
    assert event.before == {"department": "평생교육과", "annual_cost": 700_000_000}
    assert event.after == {"department": "문화정책과", "annual_cost": 400_000_000}
    assert event.reason == "부서 이관"


def test_update_service_without_change_writes_nothing(service):
    assert changes.update_service(service, annual_cost="700,000,000") is False
    assert len(events(service)) == 1


def test_update_service_refusal_saves_nothing(service):
    with pytest.raises(RegistryError):
        changes.update_service(service, annual_cost="abc", notes="바뀌면 안 됨")
    service.refresh_from_db()
    assert service.notes == "" and service.annual_cost == 700_000_000


# ----------------------------------------------------------------------------- contracts

def test_add_contract_period_with_consortium(service, firm, firm2, officer):
    period = changes.add_contract_period(service, start=D(2019, 1, 1), end=D(2021, 12, 31),
                                         contractors=[firm, firm2], actor=officer,
                                         reason="협약서")
    assert set(period.contractors.all()) == {firm, firm2}
    (event,) = events(period)
    assert event.action == "registry.contract.create"
    assert event.after["contractors"] == ["(사)가나다", "(주)라마바"]
    assert event.after["start"] == "2019-01-01"


def test_contract_end_before_start_is_refused(service):
    with pytest.raises(RegistryError) as err:
        changes.add_contract_period(service, start=D(2021, 1, 1), end=D(2020, 12, 31))
    assert "종료일(2020-12-31)이 시작일(2021-01-01)보다 빠릅니다" in field_error(err, "end")
    assert not ContractPeriod.objects.exists()


def test_overlapping_periods_of_a_service_are_refused(service, dept, firm):
    changes.add_contract_period(service, start=D(2019, 1, 1), end=D(2021, 12, 31))
    with pytest.raises(RegistryError) as err:
        changes.add_contract_period(service, start=D(2021, 12, 31), end=D(2024, 12, 31))
    assert "2019-01-01 ~ 2021-12-31" in field_error(err, "start")
    # another service may hold the same dates
    other = changes.create_service(key="svc-9100", name="다른 사무", department=dept)
    changes.add_contract_period(other, start=D(2020, 1, 1), end=D(2020, 12, 31))
    assert service.contract_periods.count() == 1


def test_previous_must_be_of_the_same_service_and_end_before(service, dept):
    other = changes.create_service(key="svc-9101", name="다른 사무", department=dept)
    foreign = changes.add_contract_period(other, start=D(2016, 1, 1), end=D(2018, 12, 31))
    with pytest.raises(RegistryError) as err:
        changes.add_contract_period(service, start=D(2019, 1, 1), end=D(2021, 12, 31),
                                    previous=foreign, kind="recontract")
    assert "같은 사무의 계약" in field_error(err, "previous")
    first = changes.add_contract_period(service, start=D(2016, 1, 1), end=D(2018, 12, 31))
    second = changes.add_contract_period(service, start=D(2019, 1, 1), end=D(2021, 12, 31),
                                         previous=first, kind="recontract")
    assert first.next == second
    with pytest.raises(RegistryError) as err:
        changes.add_contract_period(service, start=D(2022, 1, 1), end=D(2024, 12, 31),
                                    previous=first, kind="recontract")
    assert "이미 다른 위탁기간" in field_error(err, "previous")


def test_contractors_must_be_contractors(service, dept):
    with pytest.raises(RegistryError) as err:
        changes.add_contract_period(service, start=D(2019, 1, 1), end=D(2019, 12, 31),
                                    contractors=[dept])
    assert "평생교육과" in field_error(err, "contractors")


def test_update_contract_period_audits_contractors(service, firm, firm2):
    period = changes.add_contract_period(service, start=D(2019, 1, 1), end=D(2021, 12, 31),
                                         contractors=[firm])
    assert changes.update_contract_period(period, contractors=[firm2], end=D(2022, 6, 30),
                                          reason="변경 협약")
    event = events(period)[-1]
    assert event.before == {"end": "2021-12-31", "contractors": ["(사)가나다"]}
    assert event.after == {"end": "2022-06-30", "contractors": ["(주)라마바"]}
    with pytest.raises(RegistryError):
        changes.update_contract_period(period, end=D(2018, 1, 1))
    period.refresh_from_db()
    assert period.end == D(2022, 6, 30)


def test_end_contract_period_early_needs_reason_and_sane_date(service, officer):
    period = changes.add_contract_period(service, start=D(2019, 1, 1), end=D(2021, 12, 31))
    with pytest.raises(RegistryError) as err:
        changes.end_contract_period(period, D(2020, 6, 30), reason=" ")
    assert "사유" in field_error(err, "reason")
    with pytest.raises(RegistryError) as err:
        changes.end_contract_period(period, D(2018, 6, 30), reason="해지")
    assert "시작일" in field_error(err, "end")
    with pytest.raises(RegistryError) as err:
        changes.end_contract_period(period, D(2022, 6, 30), reason="해지")
    assert "약정 종료일" in field_error(err, "end")
    changes.end_contract_period(period, D(2020, 6, 30), reason="협약 해지", actor=officer)
    period.refresh_from_db()
    assert period.end == D(2020, 6, 30)
    event = events(period)[-1]
    assert (event.action, event.before, event.after, event.reason) == (
        "registry.contract.end", {"end": "2021-12-31"}, {"end": "2020-06-30"}, "협약 해지")


# ----------------------------------------------------------------------------- others

def test_council_consent_recorded_once_per_date(service, officer):
    consent = changes.record_council_consent(service, date=D(2016, 3, 2), note="제270회",
                                             actor=officer)
    assert events(consent)[0].after == {"date": "2016-03-02", "note": "제270회"}
    with pytest.raises(RegistryError) as err:
        changes.record_council_consent(service, date=D(2016, 3, 2))
    assert "이미 등록" in field_error(err, "date")
    assert CouncilConsent.objects.count() == 1


def test_inspection_finding_and_refusals(service, officer):
    finding = changes.record_inspection_finding(service, year=2021, count=15,
                                                text="회계 처리 부적정", actor=officer)
    assert finding.corrective_demand is True
    assert events(finding)[0].action == "registry.inspection.create"
    with pytest.raises(RegistryError) as err:
        changes.record_inspection_finding(service, year=2021, count=3)
    assert "이미 있습니다" in field_error(err, "year")
    with pytest.raises(RegistryError) as err:
        changes.record_inspection_finding(service, year=2022, count=-1)
    assert "0 이상" in field_error(err, "count")
    with pytest.raises(RegistryError) as err:
        changes.record_inspection_finding(service, year=2022, date=D(2021, 5, 1))
    assert "2022" in field_error(err, "date")
    with pytest.raises(RegistryError):
        changes.record_inspection_finding(service, year=1890)
    assert InspectionFinding.objects.count() == 1
    assert changes.update_inspection_finding(finding, count=12, reason="재확인")
    assert events(finding)[-1].before == {"count": 15}


def test_audit_result(service, officer):
    audit = changes.record_audit_result(service, year=2022, auditor="서울특별시 감사위원회",
                                        finding_count=2, summary="주의 2건", actor=officer)
    assert events(audit)[0].after["auditor"] == "서울특별시 감사위원회"
    with pytest.raises(RegistryError):
        changes.record_audit_result(service, year=2022, auditor="서울특별시 감사위원회")
    with pytest.raises(RegistryError) as err:
        changes.record_audit_result(service, year=2022, auditor="x", finding_count="두 건")
    assert "정수" in field_error(err, "finding_count")
    assert AuditResult.objects.count() == 1


def test_operating_figure(service, officer):
    figure = changes.record_operating_figure(service, kind="budget_execution", year=2022,
                                             quarter=2, value="45.5", unit="%",
                                             source="분기 보고", actor=officer)
    assert figure.value == Decimal("45.5")
    assert events(figure)[0].after["quarter"] == 2
    with pytest.raises(RegistryError) as err:
        changes.record_operating_figure(service, kind="budget_execution", year=2022,
                                        quarter=2, value=50)
    assert "이미 있습니다" in field_error(err, "year")
    with pytest.raises(RegistryError) as err:
        changes.record_operating_figure(service, kind="budget_execution", year=2022,
                                        quarter=5, value=50)
    assert "분기" in field_error(err, "quarter")
    with pytest.raises(RegistryError) as err:
        changes.record_operating_figure(service, kind="happiness", year=2022, value=50)
    assert "kind" in err.value.message_dict
    with pytest.raises(RegistryError) as err:
        changes.record_operating_figure(service, kind="staff_turnover", year=2022,
                                        value="높음")
    assert "숫자" in field_error(err, "value")
    # a yearly figure beside the quarterly one is a different figure
    changes.record_operating_figure(service, kind="budget_execution", year=2022, value=91)
    assert OperatingFigure.objects.count() == 2


def test_messages_are_translated_to_english(service):
    with translation.override("en"), pytest.raises(RegistryError) as err:
        changes.add_contract_period(service, start=D(2021, 1, 1), end=D(2020, 1, 1))
    assert "before" in field_error(err, "end").lower()


def test_audit_objects_cover_every_registry_row(service, firm):
    period = changes.add_contract_period(service, start=D(2019, 1, 1), end=D(2019, 12, 31))
    figure = changes.record_operating_figure(service, kind="staff_turnover", year=2019,
                                             value=12, unit="%")
    objects = dict(changes.audit_objects(service))
    assert objects["registry.contractperiod"] == [str(period.pk)]
    assert objects["registry.operatingfigure"] == [str(figure.pk)]
    assert objects["registry.service"] == [str(service.pk)]
