"""Quantitative actuals entered or imported by the organisation go through the one input
path (``record_measurements``): audited, targets kept, refused after the deadline or for
another organisation, and a workbook read with the bounded reader."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from evaluations.factories import workbook

from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.models import Measurement
from seonggwa.submissions.domain import actuals_xlsx, submitting
from seonggwa.submissions.domain.submitting import SubmissionRefused
from submissions.conftest import DUE

pytestmark = pytest.mark.django_db


def save(w, values, who="contractor of the subject", today=DUE, reason=""):
    return submitting.save_actuals(w.round, w.ours, values, actor=w.users[who], today=today,
                                   reason=reason)


def test_actuals_are_recorded_through_the_input_path_and_keep_the_target(actuals_world):
    w = actuals_world
    Measurement.objects.create(round=w.round, subject=w.ours, indicator="Q1",
                               target=Decimal(900), entered_label="officer")
    save(w, {"Q1": "1234", "Q2": ""})
    row = Measurement.objects.get(indicator="Q1")
    assert (row.actual, row.target) == (Decimal(1234), Decimal(900))
    assert not Measurement.objects.filter(indicator="Q2").exists()  # empty: left as it is
    assert AuditEvent.objects.filter(action="measurement.record").count() == 1
    missing = submitting.missing_actuals(w.round, w.ours)
    assert [ind.code for ind in missing] == ["Q2"]


@pytest.mark.parametrize(("values", "words"), [
    ({"G1": "3"}, "정량 지표가 아닙니다"),
    ({"Q1": "많음"}, "숫자가 아닙니다"),
    ({"Q1": "1e30"}, "올바른 숫자가 아닙니다"),
    ({"Q1": "NaN"}, "올바른 숫자가 아닙니다"),
])
def test_wrong_actuals_are_refused_and_nothing_changes(actuals_world, values, words):
    with pytest.raises(SubmissionRefused, match=words):
        save(actuals_world, values)
    assert not Measurement.objects.exists()


def test_actuals_follow_the_deadline_and_the_organisation(actuals_world):
    w = actuals_world
    with pytest.raises(SubmissionRefused, match="끝났습니다"):
        save(w, {"Q1": "10"}, today=DUE + dt.timedelta(days=1))
    with pytest.raises(SubmissionRefused, match="다른 기관의 이름으로"):
        save(w, {"Q1": "10"}, who="contractor of another subject")
    assert not Measurement.objects.exists()


def test_submitting_needs_the_actuals_too(actuals_world, media):
    from submissions.files import pdf

    w = actuals_world
    for code in ("result_report", "indicator_table", "self_evaluation_head",
                 "self_evaluation_members"):
        submitting.upload(w.round, w.ours, code, name="a.pdf", data=pdf(),
                          actor=w.users["officer"], today=DUE)
    with pytest.raises(SubmissionRefused, match="정량 실적: 주민 참여자 수"):
        submitting.submit(w.round, w.ours, actor=w.users["officer"], today=DUE)
    save(w, {"Q1": "1200", "Q2": "25"})
    assert submitting.submit(w.round, w.ours, actor=w.users["officer"], today=DUE).state \
        == "submitted"


def test_the_template_lists_the_indicators_and_reads_back(actuals_world):
    w = actuals_world
    indicators = submitting.quantitative_indicators(w.round)
    data = actuals_xlsx.template(indicators, [])
    import io

    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(data)).active.values)
    assert rows[0] == actuals_xlsx.COLUMNS
    assert [r[0] for r in rows[1:]] == ["Q1", "Q2"] and rows[1][3] == 1000
    filled = workbook(실적=[list(actuals_xlsx.COLUMNS), ["Q1", "", "", "", 1500],
                          ["Q2", "", "", "", 30.5]])
    assert actuals_xlsx.read_actuals(filled, indicators) == {"Q1": Decimal(1500),
                                                             "Q2": Decimal("30.5")}


@pytest.mark.parametrize(("rows", "words"), [
    ([["코드", "값"], ["Q1", 1]], "'지표코드'와 '실적' 열"),
    ([["지표코드", "실적"], ["Q9", 1]], "2행: 이 평가틀의 정량 지표가 아닙니다: Q9"),
    ([["지표코드", "실적"], ["Q1", 1], ["Q1", 2]], "3행: Q1 지표가 두 번"),
    ([["지표코드", "실적"], ["Q1", "1,200명"]], "2행: 실적이 숫자가 아닙니다"),
])
def test_a_bad_workbook_is_refused_row_by_row(actuals_world, rows, words):
    indicators = submitting.quantitative_indicators(actuals_world.round)
    with pytest.raises(SubmissionRefused, match=words):
        actuals_xlsx.read_actuals(workbook(실적=rows), indicators)


@pytest.mark.parametrize("escaped", ["_x0001_", "_x001F_", "_x007F_"])
def test_a_control_character_in_a_cell_is_refused_with_its_row(actuals_world, escaped):
    from xlsx_files import sheet_xlsx

    indicators = submitting.quantitative_indicators(actuals_world.round)
    data = sheet_xlsx(["지표코드", "실적"], [["Q1", 1], [f"Q2{escaped}", 2]], sheet="실적")
    with pytest.raises(SubmissionRefused, match="3행: 제어 문자는 쓸 수 없습니다"):
        actuals_xlsx.read_actuals(data, indicators)
