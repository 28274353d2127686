import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from evaluations.factories import draft_round, org, service
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.interfaces.xlsx import (
    COLUMNS,
    ImportRefused,
    blank_template,
    export_results,
    import_results,
)
from seonggwa.evaluations.models import Result, Round, Status
from seonggwa.registry.models import ContractPeriod, Organisation, OrganisationKind

pytestmark = pytest.mark.django_db


def book(*rows, header=COLUMNS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "results"
    ws.append(list(header))
    for r in rows:
        ws.append([r.get(c) for c in header])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def known():
    svc = service("svc-k1", "알려진 사무", dept="테스트과")
    org("갑기관", OrganisationKind.CONTRACTOR)
    org("을기관", OrganisationKind.CONTRACTOR)
    return svc


def row(**kw):
    base = {"year": 2024, "round": 1, "seq": 1, "service_key": "svc-k1",
            "service_name": "알려진 사무", "department": "테스트과", "contractor": "갑기관",
            "score": 81.5, "remark": ""}
    base.update(kw)
    return base


def cells(data: bytes):
    ws = load_workbook(io.BytesIO(data))["results"]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_blank_template_has_the_documented_columns():
    wb = load_workbook(io.BytesIO(blank_template()))
    assert wb.sheetnames == ["results", "안내"]
    assert [c.value for c in wb["results"][1]] == list(COLUMNS)


def test_export_then_import_gives_the_same_data_back(seoul):
    exported = export_results(2018)
    before = cells(exported)
    assert len(before) == 45 and before[0] == list(COLUMNS)

    def snapshot():
        return sorted(
            (r.service.key, r.round.number, r.seq, r.service_name, r.department.name,
             r.contractor_name, r.score, r.remark,
             tuple(sorted(c.name for c in r.contractors.all())))
            for r in Result.objects.filter(round__year__year=2018))

    original = snapshot()
    # an empty 2018 to import into (test setup, not a domain action)
    Result.objects.filter(round__year__year=2018).delete()
    Round.objects.filter(year__year=2018).update(status=Status.DRAFT)
    report = import_results(exported, year=2018)
    assert report.created == 44 and not report.organisations_created
    assert snapshot() == original
    assert cells(export_results(2018)) == before


def test_round_trip_with_contract_periods(known):
    import datetime as dt

    p = ContractPeriod.objects.create(service=known, start=dt.date(2021, 4, 1),
                                      end=dt.date(2024, 3, 31))
    workflow.record_result(service=known, round=draft_round(2024), score="81.50",
                           contractors=[Organisation.objects.get(name="갑기관")])
    data = export_results(2024)
    exported = cells(data)[1]
    start, end = (COLUMNS.index(c) for c in ("contract_start", "contract_end"))
    assert [exported[start].date(), exported[end].date()] == [p.start, p.end]
    Result.objects.all().delete()
    import_results(data)
    assert ContractPeriod.objects.count() == 1
    assert cells(export_results(2024)) == cells(data)


def test_every_bad_row_is_reported_with_row_and_column_and_nothing_is_written(known):
    data = book(
        row(),                                                   # row 2: fine
        row(seq=2, score=101),                                   # row 3: > 100
        row(seq=3, service_key="", service_name="알려진 사무"),     # row 4: duplicate of row 2
        row(seq=4, service_key="", service_name="새 사무", score="abc"),  # row 5
        row(seq=5, service_key="", service_name="또 다른 사무", department="없는과",
            contractor="갑기관· 없는기관"),                         # row 6
        row(seq=6, service_key="", service_name="세번째 사무",
            contract_start="2024-05-01", contract_end="2024-04-30"),  # row 7
    )
    with pytest.raises(ImportRefused) as info:
        import_results(data)
    errors = {(e.row, e.column) for e in info.value.errors}
    assert (3, "score") in errors
    assert (4, "service_name") in errors and any(
        "2행과 중복" in e.message for e in info.value.errors if e.row == 4)
    assert (5, "score") in errors and (5, "service_name") in errors
    assert (6, "department") in errors and (6, "contractor") in errors
    assert (7, "contract_end") in errors
    msg = str(info.value)
    assert "없는과" in msg and "없는기관" in msg and "6행 'contractor' 열" in msg
    assert Result.objects.count() == 0 and Round.objects.count() == 0


def test_unknown_names_are_created_only_when_explicitly_asked(known):
    data = book(row(service_key="", service_name="새 사무", department="신설과",
                    contractor="갑기관· 신규기관"))
    with pytest.raises(ImportRefused):
        import_results(data)
    report = import_results(data, create_missing=True)
    assert sorted(report.organisations_created) == ["신규기관", "신설과"]
    r = Result.objects.get()
    assert r.service.name == "새 사무" and r.department.name == "신설과"
    assert sorted(c.name for c in r.contractors.all()) == ["갑기관", "신규기관"]


def test_a_result_for_a_finalised_evaluation_is_refused(known):
    res = workflow.record_result(service=known, round=draft_round(2024), score="80")
    workflow.finalise_round(res.round)
    other = service("svc-k2", "다른 사무")
    with pytest.raises(ImportRefused) as info:
        import_results(book(row(service_key=other.key, service_name=other.name)))
    assert info.value.errors[0].column == "round" and "확정" in info.value.errors[0].message
    with pytest.raises(ImportRefused, match="저장된 결과\\(80.00점, 확정\\)") as info:
        import_results(book(row()))
    [error] = [e for e in info.value.errors if e.column == "correction_reason"]
    assert "정정 사유를 적어" in error.message
    assert not any("amend" in e.message for e in info.value.errors)


def test_a_wrong_sheet_or_header_is_refused():
    with pytest.raises(ImportRefused, match="시트"):
        wb = Workbook()
        buf = io.BytesIO()
        wb.save(buf)
        import_results(buf.getvalue())
    with pytest.raises(ImportRefused) as info:
        import_results(book(header=("year", "service_name", "점수")))
    cols = {e.column for e in info.value.errors}
    assert {"department", "contractor", "score", "점수"} <= cols


def test_a_year_before_any_threshold_policy_is_refused_with_a_row_error(known):
    with pytest.raises(ImportRefused) as caught:
        import_results(book(row(year=1999)))
    [error] = caught.value.errors
    assert (error.row, error.column) == (2, "year")
    assert "1999-01-01에 시행 중인 재계약 기준 정책이 없습니다" in error.message
    assert not Result.objects.exists()


def test_guide_sheet_and_row_errors_follow_the_language(known):
    from django.utils import translation

    with translation.override("en"):
        guide = load_workbook(io.BytesIO(blank_template()))["안내"]
        text = {r[0]: r[1] for r in guide.iter_rows(min_row=2, values_only=True)}
        assert text["score"] == "Score 0–100, at most two decimals (required)"
        with pytest.raises(ImportRefused) as caught:
            import_results(book(row(score=None)))
        assert str(caught.value.errors[0]) == "Row 2, column 'score': A value is required."
    guide = load_workbook(io.BytesIO(blank_template()))["안내"]
    assert guide["B2"].value == "평가 연도 (필수)"


def test_a_contract_period_overlapping_a_registered_one_refuses_the_whole_import(known):
    import datetime as dt

    ContractPeriod.objects.create(service=known, start=dt.date(2021, 1, 1),
                                  end=dt.date(2023, 12, 31))
    data = book(row(),
                row(seq=2, round=2, contract_start="2023-06-01", contract_end="2026-05-31"))
    with pytest.raises(ImportRefused) as info:
        import_results(data)
    assert [(e.row, e.column) for e in info.value.errors] == [(3, "contract_start")]
    assert Result.objects.count() == 0 and Round.objects.count() == 0
    assert ContractPeriod.objects.count() == 1


def test_what_an_import_creates_in_the_registry_is_in_the_audit_trail(known):
    from seonggwa.core.models import AuditEvent

    import_results(book(row(service_key="", service_name="새 사무", department="신설과",
                            contract_start="2022-01-01", contract_end="2024-12-31")),
                   create_missing=True)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"registry.organisation.create", "registry.service.create"} <= actions
    assert any(a.startswith("registry.contract") for a in actions)


def test_reimporting_a_year_export_reports_every_row_unchanged_in_few_queries(
        seoul, django_assert_max_num_queries):
    from seonggwa.core.models import AuditEvent

    exported = export_results(2018)  # 44 rows, each already stored (published)
    events = AuditEvent.objects.count()
    with django_assert_max_num_queries(12):
        report = import_results(exported, year=2018)
    assert (report.unchanged, report.created, report.corrected) == (44, 0, 0)
    assert AuditEvent.objects.count() == events
    assert cells(export_results(2018)) == cells(exported)


def test_a_row_of_another_year_is_refused_in_the_active_language(known):
    from django.utils import translation

    with pytest.raises(ImportRefused) as exc:
        import_results(book(row(year=2023)), year=2024)
    assert exc.value.errors[0].message == "2024년 파일에 2023년 행이 있습니다."
    with translation.override("en"), pytest.raises(ImportRefused) as exc:
        import_results(book(row(year=2023)), year=2024)
    assert "2023" in exc.value.errors[0].message and "년" not in exc.value.errors[0].message


# ----------------------------------------------------------------------------- hostile cells

def raw_book(*rows, header=COLUMNS) -> bytes:
    """A workbook written as raw XML (``_x0000_`` arrives as NUL, as a crafted file
    would send it)."""
    from xlsx_files import sheet_xlsx

    return sheet_xlsx(list(header), [[r.get(c) for c in header] for r in rows])


def test_slash_keys_and_nul_characters_are_row_errors_and_nothing_is_stored(known):
    data = raw_book(row(service_key="svc/../1"),
                    row(seq=2, service_key="", service_name="알려진_x0000_ 사무"),
                    row(seq=3, remark="비고_x0000_"))
    with pytest.raises(ImportRefused) as info:
        import_results(data)
    errors = {(e.row, e.column): e.message for e in info.value.errors}
    assert (2, "service_key") in errors
    assert "NUL" in errors[(3, "service_name")] and "NUL" in errors[(4, "remark")]
    assert Result.objects.count() == 0 and Round.objects.count() == 0


@pytest.mark.parametrize("escaped", ["_x0001_", "_x001F_", "_x007F_"])
def test_control_characters_are_row_errors_and_nothing_is_stored(known, escaped):
    data = raw_book(row(service_name=f"알려진{escaped} 사무"), row(seq=2, remark=f"비고{escaped}"))
    with pytest.raises(ImportRefused) as info:
        import_results(data)
    errors = {(e.row, e.column): e.message for e in info.value.errors}
    assert "제어 문자는 쓸 수 없습니다" in errors[(2, "service_name")]
    assert "제어 문자는 쓸 수 없습니다" in errors[(3, "remark")]
    assert Result.objects.count() == 0


@pytest.mark.parametrize("column, value", [
    ("seq", 1e30), ("round", 1e30), ("year", 1e30), ("score", 1e30), ("seq", -1),
    ("round", 70000), ("seq", "NaN"), ("score", "NaN"), ("score", "inf"), ("year", "-inf"),
    ("seq", "1" * 5000), ("score", "9" * 5000),
])
def test_out_of_range_numbers_are_row_errors_not_database_failures(known, column, value):
    with pytest.raises(ImportRefused) as info:
        import_results(raw_book(row(**{column: value})))
    [error] = [e for e in info.value.errors if e.column == column]
    assert error.row == 2 and len(error.message) < 200
    assert Result.objects.count() == 0


def test_over_long_texts_are_checked_against_their_fields(known):
    with pytest.raises(ImportRefused) as info:
        import_results(raw_book(row(remark="가" * 5000), row(seq=2, service_name="나" * 301,
                                                            service_key="")))
    errors = {(e.row, e.column): e.message for e in info.value.errors}
    assert "300" in errors[(2, "remark")] and "5000" in errors[(2, "remark")]
    assert "300" in errors[(3, "service_name")]
    assert len(str(info.value)) < 2000
    assert Result.objects.count() == 0


def test_formula_like_text_comes_back_exactly_after_export_and_import(known):
    texts = ["=사업비 50% 감액", "+재계약", "-감점 2", "@담당", "=1+1"]
    rnd = draft_round(2024)
    for i, text in enumerate(texts, start=1):
        svc = known if i == 1 else service(f"svc-f{i}", f"사무 {i}")
        workflow.record_result(service=svc, round=rnd, score="80", remark=text, seq=i,
                               contractor_name=text if i == 2 else "갑기관")
    data = export_results(2024)
    sheet = load_workbook(io.BytesIO(data))["results"]
    remark = COLUMNS.index("remark") + 1
    stored = [sheet.cell(r, remark) for r in range(2, 2 + len(texts))]
    assert all(c.data_type == "s" for c in stored)  # text, never a formula
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert sheet.cell(2, COLUMNS.index("score") + 1).data_type == "n"
    Result.objects.all().delete()
    import_results(data, create_missing=True)
    assert sorted(Result.objects.values_list("remark", flat=True)) == sorted(texts)
    assert Result.objects.get(seq=2).contractor_name == "+재계약"


def test_a_reimported_export_corrects_changed_rows_only_with_a_reason(known,
                                                                      django_user_model):
    from seonggwa.core.models import AuditEvent

    officer = django_user_model.objects.create_user("officer-x")
    res = workflow.record_result(service=known, round=draft_round(2024), score="80",
                                 seq=1, contractor_name="갑기관",
                                 contractors=[Organisation.objects.get(name="갑기관")])
    workflow.finalise_round(res.round)
    data = export_results(2024)
    report = import_results(data, year=2024)
    assert (report.unchanged, report.corrected, report.created) == (1, 0, 0)

    wb = load_workbook(io.BytesIO(data))
    ws = wb["results"]
    ws.cell(2, COLUMNS.index("score") + 1).value = 85.5
    ws.cell(2, COLUMNS.index("remark") + 1).value = "재산정"
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ImportRefused) as info:
        import_results(buf.getvalue(), year=2024)
    [error] = info.value.errors
    assert error.column == "correction_reason"
    assert "정정 사유" in error.message and "amend" not in error.message
    assert Result.objects.get().score == Decimal("80.00")

    ws.cell(2, COLUMNS.index("correction_reason") + 1).value = "평가위원 합산 오류"
    buf = io.BytesIO()
    wb.save(buf)
    report = import_results(buf.getvalue(), year=2024, actor=officer)
    assert (report.unchanged, report.corrected, report.created) == (0, 1, 0)
    res.refresh_from_db()
    assert (res.score, res.remark, res.status) == (Decimal("85.50"), "재산정", Status.FINALISED)
    event = AuditEvent.objects.filter(action="result.amend").get()
    assert event.reason == "평가위원 합산 오류" and event.actor == officer


def test_a_changed_service_name_or_a_reason_for_a_new_row_is_explained(known):
    res = workflow.record_result(service=known, round=draft_round(2024), score="80", seq=1,
                                 contractor_name="갑기관")
    with pytest.raises(ImportRefused) as info:
        import_results(book(row(score=80, service_name="바뀐 이름", contractor="갑기관")))
    assert any(e.column == "service_name" and "저장된 값" in e.message
               for e in info.value.errors)
    other = service("svc-k3", "새로운 사무")
    with pytest.raises(ImportRefused) as info:
        import_results(book(row(service_key=other.key, service_name=other.name, seq=2,
                                correction_reason="오타")))
    assert [e.column for e in info.value.errors] == ["correction_reason"]
    assert Result.objects.get() == res


def test_the_open_data_workbook_is_refused_with_the_workbook_to_use(seoul):
    from seonggwa.evaluations.interfaces.opendata import to_xlsx

    with pytest.raises(ImportRefused) as info:
        import_results(to_xlsx(), year=2018)
    [error] = info.value.errors
    assert "공공데이터" in error.message and "seonggwa-results-" in error.message
    assert str(error) == error.message  # no row number for the file as a whole


def test_a_workbook_over_the_row_limit_is_refused_whole(known, settings):
    settings.SEONGGWA_IMPORT_MAX_ROWS = 3
    with pytest.raises(ImportRefused, match="행이 너무 많습니다"):
        import_results(raw_book(*[row(seq=i) for i in range(1, 5)]))
    with pytest.raises(ImportRefused) as info:  # 3 rows: read, then the duplicates reported
        import_results(raw_book(*[row(seq=i) for i in range(1, 4)]))
    assert {e.row for e in info.value.errors} == {3, 4}
