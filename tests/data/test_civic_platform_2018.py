"""The 2018 civic-platform plan (civic_platform_2018.yaml) against the seed text 003.

The expected values are re-extracted from the seed by the patterns below, never typed in
here: a wrong date, district or count in the data file fails the diff. The seed folder
is /work/shared/seeds (or SEONGGWA_SEEDS); the seed tests skip when it is absent, e.g. in
an installed package. The reader's own checks (a district twice, a wrong weekday, …) are
tested on broken copies of the packaged file and need no seed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from seonggwa.data.seoul import civic_platform as cp
from seonggwa.data.seoul.reader import SeoulDataError


def _seed_dir() -> Path | None:
    for c in (os.environ.get("SEONGGWA_SEEDS"), "/work/shared/seeds"):
        if c and Path(c).is_dir() and list(Path(c).glob("003_*.txt")):
            return Path(c)
    return None


SEEDS = _seed_dir()
needs_seed = pytest.mark.skipif(SEEDS is None, reason="seed texts not available")


@pytest.fixture(scope="module")
def plan() -> cp.CivicPlan:
    return cp.load_civic_platform_2018()


@pytest.fixture(scope="module")
def seed(plan) -> list[str]:
    path = SEEDS / plan.source_file
    return path.read_text(encoding="utf-8").split("\n")


def _short_date(text: str) -> dt.date:
    """"'18.6.26." / "'18. 6.11." / "'17. 12. 7." → a date."""
    y, m, d = (int(x) for x in re.fullmatch(r"'(\d\d)\.\s*(\d{1,2})\.\s*(\d{1,2})\.?", text.strip())
               .groups())
    return dt.date(2000 + y, m, d)


def _line_starting(seed: list[str], prefix: str) -> tuple[int, str]:
    """The line that starts with ``prefix`` (a line printed twice, identically, counts once)."""
    found = [(n, line.strip()) for n, line in enumerate(seed, start=1)
             if line.strip().startswith(prefix)]
    assert found and len({line for _n, line in found}) == 1, prefix
    return found[0]


# ------------------------------------------------------------------ districts and years


@needs_seed
def test_the_districts_per_project_year_are_the_seed_lists(plan, seed):
    for project_year in (1, 2):
        _n, line = _line_starting(seed, f"※ {project_year}년차" if project_year == 2
                                  else f"{project_year}년차(")
        m = re.search(rf"{project_year}년차\((\d+)개 구\): (.+)$", line)
        count, names = int(m.group(1)), m.group(2).split(", ")
        assert len(names) == count
        assert [d.district for d in plan.by_project_year(project_year)] == [
            name for name in [d.district for d in plan.districts] if name in names]
        assert {d.district for d in plan.by_project_year(project_year)} == set(names)


@needs_seed
def test_eleven_districts_are_five_in_year_one_and_six_in_year_two_each_once(plan, seed):
    _n, line = _line_starting(seed, "- 평가 대상:")
    printed = int(re.search(r"\((\d+)개 구\)", line).group(1))
    names = [d.district for d in plan.districts]
    assert len(names) == len(set(names)) == printed == plan.subjects
    year1, year2 = len(plan.by_project_year(1)), len(plan.by_project_year(2))
    assert year1 + year2 == printed
    for project_year, count in ((1, year1), (2, year2)):
        assert f"{project_year}년차({count}개 구)" in "\n".join(seed)


# ------------------------------------------------------------------ the meeting table


def _meeting_rows(seed: list[str]) -> list[dict]:
    header, _ = _line_starting(seed, "연번\t구분\t자치구\t성과평가 회의 일시")
    rows, round_no, place = [], None, None
    for n in range(header + 1, len(seed) + 1):
        parts = seed[n - 1].split("\t")
        if not parts[0].isdecimal():
            break
        seq, label, district, when, period = parts[:5]
        round_no = int(label.rstrip("차")) if label else round_no
        place = parts[5] if len(parts) > 5 and parts[5] else place
        m = re.fullmatch(r"(\d+)\. (\d+)\.\((.)\) (\d\d:\d\d)~(\d\d:\d\d)", when)
        start, end = period.split("~")
        rows.append({"seq": int(seq), "round": round_no, "district": district,
                     "date": dt.date(plan_year(seed), int(m.group(1)), int(m.group(2))),
                     "weekday": m.group(3), "start": m.group(4), "end": m.group(5),
                     "project": (_short_date(start), _short_date(end)), "place": place,
                     "line": n})
    return rows


def plan_year(seed: list[str]) -> int:
    return int(re.match(r"(\d{4})", seed[2].strip()).group(1))


@needs_seed
def test_every_meeting_row_equals_the_seed_table(plan, seed):
    rows = _meeting_rows(seed)
    assert len(rows) == len(plan.districts)
    for row, d in zip(rows, plan.districts, strict=True):
        got = {"seq": d.seq, "round": d.round, "district": d.district, "date": d.meeting_date,
               "weekday": d.weekday, "start": d.meeting_start.strftime("%H:%M"),
               "end": d.meeting_end.strftime("%H:%M"),
               "project": (d.project_start, d.project_end), "place": d.place_as_written,
               "line": d.source_line}
        assert got == row


@needs_seed
def test_the_place_is_the_districts_own_platform_space(plan, seed):
    """The merged place cell says "해당 자치구": each meeting is in its own district."""
    for d in plan.districts:
        assert d.place.startswith(d.district)
        assert d.place.endswith(d.place_as_written.removeprefix("해당 자치구"))


# ------------------------------------------------------------------ rounds


@needs_seed
def test_cutoffs_and_submission_dates_equal_the_procedure_table(plan, seed):
    _n, line = _line_starting(seed, "4. 성과평가 서류 제출 및 정량평가")
    cutoffs = re.findall(r"〈(\d)차〉 ([^〈]+?) ~ ('\d\d\.\d{1,2}\.\d{1,2}\.)", line)
    submitted = re.findall(r"〈(\d)차〉 ('\d\d\. ?\d{1,2}\.\d{1,2}\.)", line.split("평가서류 제출일")[1])
    assert [(r.number, r.districts_as_written, r.cutoff) for r in plan.rounds] == [
        (int(n), names, _short_date(day)) for n, names, day in cutoffs]
    assert [(r.number, r.submission_due) for r in plan.rounds] == [
        (int(n), _short_date(day)) for n, day in submitted]
    for r in plan.rounds:
        assert r.cutoff_printed in line and r.submission_printed in line


@needs_seed
def test_submission_deadlines_agree_with_the_documents_section(plan, seed):
    _n, line = _line_starting(seed, "- 기한:")
    printed = re.findall(r"\((\d)차\) ('\d\d\. \d{1,2}\. \d{1,2}\.)", line)
    assert [(r.number, r.submission_due) for r in plan.rounds] == [
        (int(n), _short_date(day)) for n, day in printed]


@needs_seed
def test_round_timing_and_districts_equal_the_overview_line(plan, seed):
    _n, line = _line_starting(seed, "〈1차〉 6월 말")
    printed = re.findall(r"〈(\d)차〉 ([^:]+): ([^〈]+?)(?= 〈|$)", line)
    assert [(r.number, r.timing, r.districts_as_written) for r in plan.rounds] == [
        (int(n), timing, names) for n, timing, names in printed]
    others = [r for r in plan.rounds if r.districts_as_written.startswith("그 외")]
    named = {name for r in plan.rounds if r not in others for name in r.districts}
    for r in others:
        assert set(r.districts) == {d.district for d in plan.districts} - named


@needs_seed
def test_meeting_ranges_equal_the_schedule_column(plan, seed):
    _n, line = _line_starting(seed, "5. 성과평가 실시")
    printed = re.findall(r"〈(\d)차〉 '(\d\d)\. ?(\d{1,2})\. ?(\d{1,2})(?:~(\d{1,2}))?\.", line)
    got = [(r.number, r.meetings_first, r.meetings_last) for r in plan.rounds]
    assert got == [(int(n), dt.date(2000 + int(y), int(m), int(a)),
                    dt.date(2000 + int(y), int(m), int(b or a))) for n, y, m, a, b in printed]
    total = int(re.search(r"\(총 (\d+)회\)", line).group(1))
    assert total == len(plan.districts)


# ------------------------------------------------------------------ early evaluation, periods


@needs_seed
def test_seodaemun_withdraws_and_is_evaluated_early(plan, seed):
    _n, line = _line_starting(seed, "※ 서대문구는")
    m = re.match(r"※ (\S+)는 (.+?)에 따라 (\d{4})\. (\d{1,2})\.에 성과평가", line)
    district = plan.district(m.group(1))
    assert district.withdrawn and district.early_reason == m.group(2)
    assert (district.meeting_date.year, district.meeting_date.month) == (int(m.group(3)),
                                                                         int(m.group(4)))
    assert [d.district for d in plan.districts if d.withdrawn] == [m.group(1)]
    # Its project ends on its round's cut-off: it was evaluated up to its withdrawal.
    assert district.project_end == plan.round(district.round).cutoff


@needs_seed
def test_evaluation_periods_follow_the_printed_rules(plan, seed):
    _n, rule1 = _line_starting(seed, "- 1년차:")
    _n, rule2 = _line_starting(seed, "- 2년차:")
    assert rule1.endswith(plan.period_rules[1]) and rule2.endswith(plan.period_rules[2])
    _n, uncovered = _line_starting(seed, "- 2년차 수행단체의 경우")
    months = int(re.search(r"약 (\d+)개월 분", uncovered).group(1))
    assert plan.year2_uncovered_months == months
    for d in plan.districts:
        period = plan.evaluation_period(d.district)
        assert period.end == plan.round(d.round).cutoff
        if d.project_year == 1:
            assert (period.start, period.start_estimated) == (d.project_start, False)
        else:  # last year's evaluation date is not printed: an estimate, and marked so
            assert period.start_estimated and period.uncovered_months == months
            assert period.start == cp.months_before(d.project_start, months)
            assert period.start < d.project_start


@needs_seed
def test_every_quoted_line_is_the_seed_line(plan, seed):
    doc = yaml.safe_load((Path(cp.__file__).parent / cp.CIVIC_FILE).read_text(encoding="utf-8"))
    quotes = [doc["title"], doc["subjects"], doc["evaluation_months"], doc["previous_evaluation"],
              doc["year2_uncovered"], *doc["meetings"], *doc["early_evaluations"]]
    for e in doc["project_years"]:
        quotes += [e, e["period_rule"]]
    quotes += [r["timing"] for r in doc["rounds"]]
    for q in quotes:
        assert seed[q["line"] - 1].strip() == q["text"], q["line"]
        if "value" in q:
            assert str(q["value"]) in q["text"]
    for r in doc["rounds"]:
        for part in (r["cutoff"], r["submission_due"], r["meetings"]):
            assert part["printed"] in seed[part["line"] - 1]
        assert r["submission_due"]["deadline_printed"] in seed[
            r["submission_due"]["deadline_line"] - 1]
    assert doc["meeting_place"]["value"] in seed[doc["meeting_place"]["line"] - 1]
    for g in plan.panel:
        line = seed[g.source_line - 1].split("\t")
        assert line == [g.group, str(g.members), g.detail, g.note]


@needs_seed
def test_the_panel_has_seven_members_as_printed(plan, seed):
    _n, line = _line_starting(seed, "○ 자치구별 7명 내외")
    assert sum(g.members for g in plan.panel) == int(re.search(r"(\d+)명", line).group(1))


# ------------------------------------------------------------------ the reader refuses


def _broken_copy(tmp_path: Path, edit) -> Path:
    source = Path(cp.__file__).parent / cp.CIVIC_FILE
    doc = yaml.safe_load(source.read_text(encoding="utf-8"))
    edit(doc)
    (tmp_path / cp.CIVIC_FILE).write_text(yaml.safe_dump(doc, allow_unicode=True),
                                          encoding="utf-8")
    return tmp_path


def _second_meeting(doc):
    doc["meetings"][2]["district"] = doc["meetings"][1]["district"]


def _wrong_weekday(doc):
    doc["meetings"][0]["weekday"] = "화"


def _count_off(doc):
    doc["project_years"][0]["count"] = 5


def _meeting_outside_round(doc):
    doc["meetings"][1]["date"] = dt.date(2018, 9, 3)
    doc["meetings"][1]["weekday"] = "월"


def _unknown_district(doc):
    doc["meetings"][4]["district"] = "가상구"


def _round_names_differ(doc):
    doc["rounds"][1]["districts_as_written"] = "도봉구, 양천구"


def _others_count(doc):
    doc["rounds"][2]["districts_as_written"] = "그 외 6개 구"


def _bad_time(doc):
    doc["meetings"][3]["end"] = "24:00"


@pytest.mark.parametrize("edit, where, says", [
    (_second_meeting, "meetings[2]", "second meeting"),
    (_wrong_weekday, "meetings[0]", "printed 화"),
    (_count_off, "project_years[0]", "5 printed, 6 districts"),
    (_meeting_outside_round, "rounds[1]", "outside"),
    (_unknown_district, "meetings[4]", "no project year"),
    (_round_names_differ, "rounds[1]", "the meetings name"),
    (_others_count, "rounds[2]", "7 meetings"),
    (_bad_time, "meetings[3]", "HH:MM"),
])
def test_a_broken_file_is_refused_naming_the_entry(tmp_path, edit, where, says):
    with pytest.raises(SeoulDataError) as caught:
        cp.load_civic_platform_2018(_broken_copy(tmp_path, edit))
    assert caught.value.row == where and says in str(caught.value)


def test_a_missing_file_is_named(tmp_path):
    shutil.rmtree(tmp_path)
    tmp_path.mkdir()
    with pytest.raises(SeoulDataError, match="file not found"):
        cp.load_civic_platform_2018(tmp_path)


def test_months_before_keeps_the_day_or_the_months_last():
    assert cp.months_before(dt.date(2017, 11, 21), 2) == dt.date(2017, 9, 21)
    assert cp.months_before(dt.date(2018, 4, 30), 2) == dt.date(2018, 2, 28)
    assert cp.months_before(dt.date(2018, 1, 15), 2) == dt.date(2017, 11, 15)
