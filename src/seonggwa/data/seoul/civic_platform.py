"""Reader of the 2018 civic-platform evaluation plan (``civic_platform_2018.yaml``, seed 003).

Pure Python (standard library + PyYAML), no Django: the loader
(:mod:`seonggwa.examples.civic_platform`), the command line and the tests share
it. :func:`load_civic_platform_2018` validates the file against itself and raises
:class:`~seonggwa.data.seoul.reader.SeoulDataError` naming the entry of the first
problem: every district once, the project-year counts adding up to the printed number
of subjects, every district in exactly one round and its meeting inside that round's
printed dates, each printed weekday the weekday of its date.

Names stay exactly as written (SPEC §9). What the plan does not state is not invented:
a year-2 district's evaluation period starts at last year's evaluation, whose date per
district the plan does not give, so :meth:`CivicPlan.evaluation_period` marks that start
as estimated (the project-year start minus the "약 2개월" the plan says were not covered).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import yaml

from seonggwa.data.seoul.reader import SeoulDataError, Source, data_dir

__all__ = [
    "CIVIC_FILE",
    "CivicPlan",
    "CivicRound",
    "EvaluationPeriod",
    "PanelGroup",
    "PlatformDistrict",
    "load_civic_platform_2018",
    "months_before",
]

CIVIC_FILE = "civic_platform_2018.yaml"

WEEKDAYS = "월화수목금토일"  # dt.date.weekday() order
_OTHERS = re.compile(r"^그 외 (\d+)개 구$")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class PlatformDistrict:
    """One district's platform: its project year, round and meeting as printed."""

    seq: int  # 연번 of the meeting table
    district: str  # 자치구, as written
    project_year: int  # 1 or 2
    round: int
    meeting_date: dt.date
    weekday: str  # as printed, e.g. "월"
    meeting_start: dt.time
    meeting_end: dt.time
    project_start: dt.date  # 사업기간, as printed
    project_end: dt.date
    place_as_written: str  # the merged cell: "해당 자치구 시민협력 플랫폼 거점공간"
    early_reason: str | None  # "사업 중도 포기" for a district evaluated early
    source_line: int

    @property
    def place(self) -> str:
        """The meeting place with "해당 자치구" (the district of the row) named."""
        return self.place_as_written.replace("해당 자치구", self.district, 1)

    @property
    def withdrawn(self) -> bool:
        return self.early_reason is not None


@dataclass(frozen=True, slots=True)
class CivicRound:
    number: int  # 1, 2, 3 (1차/2차/3차)
    timing: str  # "6월 말", as printed
    districts_as_written: str  # "도봉구, 구로구, 양천구" or "그 외 7개 구"
    districts: tuple[str, ...]  # the meeting-table rows of the round, in printed order
    cutoff: dt.date  # 결과보고서 작성 기준일
    submission_due: dt.date  # 평가서류 제출일
    meetings_first: dt.date
    meetings_last: dt.date
    cutoff_printed: str
    submission_printed: str
    meetings_printed: str


@dataclass(frozen=True, slots=True)
class PanelGroup:
    group: str  # "행 정", as printed
    members: int
    detail: str
    note: str
    source_line: int


@dataclass(frozen=True, slots=True)
class EvaluationPeriod:
    """The months a district's evaluation covers (SPEC §4, 평가 범위)."""

    start: dt.date
    end: dt.date  # the round's cut-off (결과보고서 작성 기준일)
    start_estimated: bool  # year 2: last year's evaluation date is not in the plan
    uncovered_months: int  # year 2: months before the project year included (약 2개월)


@dataclass(frozen=True, slots=True)
class CivicPlan:
    source_file: str
    title: str
    subjects: int  # printed count (11개 구)
    evaluation_months: str  # "2018. 6.~9."
    previous_evaluation: str  # the 2017 evaluation, "2017.8.~10."
    period_rules: dict[int, str]  # project year → the printed rule
    year2_uncovered_months: int
    rounds: tuple[CivicRound, ...]
    districts: tuple[PlatformDistrict, ...]  # in the meeting table's order
    panel: tuple[PanelGroup, ...]

    @property
    def year(self) -> int:
        return self.rounds[0].cutoff.year

    def district(self, name: str) -> PlatformDistrict:
        for d in self.districts:
            if d.district == name:
                return d
        raise KeyError(name)

    def round(self, number: int) -> CivicRound:
        for r in self.rounds:
            if r.number == number:
                return r
        raise KeyError(number)

    def by_project_year(self, project_year: int) -> tuple[PlatformDistrict, ...]:
        return tuple(d for d in self.districts if d.project_year == project_year)

    def evaluation_period(self, name: str) -> EvaluationPeriod:
        """Year 1: from the project start to the round's cut-off. Year 2: from last
        year's evaluation — estimated as the project-year start minus the uncovered
        months — to the cut-off."""
        d = self.district(name)
        end = self.round(d.round).cutoff
        if d.project_year == 1:
            return EvaluationPeriod(d.project_start, end, False, 0)
        months = self.year2_uncovered_months
        return EvaluationPeriod(months_before(d.project_start, months), end, True, months)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (the month's last day when the
    earlier month is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


# --------------------------------------------------------------------------- loading


def load_civic_platform_2018(source: Source = None) -> CivicPlan:
    """Read and validate ``civic_platform_2018.yaml`` (the packaged one by default, or the
    one in the directory ``source``)."""
    doc = _read(source)
    f = CIVIC_FILE
    _mapping(doc, "document", ["source_file", "title", "subjects", "evaluation_months",
                               "previous_evaluation", "project_years", "year2_uncovered",
                               "rounds", "meeting_place", "meetings", "early_evaluations",
                               "panel"])
    project_year_of = _project_years(doc["project_years"])
    early = _early(doc["early_evaluations"], project_year_of)
    place = str(_mapping(doc["meeting_place"], "meeting_place", ["value"])["value"])
    districts = tuple(_district(i, row, project_year_of, early, place)
                      for i, row in enumerate(_list(doc["meetings"], "meetings")))
    _check_districts(districts, project_year_of, _value(doc["subjects"], "subjects", int))
    rounds = tuple(_round(i, row, districts) for i, row in enumerate(_list(doc["rounds"], "rounds")))
    if [r.number for r in rounds] != list(range(1, len(rounds) + 1)):
        raise SeoulDataError(f, "rounds", "number", "rounds must be numbered 1, 2, 3, … in order")
    unrounded = sorted({d.round for d in districts} - {r.number for r in rounds})
    if unrounded:
        raise SeoulDataError(f, "meetings", "round", f"round {unrounded[0]} is not in rounds")
    uncovered = _mapping(doc["year2_uncovered"], "year2_uncovered", ["months"])["months"]
    if not isinstance(uncovered, int) or not 0 <= uncovered <= 12:
        raise SeoulDataError(f, "year2_uncovered", "months", "expected 0 to 12 months")
    return CivicPlan(
        source_file=str(doc["source_file"]),
        title=_value(doc["title"], "title", str),
        subjects=_value(doc["subjects"], "subjects", int),
        evaluation_months=_value(doc["evaluation_months"], "evaluation_months", str),
        previous_evaluation=_value(doc["previous_evaluation"], "previous_evaluation", str),
        period_rules={e["project_year"]: _value(e["period_rule"], "period_rule", str)
                      for e in doc["project_years"]},
        year2_uncovered_months=uncovered,
        rounds=rounds,
        districts=districts,
        panel=tuple(_panel(i, row) for i, row in enumerate(_list(doc["panel"], "panel"))),
    )


def _read(source: Source) -> dict:
    path = data_dir(source).joinpath(CIVIC_FILE)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SeoulDataError(CIVIC_FILE, None, None, "file not found") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SeoulDataError(CIVIC_FILE, None, None, f"invalid YAML: {exc}") from None


def _mapping(value: Any, path: str, keys: list[str]) -> dict:
    if not isinstance(value, dict):
        raise SeoulDataError(CIVIC_FILE, path, None, "expected a mapping")
    for key in keys:
        if key not in value:
            raise SeoulDataError(CIVIC_FILE, path, key, "missing")
    return value


def _list(value: Any, path: str) -> list:
    if not isinstance(value, list) or not value:
        raise SeoulDataError(CIVIC_FILE, path, None, "expected a non-empty list")
    return value


def _value(entry: Any, path: str, kind: type):
    value = _mapping(entry, path, ["value"])["value"]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise SeoulDataError(CIVIC_FILE, path, "value", f"expected {kind.__name__}")
    return value


def _date(value: Any, path: str, column: str) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise SeoulDataError(CIVIC_FILE, path, column, f"expected a date, found {value!r}")
    return value


def _time(value: Any, path: str, column: str) -> dt.time:
    m = _TIME.match(str(value))
    if not m:
        raise SeoulDataError(CIVIC_FILE, path, column, f"expected HH:MM, found {value!r}")
    return dt.time(int(m.group(1)), int(m.group(2)))


def _project_years(entries: Any) -> dict[str, int]:
    """District → project year, each district once, each count as printed."""
    out: dict[str, int] = {}
    for i, e in enumerate(_list(entries, "project_years")):
        path = f"project_years[{i}]"
        _mapping(e, path, ["project_year", "count", "districts", "period_rule"])
        if e["project_year"] not in (1, 2):
            raise SeoulDataError(CIVIC_FILE, path, "project_year", "expected 1 or 2")
        names = _list(e["districts"], path)
        if len(names) != e["count"]:
            raise SeoulDataError(CIVIC_FILE, path, "count",
                                 f"{e['count']} printed, {len(names)} districts listed")
        for name in names:
            if name in out:
                raise SeoulDataError(CIVIC_FILE, path, "districts", f"{name} listed twice")
            out[name] = e["project_year"]
    return out


def _early(entries: Any, project_year_of: dict[str, int]) -> dict[str, str]:
    out = {}
    for i, e in enumerate(entries or []):
        path = f"early_evaluations[{i}]"
        _mapping(e, path, ["district", "reason"])
        if e["district"] not in project_year_of:
            raise SeoulDataError(CIVIC_FILE, path, "district", f"{e['district']} is no subject")
        out[e["district"]] = str(e["reason"])
    return out


def _district(i: int, row: Any, project_year_of: dict[str, int], early: dict[str, str],
              place: str) -> PlatformDistrict:
    path = f"meetings[{i}]"
    _mapping(row, path, ["seq", "round", "district", "date", "weekday", "start", "end",
                         "project_period", "line"])
    name = row["district"]
    if name not in project_year_of:
        raise SeoulDataError(CIVIC_FILE, path, "district", f"{name} has no project year")
    day = _date(row["date"], path, "date")
    if WEEKDAYS[day.weekday()] != row["weekday"]:
        raise SeoulDataError(CIVIC_FILE, path, "weekday",
                             f"{day} is a {WEEKDAYS[day.weekday()]}요일, printed {row['weekday']}")
    start, end = _time(row["start"], path, "start"), _time(row["end"], path, "end")
    if end <= start:
        raise SeoulDataError(CIVIC_FILE, path, "end", "the meeting ends before it starts")
    period = row["project_period"]
    if not isinstance(period, list) or len(period) != 2:
        raise SeoulDataError(CIVIC_FILE, path, "project_period", "expected [start, end]")
    p_start = _date(period[0], path, "project_period")
    p_end = _date(period[1], path, "project_period")
    if p_end <= p_start:
        raise SeoulDataError(CIVIC_FILE, path, "project_period", "ends before it starts")
    return PlatformDistrict(
        seq=row["seq"], district=name, project_year=project_year_of[name], round=row["round"],
        meeting_date=day, weekday=row["weekday"], meeting_start=start, meeting_end=end,
        project_start=p_start, project_end=p_end, place_as_written=place,
        early_reason=early.get(name), source_line=row["line"])


def _check_districts(districts: tuple[PlatformDistrict, ...], project_year_of: dict[str, int],
                     printed: int) -> None:
    seen: set[str] = set()
    for i, d in enumerate(districts):
        if d.seq != i + 1:
            raise SeoulDataError(CIVIC_FILE, f"meetings[{i}]", "seq", f"expected {i + 1}")
        if d.district in seen:
            raise SeoulDataError(CIVIC_FILE, f"meetings[{i}]", "district",
                                 f"{d.district} has a second meeting")
        seen.add(d.district)
    missing = sorted(set(project_year_of) - seen)
    if missing:
        raise SeoulDataError(CIVIC_FILE, "meetings", "district", f"no meeting for {missing[0]}")
    if len(project_year_of) != printed:
        raise SeoulDataError(CIVIC_FILE, "subjects", "value",
                             f"{printed} printed, {len(project_year_of)} districts listed")


def _round(i: int, row: Any, districts: tuple[PlatformDistrict, ...]) -> CivicRound:
    path = f"rounds[{i}]"
    _mapping(row, path, ["number", "timing", "districts_as_written", "cutoff",
                         "submission_due", "meetings"])
    number = row["number"]
    mine = tuple(d.district for d in districts if d.round == number)
    written = str(row["districts_as_written"])
    others = _OTHERS.match(written)
    if others:
        if int(others.group(1)) != len(mine):
            raise SeoulDataError(CIVIC_FILE, path, "districts_as_written",
                                 f"{written} printed, {len(mine)} meetings in the round")
    elif tuple(written.split(", ")) != mine:
        raise SeoulDataError(CIVIC_FILE, path, "districts_as_written",
                             f"{written} printed, the meetings name {', '.join(mine)}")
    meetings = _mapping(row["meetings"], path, ["first", "last", "printed"])
    first = _date(meetings["first"], path, "meetings.first")
    last = _date(meetings["last"], path, "meetings.last")
    for d in districts:
        if d.round == number and not first <= d.meeting_date <= last:
            raise SeoulDataError(CIVIC_FILE, path, "meetings",
                                 f"{d.district} meets on {d.meeting_date}, outside {first}–{last}")
    cutoff = _mapping(row["cutoff"], path, ["value", "printed"])
    due = _mapping(row["submission_due"], path, ["value", "printed"])
    return CivicRound(
        number=number, timing=_value(row["timing"], f"{path}.timing", str),
        districts_as_written=written, districts=mine,
        cutoff=_date(cutoff["value"], path, "cutoff"),
        submission_due=_date(due["value"], path, "submission_due"),
        meetings_first=first, meetings_last=last,
        cutoff_printed=str(cutoff["printed"]), submission_printed=str(due["printed"]),
        meetings_printed=str(meetings["printed"]))


def _panel(i: int, row: Any) -> PanelGroup:
    path = f"panel[{i}]"
    _mapping(row, path, ["group", "members", "detail", "note", "line"])
    return PanelGroup(group=str(row["group"]), members=int(row["members"]),
                      detail=str(row["detail"]), note=str(row["note"]),
                      source_line=int(row["line"]))
