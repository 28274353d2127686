"""The registry workbook: documented template, all-or-nothing import with sheet/row/column
errors, unknown names refused unless explicitly created, and export → import gives the
same data back."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from evaluations.factories import workbook
from openpyxl import load_workbook

from seonggwa.core.models import AuditEvent
from seonggwa.registry.domain import changes
from seonggwa.registry.interfaces import xlsx
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


def cells(data: bytes) -> dict[str, list[tuple]]:
    wb = load_workbook(io.BytesIO(data))
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()]
            for ws in wb.worksheets}


SERVICES_HEADER = xlsx.columns("services")
CONTRACTS_HEADER = xlsx.columns("contracts")


@pytest.fixture
def orgs(db):
    return {
        "dept": Organisation.objects.create(kind=OrganisationKind.DEPARTMENT, name="평생교육과"),
        "firm": Organisation.objects.create(kind=OrganisationKind.CONTRACTOR, name="(사)가나다"),
        "firm2": Organisation.objects.create(kind=OrganisationKind.CONTRACTOR, name="(주)라마바"),
    }


def build_registry(orgs):
    """A registry with every kind of row, entered through the domain."""
    svc = changes.create_service(key="svc-7001", name="청소년 수련관 운영",
                                 department=orgs["dept"], annual_cost=730_000_000,
                                 notes="비고 있음")
    changes.create_service(key="svc-7002", name="비용 모르는 사무", department=None,
                           has_statutory_evaluation=True)
    first = changes.add_contract_period(svc, start=D(2016, 1, 1), end=D(2018, 12, 31),
                                        contractors=[orgs["firm"]])
    changes.add_contract_period(svc, start=D(2019, 1, 1), end=D(2021, 12, 31),
                                contractors=[orgs["firm"], orgs["firm2"]],
                                kind="recontract", previous=first, note="컨소시엄")
    changes.record_council_consent(svc, date=D(2015, 11, 20), note="제264회")
    changes.record_inspection_finding(svc, year=2020, count=3, text="회계 부적정")
    changes.record_inspection_finding(svc, year=2021, count=0, corrective_demand=False,
                                      date=D(2021, 6, 3))
    changes.record_audit_result(svc, year=2021, auditor="감사위원회", finding_count=2,
                                summary="주의", date=D(2021, 9, 1))
    changes.record_operating_figure(svc, kind="budget_execution", year=2021, quarter=2,
                                    value="45.25", unit="%")
    changes.record_operating_figure(svc, kind="actual", indicator="방문객 수", year=2021,
                                    value=120000, unit="명", source="운영보고서")
    return svc


def registry_state():
    """Everything the registry holds, by natural keys (no database ids)."""
    return {
        "services": sorted((s.key, s.name, s.department.name if s.department else None,
                            s.annual_cost, s.has_statutory_evaluation, s.notes)
                           for s in Service.objects.select_related("department")),
        "contracts": sorted((p.service.key, p.start, p.end, p.kind,
                             tuple(sorted(o.name for o in p.contractors.all())),
                             p.previous.start if p.previous else None, p.note)
                            for p in ContractPeriod.objects.all()),
        "consents": sorted((c.service.key, c.date, c.note)
                           for c in CouncilConsent.objects.all()),
        "inspections": sorted((f.service.key, f.year, str(f.date), f.count,
                               f.corrective_demand, f.text)
                              for f in InspectionFinding.objects.all()),
        "audits": sorted((a.service.key, a.year, a.auditor, str(a.date), a.finding_count,
                          a.summary) for a in AuditResult.objects.all()),
        "figures": sorted((f.service.key, f.kind, f.indicator, f.year, f.quarter or 0,
                           f.value, f.unit, f.period_text, f.source)
                          for f in OperatingFigure.objects.all()),
    }


def wipe_registry():
    for model in (OperatingFigure, AuditResult, InspectionFinding, CouncilConsent):
        model.objects.all().delete()
    ContractPeriod.objects.update(previous=None)
    ContractPeriod.objects.all().delete()
    Service.objects.all().delete()
    Organisation.objects.all().delete()


# ----------------------------------------------------------------------------- template

def test_blank_template_has_every_sheet_and_a_guide():
    sheets = cells(xlsx.blank_template())
    assert list(sheets) == [*xlsx.SHEETS, xlsx.GUIDE_SHEET]
    assert sheets["contracts"] == [tuple(CONTRACTS_HEADER)]
    guide_columns = {(row[0], row[1]) for row in sheets[xlsx.GUIDE_SHEET][1:] if row[1]}
    assert guide_columns == {(s, c) for s in xlsx.SHEETS for c in xlsx.columns(s)}


def test_blank_template_imports_as_nothing(db):
    report = xlsx.import_registry(xlsx.blank_template())
    assert report.total_created == 0


# ----------------------------------------------------------------------------- round trip

def test_export_then_import_into_an_empty_registry_gives_the_same_data(orgs):
    build_registry(orgs)
    before = registry_state()
    exported = xlsx.export_registry()
    wipe_registry()
    report = xlsx.import_registry(exported, create_missing=True, filename="대장.xlsx")
    assert registry_state() == before
    assert report.created == {"services": 2, "contracts": 2, "council_consents": 1,
                              "inspections": 2, "audits": 1, "figures": 2}
    assert sorted(report.organisations_created) == ["(사)가나다", "(주)라마바", "평생교육과"]
    assert cells(xlsx.export_registry()) == cells(exported)


def test_export_then_import_into_the_same_registry_changes_nothing(orgs):
    build_registry(orgs)
    before = registry_state()
    events = AuditEvent.objects.count()
    report = xlsx.import_registry(xlsx.export_registry())
    assert report.total_created == report.total_updated == 0
    assert sum(report.unchanged.values()) == 10
    assert registry_state() == before
    assert AuditEvent.objects.count() == events


def test_seoul_registry_round_trips(seoul):
    before = registry_state()
    exported = xlsx.export_registry()
    report = xlsx.import_registry(exported)
    assert report.total_updated == 0 and report.unchanged["services"] == 138
    assert registry_state() == before


# ----------------------------------------------------------------------------- updates

def test_changed_rows_update_through_the_domain_with_audit(orgs, django_user_model):
    svc = build_registry(orgs)
    user = django_user_model.objects.create_user("officer-y")
    sheets = cells(xlsx.export_registry())
    services = [list(r) for r in sheets["services"]]
    services[1][3] = "800,000,000"
    data = workbook(services=services)
    report = xlsx.import_registry(data, actor=user, filename="수정.xlsx")
    assert report.updated["services"] == 1 and report.unchanged["services"] == 1
    svc.refresh_from_db()
    assert svc.annual_cost == 800_000_000
    event = AuditEvent.objects.for_object(svc).first()
    assert event.action == "registry.service.update" and event.actor == user
    assert event.before == {"annual_cost": 730_000_000}
    assert "수정.xlsx" in event.reason


# ----------------------------------------------------------------------------- refusals

def refused(data, **kwargs) -> xlsx.ImportRefused:
    with pytest.raises(xlsx.ImportRefused) as err:
        xlsx.import_registry(data, **kwargs)
    return err.value


def where(exc):
    return [(e.sheet, e.row, e.column) for e in exc.errors]


def test_unknown_department_and_contractors_refused_with_their_names(orgs):
    data = workbook(
        services=[SERVICES_HEADER, ["svc-8001", "새 사무", "없는과", 600_000_000, "N"]],
        contracts=[CONTRACTS_HEADER,
                   ["svc-8001", D(2020, 1, 1), D(2022, 12, 31), "new",
                    "(사)가나다|(주)모르는곳|(재)없는재단"]],
    )
    exc = refused(data)
    assert where(exc) == [("services", 2, "department"), ("contracts", 2, "contractors")]
    assert "(주)모르는곳, (재)없는재단" in exc.errors[1].message
    assert exc.unknown_departments == ["없는과"]
    assert exc.unknown_contractors == ["(재)없는재단", "(주)모르는곳"]
    assert not Service.objects.filter(key="svc-8001").exists()
    # never a near match: "평생교육과 " with a different spelling is not guessed
    assert not Organisation.objects.filter(name="없는과").exists()
    # explicitly asked: created, and the import goes through
    report = xlsx.import_registry(data, create_missing=True)
    assert sorted(report.organisations_created) == ["(재)없는재단", "(주)모르는곳", "없는과"]
    assert ContractPeriod.objects.get(service__key="svc-8001").contractors.count() == 3


def test_contradicting_dates_duplicates_bad_cost_unknown_key_all_reported(orgs):
    build_registry(orgs)
    data = workbook(
        services=[SERVICES_HEADER,
                  ["svc-8002", "사무 A", "평생교육과", "오억원", "N"],
                  ["svc-8003", "사무 B", "평생교육과", 1.5, "N"],
                  ["svc-8002", "사무 A 중복", "평생교육과", 1, "N"],
                  ["svc-8004", "사무 C", "평생교육과", 1, "아마도"]],
        contracts=[CONTRACTS_HEADER,
                   ["svc-7001", "2022-01-01", "2021-12-31", "recontract"],
                   ["svc-9999", "2022-01-01", "2023-12-31", "new"],
                   ["svc-7001", "2022-01-01", "2024-12-31", "new"]],
        inspections=[xlsx.columns("inspections"), ["svc-7001", "이천이십", 1, "Y"]],
    )
    exc = refused(data)
    got = where(exc)
    assert ("services", 4, "service_key") in got      # duplicate key in the file
    assert ("services", 5, "has_statutory_evaluation") in got
    assert ("contracts", 2, "end") in got             # end before start
    assert ("contracts", 3, "service_key") in got     # unknown service key
    assert ("contracts", 4, "start") in got           # duplicate (service, start)
    assert ("inspections", 2, "year") in got
    assert not Service.objects.filter(key__startswith="svc-800").exists()
    messages = " ".join(e.message for e in exc.errors)
    assert "svc-9999" in messages and "2행과 같은 대상" in messages


def test_cost_and_overlap_refusals_come_from_the_domain_and_roll_back(orgs):
    build_registry(orgs)
    data = workbook(
        services=[SERVICES_HEADER, ["svc-8005", "사무 D", "평생교육과", "오억원", "N"],
                  ["svc-8006", "사무 E", "평생교육과", "1200000000", "N"]],
    )
    exc = refused(data)
    assert where(exc) == [("services", 2, "annual_cost_won")]
    assert "숫자가 아닙니다" in exc.errors[0].message
    assert not Service.objects.filter(key__in=["svc-8005", "svc-8006"]).exists()

    overlap = workbook(contracts=[CONTRACTS_HEADER,
                                  ["svc-7001", D(2021, 6, 1), D(2023, 5, 31), "new"],
                                  ["svc-7002", D(2020, 1, 1), D(2020, 12, 31), "new"]])
    exc = refused(overlap)
    assert where(exc) == [("contracts", 2, "start")]
    assert "2019-01-01 ~ 2021-12-31" in exc.errors[0].message
    assert not ContractPeriod.objects.filter(service__key="svc-7002").exists()


def test_previous_start_must_name_an_earlier_period_of_the_service(orgs):
    build_registry(orgs)
    data = workbook(contracts=[CONTRACTS_HEADER,
                               ["svc-7001", D(2022, 1, 1), D(2024, 12, 31), "recontract",
                                "(사)가나다", D(2017, 5, 5)]])
    exc = refused(data)
    assert where(exc) == [("contracts", 2, "previous_start")]
    ok = workbook(contracts=[CONTRACTS_HEADER,
                             ["svc-7001", D(2022, 1, 1), D(2024, 12, 31), "재계약",
                              "(사)가나다", D(2019, 1, 1)]])
    xlsx.import_registry(ok)
    latest = ContractPeriod.objects.get(service__key="svc-7001", start=D(2022, 1, 1))
    assert latest.previous.start == D(2019, 1, 1) and latest.kind == "recontract"


def test_unknown_sheet_and_columns_refused(db):
    exc = refused(workbook(contract=[CONTRACTS_HEADER],
                           services=[["service_key", "service_name", "cost"]]))
    got = where(exc)
    assert ("contract", None, None) in got
    assert ("services", 1, "has_statutory_evaluation") in got
    assert ("services", 1, "cost") in got


def test_not_a_workbook_is_refused(db):
    exc = refused(b"not a spreadsheet")
    assert "XLSX" in exc.errors[0].message


def test_row_error_names_sheet_row_and_column():
    assert str(xlsx.RowError("contracts", 7, "end", "x")) == "contracts 7행 'end' 열: x"


# ----------------------------------------------------------------------------- hostile cells

def test_formula_like_text_round_trips_exactly_and_is_stored_as_text(orgs):
    svc = changes.create_service(key="svc-7101", name="=사업비 50% 감액",
                                 department=orgs["dept"], notes="+추가 협의\n-2단계")
    changes.add_contract_period(svc, start=D(2020, 1, 1), end=D(2022, 12, 31),
                                contractors=[orgs["firm"], orgs["firm2"]], note="@확인")
    changes.record_audit_result(svc, year=2021, auditor="=감사원", finding_count=1,
                                summary="-주의-")
    before = registry_state()
    data = xlsx.export_registry()
    wb = load_workbook(io.BytesIO(data))
    name = wb["services"].cell(2, SERVICES_HEADER.index("service_name") + 1)
    assert name.value == "=사업비 50% 감액" and name.data_type == "s"
    cost = wb["services"].cell(2, SERVICES_HEADER.index("annual_cost_won") + 1)
    assert cost.data_type == "n"  # numbers stay numbers
    assert wb["services"].freeze_panes == "A2" and wb["services"].auto_filter.ref
    members = wb["contracts"].cell(2, CONTRACTS_HEADER.index("contractors") + 1).value
    assert members == "(사)가나다·(주)라마바"  # the one consortium separator
    wipe_registry()
    Organisation.objects.bulk_create([Organisation(kind=o.kind, name=o.name)
                                      for o in orgs.values()])
    xlsx.import_registry(data)
    assert registry_state() == before


def test_nul_slash_keys_huge_numbers_and_long_texts_are_row_errors(orgs):
    from xlsx_files import sheet_xlsx

    header = list(SERVICES_HEADER)

    def svc(**kw):
        base = {"service_key": "svc-7201", "service_name": "사무",
                "has_statutory_evaluation": "N"}
        return [{**base, **kw}.get(c) for c in header]

    data = sheet_xlsx(header, [svc(service_key="svc/7201"),
                               svc(service_key="svc-7202", notes="a_x0000_b"),
                               svc(service_key="svc-7203", annual_cost_won=1e30),
                               svc(service_key="svc-7204", service_name="가" * 5000),
                               svc(service_key="svc-7205", annual_cost_won="NaN")],
                      sheet="services")
    with pytest.raises(xlsx.ImportRefused) as info:
        xlsx.import_registry(data)
    errors = {(e.row, e.column) for e in info.value.errors}
    assert {(2, "service_key"), (3, "notes"), (4, "annual_cost_won"),
            (5, "service_name"), (6, "annual_cost_won")} <= errors
    assert len(str(info.value)) < 3000
    assert not Service.objects.exists()
    data = sheet_xlsx(header, [svc(service_key="svc-7206", service_name="사무_x0001_"),
                               svc(service_key="svc-7207", notes="a_x001F_b_x007F_")],
                      sheet="services")
    with pytest.raises(xlsx.ImportRefused) as info:
        xlsx.import_registry(data)
    errors = {(e.row, e.column): e.message for e in info.value.errors}
    assert "제어 문자는 쓸 수 없습니다" in errors[(2, "service_name")]
    assert "U+001F" in errors[(3, "notes")] and "U+007F" in errors[(3, "notes")]
    assert not Service.objects.exists()
    figures = sheet_xlsx(xlsx.columns("figures"), [
        ["svc-7301", "actual", "x", 2021, 1e30, 1e30],
        ["svc-7301", "actual", "y", 99999, None, 1],
    ], sheet="figures")
    with pytest.raises(xlsx.ImportRefused) as info:
        xlsx.import_registry(figures)
    errors = {(e.row, e.column) for e in info.value.errors}
    assert {(2, "quarter"), (2, "value"), (3, "year")} <= errors


def test_a_registered_name_with_the_separator_in_it_is_one_contractor(orgs):
    joined = Organisation.objects.create(kind=OrganisationKind.CONTRACTOR,
                                         name="노인·장애인 복지회")
    svc = changes.create_service(key="svc-7401", name="복지관 운영", department=orgs["dept"])
    changes.add_contract_period(svc, start=D(2020, 1, 1), end=D(2022, 12, 31),
                                contractors=[joined])
    data = xlsx.export_registry()
    report = xlsx.import_registry(data)
    assert report.unchanged["contracts"] == 1
    legacy = workbook(contracts=[CONTRACTS_HEADER,
                                 ["svc-7401", D(2023, 1, 1), D(2024, 12, 31), None,
                                  "(사)가나다|(주)라마바"]])
    xlsx.import_registry(legacy)
    period = ContractPeriod.objects.get(start=D(2023, 1, 1))
    assert sorted(o.name for o in period.contractors.all()) == ["(사)가나다", "(주)라마바"]
