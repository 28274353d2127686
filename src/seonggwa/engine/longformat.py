"""Long-format input: one row per subject x indicator x evaluator -> :class:`BatchInput`.

This is the layout of the CLI's CSV/XLSX input and of any import (see docs/engine.md):

=============== ========= ==================================================================
column          required  meaning
=============== ========= ==================================================================
subject         yes       subject identifier (service, district, organisation, region)
indicator       yes       indicator code from the framework
evaluator       no        panel member; one row per member for rating/survey/direct
value           no        rating (number or scale label), survey score 0-100, direct points
actual          no        quantitative actual
target          no        quantitative target (empty = the framework's target)
target_high     no        upper end of the target for direction: range
not_applicable  no        1/true/yes/y/예/해당없음 = the indicator is left out (never zero)
group           no        subject group (e.g. 시부/도부); the same on every row of a subject
year            no        evaluation year (2020 = 1 January 2020): selects the threshold
                          policy in force; the same on every row of a subject
date            no        evaluation date YYYY-MM-DD, instead of (or agreeing with) year
level           no        manual classification (달성/일부달성/미달성 or its code) ...
reason          no        ... with its mandatory reason
name, note      no        free text, ignored by scoring
=============== ========= ==================================================================

Korean headers are accepted too (대상, 지표, 평가위원, 값, 실적, 목표, 목표상한, 해당없음, 그룹,
연도, 평가연도, 기준일, 평가일, 판정, 사유, 이름, 비고). :func:`dated_batch_from_rows` also
returns each subject's date (None when its rows give none); :func:`batch_from_rows`
checks the year/date cells the same way and returns the batch only. Rows are given with their 1-based spreadsheet row numbers, so every
:class:`InputError` names the row and column the user sees. Pure stdlib + numpy: the
file formats themselves are read by the caller (CLI, Django import).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .batch_input import BatchInput, ClassOverride
from .errors import InputError
from .framework import Framework

__all__ = ["COLUMNS", "REQUIRED_COLUMNS", "batch_from_rows", "canonical_header",
           "dated_batch_from_rows", "panel_ratings"]

COLUMNS = ("subject", "indicator", "evaluator", "value", "actual", "target", "target_high",
           "not_applicable", "group", "year", "date", "level", "reason", "name", "note")
REQUIRED_COLUMNS = ("subject", "indicator")
ALIASES = {
    "대상": "subject", "평가대상": "subject", "지표": "indicator", "지표코드": "indicator",
    "평가위원": "evaluator", "위원": "evaluator", "값": "value", "점수": "value",
    "실적": "actual", "목표": "target", "목표상한": "target_high", "해당없음": "not_applicable",
    "그룹": "group", "연도": "year", "평가연도": "year", "기준일": "date", "평가일": "date",
    "판정": "level", "사유": "reason", "이름": "name", "비고": "note",
    "n/a": "not_applicable", "na": "not_applicable",
}
_TRUE = {"1", "true", "yes", "y", "예", "o", "해당없음", "n/a", "na", "x"}
_FALSE = {"", "0", "false", "no", "n", "아니오", "해당"}
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def canonical_header(header: Sequence[Any], source: str) -> list[str]:
    """Map header cells to canonical column names; reject unknown or repeated columns."""
    names: list[str] = []
    for position, cell in enumerate(header, start=1):
        text = "" if cell is None else str(cell).strip()
        key = text.lower()
        name = key if key in COLUMNS else ALIASES.get(text, ALIASES.get(key))
        if name is None:
            column = text or f"#{position}"
            raise InputError(f"unknown column (expected: {', '.join(COLUMNS)})", source, 1,
                             column)
        if name in names:
            raise InputError(f"column '{name}' appears twice", source, 1, text)
        names.append(name)
    for required in REQUIRED_COLUMNS:
        if required not in names:
            raise InputError(f"required column '{required}' is missing "
                             f"(header: {', '.join(map(str, header))})", source, 1)
    return names


@dataclass
class _Collector:
    """Accumulates cells before the arrays are allocated (p is known only at the end)."""

    subjects: dict[str, int]
    groups: dict[int, tuple[str, int]]
    ratings: list[tuple[int, int, int, float]]
    slots: dict[tuple[int, int], int]
    seen: dict[tuple[int, int, str], int]
    quantities: dict[str, list[tuple[int, int, float]]]
    not_applicable: list[tuple[int, int]]
    overrides: list[ClassOverride]
    dates: dict[int, tuple[dt.date, int, str]]  # row -> (date, row number, column)


def batch_from_rows(
    framework: Framework,
    header: Sequence[Any],
    rows: Iterable[tuple[int, Sequence[Any]]],
    source: str = "<input>",
) -> BatchInput:
    """Build a :class:`BatchInput` from header + ``(row_number, cells)`` pairs.

    Raises :class:`InputError` naming ``source``, the row and the column of the first
    problem: unknown indicator, value off the scale, non-numeric actual, duplicate row,
    conflicting group or date, N/A row with data, no data rows at all.
    """
    return dated_batch_from_rows(framework, header, rows, source)[0]


def dated_batch_from_rows(
    framework: Framework,
    header: Sequence[Any],
    rows: Iterable[tuple[int, Sequence[Any]]],
    source: str = "<input>",
) -> tuple[BatchInput, tuple[dt.date | None, ...]]:
    """:func:`batch_from_rows` and each subject's date from its ``year`` / ``date``
    cells (a year is 1 January of that year; None = no date given for the subject)."""
    columns = canonical_header(header, source)
    state = _Collector({}, {}, [], {}, {}, {"actual": [], "target": [], "target_high": []},
                       [], [], {})
    count = 0
    for number, cells in rows:
        record = _record(columns, cells)
        if not any(record.values()):
            continue  # blank line
        _read_row(framework, state, record, number, source)
        count += 1
    if count == 0:
        raise InputError("no data rows below the header", source)
    _check_groups_apply(framework, state, source)
    dates = tuple(state.dates[row][0] if row in state.dates else None
                  for row in range(len(state.subjects)))
    return _assemble(framework, state), dates


def _check_groups_apply(framework: Framework, state: _Collector, source: str) -> None:
    """A row for an indicator that does not apply to its subject's group (부분평가) is an
    error, not silently dropped: the user meant it to count. Checked after all rows are
    read because the group may be given on a later row of the same subject."""
    for (row, column, _evaluator), number in sorted(state.seen.items(), key=lambda kv: kv[1]):
        group = state.groups.get(row, ("", 0))[0]
        ind = framework.indicators[column]
        if not ind.group_allows(group):
            raise InputError(
                f"indicator '{ind.code}' does not apply to group '{group}' "
                f"(it applies to: {', '.join(ind.applies_to)})", source, number, "indicator")


def _record(columns: list[str], cells: Sequence[Any]) -> dict[str, str]:
    record = {}
    for name, cell in zip(columns, cells, strict=False):
        record[name] = _text(cell)
    return record


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _read_row(framework: Framework, state: _Collector, record: dict[str, str], number: int,
              source: str) -> None:
    def fail(column: str, reason: str) -> InputError:
        return InputError(reason, source, number, column)

    subject_id = record.get("subject", "")
    if not subject_id:
        raise fail("subject", "subject is empty")
    code = record.get("indicator", "")
    if code not in framework.indicator_index:
        shown = f"'{code}'" if code else "(empty)"
        raise fail("indicator", f"unknown indicator code {shown} (framework {framework.id} has: "
                                f"{', '.join(framework.indicator_codes)})")
    column = framework.indicator_index[code]
    ind = framework.indicators[column]
    row = state.subjects.setdefault(subject_id, len(state.subjects))
    _read_group(framework, state, row, record.get("group", ""), number, source)
    _read_date(state, row, record, number, fail)
    evaluator = record.get("evaluator", "") if ind.uses_panel else ""
    key = (row, column, evaluator)
    if key in state.seen:
        who = f", evaluator '{evaluator}'" if evaluator else ""
        raise fail("indicator", f"duplicate row for subject '{subject_id}', indicator '{code}'"
                                f"{who} (first given in row {state.seen[key]})")
    state.seen[key] = number
    if _flag(record.get("not_applicable", ""), fail):
        for name in ("value", "actual", "target", "target_high", "level"):
            if record.get(name):
                raise fail(name, "the row is marked not applicable but has a value here")
        state.not_applicable.append((row, column))
        return
    if ind.uses_panel:
        _read_panel_value(ind, state, record, row, column, fail)
    else:
        _read_quantity(ind, state, record, row, column, fail)
    _read_override(ind, framework.levels, state, record, row, code, fail)


def _flag(text: str, fail) -> bool:
    key = text.strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise fail("not_applicable", f"expected yes/no (1/0, true/false, 예/아니오), got '{text}'")


def _read_group(framework: Framework, state: _Collector, row: int, group: str, number: int,
                source: str) -> None:
    if not group:
        return
    if group not in framework.groups:
        known = ", ".join(framework.groups) or "the framework declares none"
        raise InputError(f"unknown group '{group}' (groups: {known})", source, number, "group")
    previous = state.groups.setdefault(row, (group, number))
    if previous[0] != group:
        raise InputError(f"group '{group}' conflicts with '{previous[0]}' given for the same "
                         f"subject in row {previous[1]}", source, number, "group")


def _read_date(state: _Collector, row: int, record: dict[str, str], number: int,
               fail) -> None:
    year_text, date_text = record.get("year", ""), record.get("date", "")
    if not year_text and not date_text:
        return
    when, column = None, "year"
    if year_text:
        year = year_text.removesuffix("년도").removesuffix("년").strip()  # 2020년, 2020년도
        if not re.fullmatch(r"\d{4}", year) or not 1900 <= int(year) <= 2999:
            raise fail("year", f"expected a year such as 2020, got '{year_text}'")
        when = dt.date(int(year), 1, 1)
    if date_text:
        # A spreadsheet date cell reads as '2020-06-01 00:00:00': the day is what counts.
        text = date_text[:10] if date_text[10:11] in (" ", "T") else date_text
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise fail("date", f"expected a date YYYY-MM-DD, got '{date_text}'") from None
        if when is not None and day.year != when.year:
            raise fail("date", f"date {day.isoformat()} is not in year {when.year} given in "
                               "the same row")
        when, column = day, "date"
    previous = state.dates.setdefault(row, (when, number, column))
    if previous[0] != when:
        raise fail(column, f"{column} {when.isoformat() if column == 'date' else when.year} "
                           f"conflicts with {previous[0].isoformat()} given for the same "
                           f"subject in row {previous[1]}")


def _number(text: str, column: str, fail) -> float:
    cleaned = text.replace(",", "") if _THOUSANDS.match(text) else text
    try:
        value = float(cleaned)
    except ValueError:
        raise fail(column, f"'{text}' is not a number") from None
    if not math.isfinite(value):
        raise fail(column, f"'{text}' is not a finite number")
    return value


def _read_panel_value(ind, state: _Collector, record: dict[str, str], row: int, column: int,
                      fail) -> None:
    for name in ("actual", "target", "target_high"):
        if record.get(name):
            raise fail(name, f"indicator '{ind.code}' is a {ind.kind} indicator; actual and "
                             "targets belong to quantitative indicators")
    text = record.get("value", "")
    if not text:
        raise fail("value", f"no value for {ind.kind} indicator '{ind.code}' (leave the row out "
                            "or mark it not_applicable)")
    scale = ind.scale
    labelled = scale.value_of(text) if scale else None
    value = labelled if labelled is not None else _number(text, "value", fail)
    if not scale.on_scale(np.array([value]))[0]:
        raise fail("value", f"{text} is outside the scale of indicator '{ind.code}' "
                            f"({_scale_text(scale)})")
    slot = state.slots.get((row, column), 0)
    state.slots[(row, column)] = slot + 1
    state.ratings.append((row, column, slot, value))


def _scale_text(scale) -> str:
    text = f"{scale.min:g}-{scale.max:g}"
    if scale.step:
        text += f" in steps of {scale.step:g}"
    if scale.conversion == "table":
        text += "; allowed " + ", ".join(f"{v:g}" for v in sorted(scale.table))
    if scale.labels:
        text += "; labels " + ", ".join(f"{label}={v:g}" for label, v in scale.labels.items())
    return text


def _read_quantity(ind, state: _Collector, record: dict[str, str], row: int, column: int,
                   fail) -> None:
    if record.get("value"):
        raise fail("value", f"indicator '{ind.code}' is quantitative: give actual and target, "
                            "not value")
    for name in ("actual", "target", "target_high"):
        text = record.get(name, "")
        if text:
            state.quantities[name].append((row, column, _number(text, name, fail)))
    if not record.get("target") and ind.target is None:
        raise fail("target", f"indicator '{ind.code}' has no target in the framework, so each "
                             "row must give one")
    if record.get("target"):
        target = state.quantities["target"][-1][2]
        if ind.direction in ("higher", "shortfall") and target <= 0:
            raise fail("target", f"must be greater than 0 for direction {ind.direction}")


def _read_override(ind, levels, state: _Collector, record: dict[str, str], row: int,
                   code: str, fail) -> None:
    level, reason = record.get("level", ""), record.get("reason", "")
    if not level:
        if reason:
            raise fail("level", "a reason was given without a level")
        return
    if ind.kind != "quantitative":
        raise fail("level", "only quantitative indicators are classified")
    if not reason:
        raise fail("reason", "a manual classification needs a non-empty reason")
    known = [name for lv in levels for name in (lv.code, lv.label)]
    if level not in known:
        raise fail("level", f"unknown level '{level}' (levels: {', '.join(known)})")
    state.overrides.append(ClassOverride(row, code, level, reason))


def _assemble(framework: Framework, state: _Collector) -> BatchInput:
    """The engine's compact input: panel ratings over the panel indicators only (``uint8``
    when every rating is a whole number in 0–254, the form the engine scores fastest),
    actuals and targets over the quantitative indicators only. With no panel rating at
    all, the [n, k] quantity arrays (a compact batch needs its ratings)."""
    n, k = len(state.subjects), len(framework.indicators)
    p = max(state.slots.values(), default=0)
    ratings, marker = None, 0
    if p:
        rows, cols, slots, vals = (np.array(x) for x in zip(*state.ratings, strict=True))
        ratings, marker = panel_ratings(framework, n, p, rows.astype(np.intp),
                                        cols.astype(np.intp), slots.astype(np.intp), vals)
    quantitative = [j for j, ind in enumerate(framework.indicators)
                    if ind.kind == "quantitative"]
    position = ({column: i for i, column in enumerate(quantitative)} if ratings is not None
                else {j: j for j in range(k)})
    arrays = {}
    for name, cells in state.quantities.items():
        array = np.full((n, len(position)), np.nan)
        for row, column, value in cells:
            array[row, position[column]] = value
        arrays[name] = array
    na = np.zeros((n, k), dtype=bool)
    for row, column in state.not_applicable:
        na[row, column] = True
    groups = None
    if framework.groups:
        groups = np.full(n, -1, dtype=np.int32)
        for row, (group, _) in state.groups.items():
            groups[row] = framework.groups.index(group)
    return BatchInput(
        subject_ids=tuple(state.subjects), ratings=ratings, no_rating=marker,
        actuals=arrays["actual"], targets=arrays["target"],
        targets_high=arrays["target_high"], not_applicable=na, groups=groups,
        overrides=tuple(state.overrides),
    )


# "No rating" in a uint8 panel: 0 when every panel scale starts above it, else 255.
_MARKERS = (0, 255)


def panel_ratings(framework: Framework, n: int, p: int, rows: np.ndarray, cols: np.ndarray,
                  slots: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, int]:
    """The compact ``[n, kp, p]`` panel of the ratings ``values[i]`` given for subject
    ``rows[i]``, indicator column ``cols[i]`` (of all k) and slot ``slots[i]``: ``uint8``
    with a "no rating" marker off every panel scale when every rating is a whole number
    in 0–254, else float64 with NaN. Returns ``(ratings, marker)``."""
    panel = [j for j, ind in enumerate(framework.indicators) if ind.uses_panel]
    index = np.full(len(framework.indicators), -1, dtype=np.intp)
    index[panel] = np.arange(len(panel))
    at = (rows, index[cols], slots)
    scales = [framework.indicators[j].scale for j in panel]
    marker = next((m for m in _MARKERS
                   if not any(s.min <= m <= s.max for s in scales)), None)
    whole = values.size and np.array_equal(values, np.round(values))
    if marker is not None and whole and values.min() >= 0 and values.max() < 255:
        ratings = np.full((n, len(panel), p), marker, dtype=np.uint8)
        ratings[at] = values
        return ratings, marker
    ratings = np.full((n, len(panel), p), np.nan)
    ratings[at] = values
    return ratings, 0
