"""The `seonggwa score` and `seonggwa template` commands, including every bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from seonggwa.cli import build_parser, main
from seonggwa.engine import list_presets, load_preset

HEADER = "subject,indicator,evaluator,value,actual,target,not_applicable\n"


@pytest.fixture(autouse=True)
def _english_environment(monkeypatch):
    """The assertions below read the English messages (the environment says English);
    the Korean default has its own tests."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


# --------------------------------------------------------------------------- happy paths


@pytest.mark.parametrize("preset", list_presets())
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_template_of_every_preset_scores_cleanly(tmp_path, capsys, preset, kind):
    template = tmp_path / f"template.{kind}"
    code, _, err = run(capsys, "template", "--framework", preset, "--output", template)
    assert code == 0, err
    for suffix in ("csv", "xlsx", "json"):
        output = tmp_path / f"result.{suffix}"
        code, _, err = run(capsys, "score", "-f", preset, "-i", template, "-o", output,
                           "--on-date", "2023-03-01")
        assert code == 0, err
        assert output.exists()
    rows = read_csv(tmp_path / "result.csv")
    assert [r["subject"] for r in rows] == ["S001", "S002"]
    framework_id = load_preset(preset).id  # a derived preset keeps its base's id
    assert all(r["framework"] == framework_id and r["total"] for r in rows)
    payload = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    assert payload["framework"]["id"] == framework_id
    assert len(payload["results"][0]["indicators"]) > 0
    workbook = openpyxl.load_workbook(tmp_path / "result.xlsx")
    assert workbook.sheetnames == ["results", "indicators"]
    assert not list(tmp_path.glob(".*.tmp"))  # temporary files are renamed or removed


def test_template_xlsx_has_scores_and_guide_sheets(tmp_path, capsys):
    path = tmp_path / "t.xlsx"
    assert run(capsys, "template", "-f", "seoul-civic-platform-2018", "-o", path)[0] == 0
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["scores", "guide"]
    header = [c.value for c in next(workbook["scores"].iter_rows(max_row=1))]
    assert header[:4] == ["subject", "indicator", "evaluator", "value"]


def test_score_hand_worked_outsourcing_to_stdout(tmp_path, capsys):
    # 24 + 40 + 85% of 20 = 81.00; 20 + 30 + 70% of 20 = 64.00 -> below 75 in 2023
    path = write(tmp_path / "in.csv", HEADER + "A,C,,24,,,\nA,I,,40,,,\nA,S,,85,,,\n"
                 "B,C,,20,,,\nB,I,,30,,,\nB,S,,70,,,\n")
    code, out, err = run(capsys, "score", "-f", "seoul-outsourcing", "-i", path,
                         "--on-date", "2023-01-01")
    assert code == 0, err
    rows = list(csv.DictReader(out.splitlines()))
    assert [(r["subject"], r["total"], r["decision"], r["decision_label"], r["policy"],
             r["threshold"]) for r in rows] == [
        ("A", "81.00", "eligible", "재계약 심의 가능", "recontract-75", "75"),
        ("B", "64.00", "exclude", "재계약 배제", "recontract-75", "75")]
    assert rows[1]["decision_label_en"] == "Excluded from re-contract"
    assert "policy recontract-75 (below 75: exclude 재계약 배제)" in err


def test_framework_from_a_yaml_path(tmp_path, capsys):
    framework = write(tmp_path / "fw.yaml", """
id: tiny
version: "1"
title: tiny
total: 10
areas:
  - code: a
    name: a
    indicators:
      - {code: x, name: x, kind: direct, points: 10}
""")
    path = write(tmp_path / "in.csv", "subject,indicator,value\ns1,x,7.5\n")
    code, out, _ = run(capsys, "score", "-f", framework, "-i", path)
    assert code == 0 and "7.50" in out


def test_labels_korean_headers_and_cp949_are_accepted(tmp_path, capsys):
    text = ("대상,지표,평가위원,값\n" + "".join(
        f"구로구,{goal},E{i},{label}\n" for goal in ("G1", "G2") for i, label in
        enumerate(["매우 우수", "우수", "우수", "보통", "매우 우수"])) + "구로구,Q,,70\n")
    path = tmp_path / "in.csv"
    path.write_bytes(text.encode("cp949"))
    code, out, err = run(capsys, "score", "-f", "seoul-civic-platform-2018", "-i", path)
    assert code == 0, err
    # ratings 5 4 4 3 5 -> mean 4.2 -> 42 per goal; 70 + 84 = 154.00, 양호
    row = next(csv.DictReader(out.splitlines()))
    assert (row["total"], row["band"]) == ("154.00", "양호")


def test_no_progress_bar_when_not_a_tty(tmp_path, capsys):
    path = write(tmp_path / "in.csv", HEADER + "A,C,,24,,,\nA,I,,40,,,\nA,S,,85,,,\n")
    code, _, err = run(capsys, "score", "-f", "seoul-outsourcing", "-i", path,
                       "-o", tmp_path / "o.csv", "--on-date", "2023-01-01")
    assert code == 0 and "reading" not in err and "rows" not in err


def test_parser_is_extensible():
    from seonggwa import cli

    cli.register_command("hello", "say hello", lambda p: p.add_argument("--name"),
                         lambda args: 0)
    try:
        args = build_parser().parse_args(["hello", "--name", "x"])
        assert args.name == "x" and args.handler(args) == 0
    finally:
        cli.COMMANDS.pop("hello")


# --------------------------------------------------------------------------- bad input


def fails(capsys, tmp_path, *argv, expect):
    output = tmp_path / "out.csv"
    code, out, err = run(capsys, "score", *argv, "-o", output)
    assert code == 2
    assert err.count("\n") == 1, err  # one message
    for part in expect:
        assert part in err, err
    assert not output.exists()
    assert not list(tmp_path.glob(".out.csv*"))
    return err


GOOD = HEADER + "A,C,,24,,,\nA,I,,40,,,\nA,S,,85,,,\n"


def test_unknown_preset(tmp_path, capsys):
    path = write(tmp_path / "in.csv", GOOD)
    fails(capsys, tmp_path, "-f", "seoul-nope", "-i", path,
          expect=["unknown preset 'seoul-nope'", "seoul-outsourcing"])


def test_malformed_framework(tmp_path, capsys):
    framework = write(tmp_path / "bad.yaml", "id: x\nareas: [\n  - {code: a\n")
    path = write(tmp_path / "in.csv", GOOD)
    fails(capsys, tmp_path, "-f", framework, "-i", path,
          expect=["bad.yaml", "not valid YAML", "line"])


FRAMEWORK = """
id: check
version: "1"
title: check
total: 100
bands:
  - {code: low, label: low, lower: 0, upper: 60}
  - {code: high, label: high, lower: %s, upper: 100}
areas:
  - code: a
    name: a
    indicators:
      - {code: x, name: x, kind: direct, points: %s}
      - {code: y, name: y, kind: direct, points: 40}
"""


def test_weights_not_summing(tmp_path, capsys):
    framework = write(tmp_path / "fw.yaml", FRAMEWORK % (60, 55))
    path = write(tmp_path / "in.csv", "subject,indicator,value\ns,x,1\n")
    fails(capsys, tmp_path, "-f", framework, "-i", path,
          expect=["fw.yaml: areas: ", "sum to 95", "expected 100"])


def test_overlapping_bands(tmp_path, capsys):
    framework = write(tmp_path / "fw.yaml", FRAMEWORK % (50, 60))
    path = write(tmp_path / "in.csv", "subject,indicator,value\ns,x,1\n")
    fails(capsys, tmp_path, "-f", framework, "-i", path,
          expect=["fw.yaml: bands[1].lower: ", "overlaps"])


def test_rating_outside_the_scale(tmp_path, capsys):
    rows = "".join(f"D,G1,E{i},4,,,\n" for i in range(4)) + "D,G1,E9,6,,,\n"
    path = write(tmp_path / "in.csv", HEADER + rows)
    fails(capsys, tmp_path, "-f", "seoul-civic-platform-2018", "-i", path,
          expect=["in.csv, row 6, column 'value'", "outside the scale", "1-5"])


def test_label_not_on_the_scale(tmp_path, capsys):
    path = write(tmp_path / "in.csv", HEADER + "D,G1,E1,최고,,,\n")
    fails(capsys, tmp_path, "-f", "seoul-civic-platform-2018", "-i", path,
          expect=["row 2, column 'value'", "'최고' is not a number"])


def test_non_numeric_actual(tmp_path, capsys):
    path = write(tmp_path / "in.csv", HEADER + "org,integrity,,,80,,\n"
                 "org,complaint-delay,,,네 건,,\n")
    fails(capsys, tmp_path, "-f", "seoul-bsc-2020-citizen-communication", "-i", path,
          expect=["in.csv, row 3, column 'actual'", "'네 건' is not a number"])


def test_duplicate_rows(tmp_path, capsys):
    path = write(tmp_path / "in.csv", GOOD + "A,I,,41,,,\n")
    fails(capsys, tmp_path, "-f", "seoul-outsourcing", "-i", path,
          expect=["row 5, column 'indicator'", "duplicate row", "first given in row 3"])


@pytest.mark.parametrize("text, message", [
    ("", "the file is empty"),
    ("subject,indicator,value\n", "no data rows"),
    ("\n\n", "header"),
])
def test_empty_files(tmp_path, capsys, text, message):
    path = write(tmp_path / "in.csv", text)
    fails(capsys, tmp_path, "-f", "seoul-outsourcing", "-i", path, expect=["in.csv", message])


def test_wrong_sheet_name(tmp_path, capsys):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Sheet1"
    workbook.active.append(["subject", "indicator", "value"])
    path = tmp_path / "in.xlsx"
    workbook.save(path)
    fails(capsys, tmp_path, "-f", "seoul-outsourcing", "-i", path,
          expect=["in.xlsx", "no sheet named 'scores'", "Sheet1"])


def test_not_a_workbook(tmp_path, capsys):
    path = write(tmp_path / "in.xlsx", "this is not a zip")
    fails(capsys, tmp_path, "-f", "seoul-outsourcing", "-i", path,
          expect=["in.xlsx", "not a readable .xlsx"])


def test_xlsx_errors_name_the_spreadsheet_row(tmp_path, capsys):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "scores"
    sheet.append(["subject", "indicator", "value"])
    sheet.append(["A", "C", 24])
    sheet.append(["A", "X9", 1])
    path = tmp_path / "in.xlsx"
    workbook.save(path)
    fails(capsys, tmp_path, "-f", "seoul-outsourcing", "-i", path,
          expect=["in.xlsx, row 3, column 'indicator'", "unknown indicator code 'X9'"])


def test_unknown_indicator_code(tmp_path, capsys):
    path = write(tmp_path / "in.csv", GOOD + "A,Z,,1,,,\n")
    fails(capsys, tmp_path, "-f", "seoul-outsourcing", "-i", path,
          expect=["row 5, column 'indicator'", "unknown indicator code 'Z'", "C, I, S"])


def test_unknown_column(tmp_path, capsys):
    path = write(tmp_path / "in.csv", "subject,indicator,valeu\nA,C,1\n")
    fails(capsys, tmp_path, "-f", "seoul-outsourcing", "-i", path,
          expect=["row 1, column 'valeu'", "unknown column"])


def test_missing_data_under_missing_error(tmp_path, capsys):
    path = write(tmp_path / "in.csv", HEADER + "A,C,,24,,,\nA,I,,40,,,\n")
    fails(capsys, tmp_path, "-f", "seoul-outsourcing", "-i", path, "--on-date", "2023-01-01",
          expect=["in.csv: subject 'A', indicator 'S'", "no usable data"])


def test_override_without_reason(tmp_path, capsys):
    path = write(tmp_path / "in.csv", "subject,indicator,actual,target,level,reason\n"
                 "서울,env-ghg,120,100,달성,\n")
    fails(capsys, tmp_path, "-f", "seoul-sustainability-2019", "-i", path,
          expect=["row 2, column 'reason'", "non-empty reason"])


def test_unsupported_output_type_writes_nothing(tmp_path, capsys):
    path = write(tmp_path / "in.csv", GOOD)
    output = tmp_path / "out.txt"
    code, _, err = run(capsys, "score", "-f", "seoul-outsourcing", "-i", path, "-o", output)
    assert code == 2 and "unsupported file type" in err and not output.exists()


def test_bad_date_option_exits_2(tmp_path, capsys):
    path = write(tmp_path / "in.csv", GOOD)
    with pytest.raises(SystemExit) as info:
        main(["score", "-f", "seoul-outsourcing", "-i", str(path), "--on-date", "2023-02-30"])
    assert info.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_existing_output_is_left_untouched_on_error(tmp_path, capsys):
    output = write(tmp_path / "out.csv", "previous results\n")
    path = write(tmp_path / "in.csv", GOOD + "A,Z,,1,,,\n")
    code, _, _ = run(capsys, "score", "-f", "seoul-outsourcing", "-i", path, "-o", output)
    assert code == 2
    assert output.read_text(encoding="utf-8") == "previous results\n"


# --------------------------------------------------------------------------- policy dates


def test_policy_comes_from_the_year_of_each_subject(tmp_path, capsys):
    # 70.00 published in 2020 is above the 60-point line of the time; in 2023 it is below 75.
    path = write(tmp_path / "in.csv", "subject,year,indicator,value\n"
                 "old,2020,T,70.00\nnew,2023,T,70.00\nolder,2019,T,59.99\n")
    output = tmp_path / "out.csv"
    code, _, err = run(capsys, "score", "-f", "seoul-outsourcing-published-total", "-i", path,
                       "-o", output)
    assert code == 0, err
    rows = read_csv(output)
    assert [(r["subject"], r["total"], r["decision"], r["policy"], r["threshold"],
             r["on_date"]) for r in rows] == [
        ("old", "70.00", "eligible", "recontract-60", "60", "2020-01-01"),
        ("new", "70.00", "exclude", "recontract-75", "75", "2023-01-01"),
        ("older", "59.99", "exclude", "recontract-60", "60", "2019-01-01")]
    assert "1 subject(s) evaluated on 2020-01-01: policy recontract-60 (below 60" in err
    assert "1 subject(s) evaluated on 2023-01-01: policy recontract-75 (below 75" in err


def test_on_date_applies_to_subjects_without_their_own_year(tmp_path, capsys):
    path = write(tmp_path / "in.csv", "subject,연도,indicator,value\n"
                 "old,2020년,T,70\nnew,,T,70\n")
    output = tmp_path / "out.json"
    code, _, err = run(capsys, "score", "-f", "seoul-outsourcing-published-total", "-i", path,
                       "-o", output, "--on-date", "2024-05-01")
    assert code == 0, err
    payload = json.loads(output.read_text(encoding="utf-8"))
    assert [(r["subject_id"], r["decision"], r["policy_id"], r["policy_threshold"],
             r["on_date"]) for r in payload["results"]] == [
        ("old", "eligible", "recontract-60", 60, "2020-01-01"),
        ("new", "exclude", "recontract-75", 75, "2024-05-01")]
    assert [(e["on_date"], e["policy"]["id"]) for e in payload["evaluations"]] == [
        ("2020-01-01", "recontract-60"), ("2024-05-01", "recontract-75")]


def test_date_column_and_xlsx_date_cells(tmp_path, capsys):
    import datetime as dt

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "scores"
    sheet.append(["subject", "date", "indicator", "value"])
    sheet.append(["s", dt.datetime(2021, 6, 30), "T", 61])
    path = tmp_path / "in.xlsx"
    workbook.save(path)
    code, out, err = run(capsys, "score", "-f", "seoul-outsourcing-published-total", "-i", path)
    assert code == 0, err
    row = next(csv.DictReader(out.splitlines()))
    assert (row["on_date"], row["policy"], row["decision"]) == (
        "2021-06-30", "recontract-60", "eligible")


def test_no_date_under_dated_policies_exits_2(tmp_path, capsys):
    path = write(tmp_path / "in.csv", GOOD)
    fails(capsys, tmp_path, "-f", "seoul-outsourcing", "-i", path,
          expect=["threshold policies", "recontract-60", "--on-date", "year"])


def test_a_subject_has_one_year(tmp_path, capsys):
    path = write(tmp_path / "in.csv", "subject,year,indicator,value\n"
                 "A,2020,C,24\nA,,I,40\nA,2021,S,85\n")
    fails(capsys, tmp_path, "-f", "seoul-outsourcing", "-i", path,
          expect=["row 4, column 'year'", "2021 conflicts with 2020-01-01", "row 2"])
    path = write(tmp_path / "in.csv", "subject,year,indicator,value\nA,20x0,C,24\n")
    fails(capsys, tmp_path, "-f", "seoul-outsourcing", "-i", path,
          expect=["row 2, column 'year'", "expected a year"])
    path = write(tmp_path / "in.csv", "subject,year,date,indicator,value\n"
                 "A,2020,2021-03-01,C,24\n")
    fails(capsys, tmp_path, "-f", "seoul-outsourcing", "-i", path,
          expect=["row 2, column 'date'", "not in year 2020"])


def test_frameworks_without_policies_need_no_date(tmp_path, capsys):
    path = write(tmp_path / "in.csv", "subject,indicator,value\nD,Q,70\n")
    code, out, err = run(capsys, "score", "-f", "seoul-civic-platform-2018", "-i", path)
    assert code == 2 and "no usable data" in err  # G1/G2 missing, not a date problem
    assert "--on-date" not in err


# --------------------------------------------------------------------------- rescaling


def test_rescaled_totals_state_their_scale(tmp_path, capsys):
    # The survey does not apply: 24 + 40.15 = 64.15 of 80 -> 80.19 of 100 (rescaled).
    path = write(tmp_path / "in.csv", HEADER + "A,C,,24,,,\nA,I,,40.15,,,\nA,S,,,,,1\n"
                 "B,C,,24,,,\nB,I,,40,,,\nB,S,,85,,,\n")
    code, out, err = run(capsys, "score", "-f", "seoul-outsourcing", "-i", path,
                         "--on-date", "2023-01-01")
    assert code == 0, err
    rows = list(csv.DictReader(out.splitlines()))
    assert [(r["total"], r["scale_max"], r["counted_points"], r["counted_max"], r["rescaled"])
            for r in rows] == [("80.19", "100", "64.15", "80.00", "yes"),
                               ("81.00", "100", "81.00", "100.00", "no")]
    assert "max_points" not in rows[0]
    assert "1 total(s) rescaled to the 100-point scale" in err


# --------------------------------------------------------------------------- files and language


def test_outputs_get_the_usual_permissions(tmp_path, capsys):
    import os
    import stat

    old = os.umask(0o022)
    try:
        template = tmp_path / "t.csv"
        assert run(capsys, "template", "-f", "seoul-outsourcing", "-o", template)[0] == 0
        assert stat.S_IMODE(template.stat().st_mode) == 0o644
        os.umask(0o027)
        result = tmp_path / "r.xlsx"
        assert run(capsys, "score", "-f", "seoul-outsourcing", "-i", template, "-o", result,
                   "--on-date", "2023-01-01")[0] == 0
        assert stat.S_IMODE(result.stat().st_mode) == 0o640
        result.chmod(0o600)  # an existing file keeps its mode
        assert run(capsys, "score", "-f", "seoul-outsourcing", "-i", template, "-o", result,
                   "--on-date", "2023-01-01")[0] == 0
        assert stat.S_IMODE(result.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_a_missing_value_column_is_reported_as_a_missing_column(tmp_path, capsys):
    path = write(tmp_path / "in.csv", "subject,indicator,evaluator\nS1,C,E1\n")
    code, _, err = run(capsys, "score", "-f", "seoul-outsourcing", "-i", path,
                       "--on-date", "2023-01-01")
    assert code == 2
    assert "row 1: column 'value' is missing" in err and "Traceback" not in err
    code, _, err = run(capsys, "score", "-f", "seoul-outsourcing", "-i", path,
                       "--on-date", "2023-01-01", "--lang", "ko")
    assert code == 2 and "1행: 'value' 열이 없습니다" in err


def test_korean_is_the_default_and_english_follows_lang_or_the_environment(tmp_path, capsys,
                                                                          monkeypatch):
    monkeypatch.delenv("LANG")
    path = tmp_path / "t.xlsx"
    code, _, err = run(capsys, "template", "-f", "seoul-outsourcing", "-o", path)
    assert code == 0 and "입력 양식" in err
    guide = openpyxl.load_workbook(path)["안내"]
    assert guide["A3"].value == "열" and "평가 대상" in guide["B4"].value
    code, _, err = run(capsys, "template", "-f", "seoul-outsourcing", "-o", path, "--lang", "en")
    assert code == 0 and err.startswith("template for")
    assert openpyxl.load_workbook(path).sheetnames == ["scores", "guide"]
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    code, _, err = run(capsys, "template", "-f", "seoul-outsourcing", "-o", path)
    assert err.startswith("template for")
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    code, _, err = run(capsys, "template", "-f", "seoul-outsourcing", "-o", path)
    assert "입력 양식" in err


def test_formula_like_text_is_written_as_text_and_read_back_exactly(tmp_path, capsys):
    path = write(tmp_path / "in.csv", "subject,indicator,value\n"
                 "=HYPERLINK(1),C,24\n=HYPERLINK(1),I,40\n=HYPERLINK(1),S,85\n")
    csv_out, xlsx_out = tmp_path / "r.csv", tmp_path / "r.xlsx"
    for output in (csv_out, xlsx_out):
        assert run(capsys, "score", "-f", "seoul-outsourcing", "-i", path, "-o", output,
                   "--on-date", "2023-01-01")[0] == 0
    assert read_csv(csv_out)[0]["subject"] == "'=HYPERLINK(1)"
    sheet = openpyxl.load_workbook(xlsx_out)["results"]
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("=HYPERLINK(1)", "s")
    total = sheet.cell(2, 3)
    assert sheet["C1"].value == "total" and total.data_type == "n" and total.value == 81
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    # the CSV written by the tool reads back as the same subject
    again = write(tmp_path / "again.csv", "subject,indicator,value\n"
                  "'=HYPERLINK(1),C,24\n'=HYPERLINK(1),I,40\n'=HYPERLINK(1),S,85\n")
    assert run(capsys, "score", "-f", "seoul-outsourcing", "-i", again, "-o", csv_out,
               "--on-date", "2023-01-01")[0] == 0
    assert read_csv(csv_out)[0]["subject"] == "'=HYPERLINK(1)"
