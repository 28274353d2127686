"""Reader and validator for the published Seoul outsourcing-evaluation data.

The data files ship inside the package (``seonggwa/data/seoul/``) and are read with
:mod:`importlib.resources`. This module is pure Python (standard library + PyYAML) and
does not import Django, so the web layer, command-line tools and tests can share it.

Every loader validates every row and raises :class:`SeoulDataError` naming the file,
the row and the column of the first problem it finds. Scores are :class:`decimal.Decimal`
values exactly as printed (two decimals); rounding (half up, the Korean public-document
convention) is applied only by :func:`round_half_up`, once, when a figure is derived.

See ``docs/data-seoul.md`` for the files, their columns and their provenance.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from seonggwa.core.formatting import round_half_up  # one half-up rule for the whole project
from seonggwa.core.names import split_contractor  # the rule the imports use too

__all__ = [
    "DATA_PACKAGE",
    "EXCLUSIONS_FILE",
    "FACTS_FILE",
    "LINKS_FILE",
    "NARRATIVES_FILE",
    "RESULTS_FILE",
    "ROUNDS_FILE",
    "ExclusionRow",
    "Figure",
    "Narrative",
    "ResultRow",
    "RoundSummary",
    "SeoulDataError",
    "ServiceFact",
    "ServiceLink",
    "YearStatistics",
    "data_dir",
    "load_exclusions",
    "load_facts",
    "load_links",
    "load_narratives",
    "load_results",
    "load_rounds",
    "round_half_up",
    "split_contractor",
    "year_statistics",
]

DATA_PACKAGE = __package__ or "seonggwa.data.seoul"
RESULTS_FILE = "outsourcing_results.csv"
EXCLUSIONS_FILE = "outsourcing_exclusions.csv"
ROUNDS_FILE = "outsourcing_rounds.yaml"
NARRATIVES_FILE = "outsourcing_narratives.yaml"
LINKS_FILE = "service_links.csv"
FACTS_FILE = "service_facts.csv"

EXCLUDED_REMARK = "재계약 배제"
RESULT_REMARKS = frozenset({"", EXCLUDED_REMARK})
EXCLUSION_MATCH_KINDS = frozenset({"exact", "reviewed"})
LINK_MATCH_KINDS = frozenset({"anchor", "exact", "reviewed"})
LINK_SOURCE_KINDS = frozenset({"result", "narrative"})

Source = str | os.PathLike[str] | Traversable | None


# --------------------------------------------------------------------------- errors


class SeoulDataError(ValueError):
    """A data file is malformed. ``file``, ``row`` and ``column`` locate the problem.

    ``row`` is the 1-based data row for CSV files (the header is not counted; the file
    line is ``row + 1``) or a path such as ``rounds[3]`` for YAML files.
    """

    def __init__(self, file: str, row: int | str | None, column: str | None, message: str):
        self.file = file
        self.row = row
        self.column = column
        self.message = message
        where = [file]
        if isinstance(row, int):
            where.append(f"row {row} (line {row + 1})")
        elif row is not None:
            where.append(str(row))
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(", ".join(where) + ": " + message)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One published per-service result (2018–2020 tables in ``002``)."""

    year: int
    round: int
    seq: int  # 연번 as printed
    service_name: str  # 평가대상 사무, as written
    department: str  # 사업부서
    contractor: str  # 수탁기관, as written
    score: Decimal  # 점수, exactly as printed (2 decimals)
    remark: str  # 비고: "" or "재계약 배제"
    round_source: str  # how the round was determined
    name_corrected: str | None  # marked correction, None when the name is fine
    contractor_corrected: str | None
    correction_note: str | None
    contractor_members: tuple[str, ...]  # derived: split_contractor(contractor)[0]
    contractor_unnamed_members: int  # derived: the N of "외 N"
    source_file: str
    source_line: int

    @property
    def key(self) -> tuple[int, int]:
        return (self.year, self.seq)


@dataclass(frozen=True, slots=True)
class ExclusionRow:
    """One row of the 2018–2020 재계약 배제 table in ``002``."""

    year: int
    service_name: str
    score: Decimal
    contractor: str
    result_year: int
    result_seq: int
    match_kind: str  # "exact" | "reviewed"
    match_note: str
    contractor_members: tuple[str, ...]
    contractor_unnamed_members: int
    source_file: str
    source_line: int

    @property
    def result_key(self) -> tuple[int, int]:
        return (self.result_year, self.result_seq)


@dataclass(frozen=True, slots=True)
class Figure:
    """A published figure: its value (None = not stated), source line and line text."""

    value: Any
    line: int | None = None
    text: str | None = None
    extra: tuple[tuple[str, Any], ...] = ()

    @property
    def stated(self) -> bool:
        return self.value is not None

    def get(self, name: str, default: Any = None) -> Any:
        return dict(self.extra).get(name, default)


@dataclass(frozen=True, slots=True)
class RoundSummary:
    """Published summary of a year (``round is None``) or of one round."""

    year: int
    round: int | None
    source_file: str
    evaluation_period: Figure  # str
    subjects_evaluated: Figure  # int
    subjects_total: Figure  # int: of how many services that year
    institutions: Figure  # tuple[str, ...]
    target_criteria: Figure  # str
    evaluation_content: Figure  # str
    average: Figure  # Decimal
    threshold: Figure  # int: below this, excluded from re-contract
    below_threshold_count: Figure  # int
    below_threshold_share: Figure  # Decimal percent, as printed
    previous_year_average: Figure  # Decimal
    previous_year_difference: Figure  # Decimal, signed (negative = 하락)
    multi_year_average: Figure  # Decimal; extra year_from / year_to
    multi_year_difference: Figure  # Decimal, signed
    first_service_named: Figure  # str: "… 등 N개 사무"


FIGURE_FIELDS = (
    "evaluation_period",
    "subjects_evaluated",
    "subjects_total",
    "institutions",
    "target_criteria",
    "evaluation_content",
    "average",
    "threshold",
    "below_threshold_count",
    "below_threshold_share",
    "previous_year_average",
    "previous_year_difference",
    "multi_year_average",
    "multi_year_difference",
    "first_service_named",
)


@dataclass(frozen=True, slots=True)
class Narrative:
    """Per-service narrative of 2022 round 3 (``000``) or 2023 round 2 (``001``)."""

    year: int
    round: int
    order: int  # position in the source, 1-based
    marker_as_written: str
    service_name: str
    name_corrected: str | None
    department: str | None
    contractor: str | None
    scope: str | None  # 사업내용
    achievements: tuple[str, ...]  # 주요 성과
    improvements: tuple[str, ...]  # 개선 과제
    score: Decimal | None
    source_file: str
    heading_line: int
    scope_line: int | None
    achievements_line: int
    improvements_line: int
    note: str | None

    @property
    def key(self) -> tuple[int, int]:
        return (self.year, self.order)


@dataclass(frozen=True, slots=True)
class ServiceLink:
    """One occurrence of a service: canonical key ↔ (year, round, seq or order, name)."""

    service_key: str
    source_kind: str  # "result" (ref = seq) | "narrative" (ref = order)
    year: int
    round: int
    ref: int
    name_as_written: str
    match_kind: str  # "anchor" | "exact" | "reviewed" (relative to the anchor's name)
    reason: str


@dataclass(frozen=True, slots=True)
class ServiceFact:
    """A per-service operating figure quoted in a source text."""

    fact_id: str
    service_key: str | None
    subject_as_written: str
    metric: str
    period: str
    value: Decimal
    unit: str
    source_file: str
    source_line: int
    quote: str  # verbatim part of the source line that carries the value
    note: str | None


@dataclass(frozen=True, slots=True)
class YearStatistics:
    year: int
    round: int | None
    threshold: Decimal
    count: int
    total: Decimal
    average: Decimal  # ROUND_HALF_UP, 2 decimals
    average_exact: Fraction
    below_count: int  # score < threshold (미만)
    below_share: Decimal  # percent, ROUND_HALF_UP, 1 decimal
    below_share_exact: Fraction  # percent, unrounded


# --------------------------------------------------------------------------- helpers


def data_dir(source: Source = None) -> Traversable:
    """The directory holding the data files (the packaged one by default)."""
    if source is None:
        return resources.files(DATA_PACKAGE)
    if isinstance(source, Traversable):
        return source
    return Path(os.fspath(source))


def _read_text(source: Source, name: str) -> str:
    path = data_dir(source).joinpath(name)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SeoulDataError(name, None, None, "file not found") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SeoulDataError(name, None, None, f"not UTF-8 ({exc})") from None


def _read_csv(source: Source, name: str, columns: Sequence[str]) -> list[tuple[int, dict]]:
    text = _read_text(source, name)
    if text.startswith("\ufeff"):
        raise SeoulDataError(name, None, None, "file starts with a byte-order mark")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise SeoulDataError(name, None, None, "file is empty") from None
    if header != list(columns):
        missing = [c for c in columns if c not in header]
        extra = [c for c in header if c not in columns]
        raise SeoulDataError(
            name, None, None,
            f"header must be {list(columns)}; missing {missing}, unexpected {extra}"
            + ("" if missing or extra else ", order differs"),
        )
    rows = []
    for n, values in enumerate(reader, start=1):
        if len(values) != len(columns):
            raise SeoulDataError(
                name, n, None, f"expected {len(columns)} fields, found {len(values)}"
            )
        rows.append((n, dict(zip(columns, values, strict=True))))
    return rows


class _Cell:
    """Typed access to one CSV row with error messages naming file, row and column."""

    def __init__(self, file: str, row: int | str, data: dict):
        self.file, self.row, self.data = file, row, data

    def error(self, column: str | None, message: str) -> SeoulDataError:
        return SeoulDataError(self.file, self.row, column, message)

    def text(self, column: str, *, required: bool = True) -> str:
        value = self.data[column]
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise self.error(column, f"expected text, found {value!r}")
        if value != value.strip():
            raise self.error(column, f"leading or trailing whitespace in {value!r}")
        if required and not value:
            raise self.error(column, "must not be empty")
        return value

    def optional(self, column: str) -> str | None:
        return self.text(column, required=False) or None

    def integer(self, column: str, *, minimum: int | None = None,
                maximum: int | None = None) -> int:
        value = self.data[column]
        if isinstance(value, bool):
            raise self.error(column, f"expected an integer, found {value!r}")
        if isinstance(value, int):
            number = value
        elif isinstance(value, str) and re.fullmatch(r"-?\d+", value):
            number = int(value)
        else:
            raise self.error(column, f"expected an integer, found {value!r}")
        if minimum is not None and number < minimum:
            raise self.error(column, f"{number} is below the minimum {minimum}")
        if maximum is not None and number > maximum:
            raise self.error(column, f"{number} is above the maximum {maximum}")
        return number

    def score(self, column: str) -> Decimal:
        return _parse_score(self.data[column], self.error, column)

    def decimal(self, column: str) -> Decimal:
        value = self.data[column]
        if not isinstance(value, str) or not re.fullmatch(r"-?\d+(\.\d+)?", value):
            raise self.error(column, f"expected a decimal number, found {value!r}")
        return Decimal(value)


_SCORE = re.compile(r"\d{1,3}\.\d{2}")


def _parse_score(value: Any, error, column: str) -> Decimal:
    if not isinstance(value, str) or not _SCORE.fullmatch(value):
        raise error(column, f"{value!r} is not a score with exactly 2 decimals (e.g. '80.51')")
    try:
        number = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the regex already guarantees syntax
        raise error(column, f"{value!r} is not a decimal number") from None
    if not Decimal(0) <= number <= Decimal(100):
        raise error(column, f"score {value} is outside 0–100")
    return number


def _check_members(cell: _Cell, contractor: str) -> tuple[tuple[str, ...], int]:
    members = tuple(cell.text("contractor_members").split("|"))
    unnamed = cell.integer("contractor_unnamed_members", minimum=0)
    expected = split_contractor(contractor)
    if (members, unnamed) != expected:
        raise cell.error(
            "contractor_members",
            f"derived field disagrees with split_contractor({contractor!r}) = "
            f"{'|'.join(expected[0])!r} + {expected[1]} unnamed",
        )
    return members, unnamed


# --------------------------------------------------------------------------- results

RESULT_COLUMNS = (
    "year", "round", "seq", "service_name", "department", "contractor", "score", "remark",
    "round_source", "name_corrected", "contractor_corrected", "correction_note",
    "contractor_members", "contractor_unnamed_members", "source_file", "source_line",
)


def load_results(source: Source = None) -> list[ResultRow]:
    """Per-service results 2018–2020, in file order."""
    rows: list[ResultRow] = []
    seen: dict[tuple[int, int], int] = {}
    for n, data in _read_csv(source, RESULTS_FILE, RESULT_COLUMNS):
        c = _Cell(RESULTS_FILE, n, data)
        year = c.integer("year", minimum=1990, maximum=2100)
        seq = c.integer("seq", minimum=1)
        if (year, seq) in seen:
            raise c.error("seq", f"duplicate (year, seq) = ({year}, {seq}); first at row "
                                 f"{seen[(year, seq)]}")
        seen[(year, seq)] = n
        remark = c.text("remark", required=False)
        if remark not in RESULT_REMARKS:
            raise c.error("remark", f"{remark!r} is not one of {sorted(RESULT_REMARKS)}")
        contractor = c.text("contractor")
        members, unnamed = _check_members(c, contractor)
        name_corrected = c.optional("name_corrected")
        contractor_corrected = c.optional("contractor_corrected")
        note = c.optional("correction_note")
        if (name_corrected or contractor_corrected) and not note:
            raise c.error("correction_note", "a correction needs a note")
        rows.append(ResultRow(
            year=year,
            round=c.integer("round", minimum=1, maximum=12),
            seq=seq,
            service_name=c.text("service_name"),
            department=c.text("department"),
            contractor=contractor,
            score=c.score("score"),
            remark=remark,
            round_source=c.text("round_source"),
            name_corrected=name_corrected,
            contractor_corrected=contractor_corrected,
            correction_note=note,
            contractor_members=members,
            contractor_unnamed_members=unnamed,
            source_file=c.text("source_file"),
            source_line=c.integer("source_line", minimum=1),
        ))
    # per year: seq must run 1..n and rounds must not decrease along the table
    by_year: dict[int, list[ResultRow]] = {}
    for r in rows:
        by_year.setdefault(r.year, []).append(r)
    for year, items in by_year.items():
        seqs = sorted(r.seq for r in items)
        if seqs != list(range(1, len(seqs) + 1)):
            missing = sorted(set(range(1, len(seqs) + 1)) - set(seqs))
            raise SeoulDataError(RESULTS_FILE, None, "seq",
                                 f"year {year}: 연번 must run 1..{len(seqs)}; missing {missing}")
        ordered = sorted(items, key=lambda r: r.seq)
        for a, b in zip(ordered, ordered[1:], strict=False):
            if b.round < a.round:
                n = rows.index(b) + 1
                raise SeoulDataError(RESULTS_FILE, n, "round",
                                     f"round {b.round} after round {a.round} in table order")
    return rows


# --------------------------------------------------------------------------- exclusions

EXCLUSION_COLUMNS = (
    "year", "service_name", "score", "contractor", "result_year", "result_seq", "match_kind",
    "match_note", "contractor_members", "contractor_unnamed_members", "source_file",
    "source_line",
)


def load_exclusions(source: Source = None,
                    results: Iterable[ResultRow] | None = None) -> list[ExclusionRow]:
    """The 2018–2020 재계약 배제 table, each row linked to its result row."""
    index = {r.key: r for r in (load_results(source) if results is None else results)}
    rows: list[ExclusionRow] = []
    linked: dict[tuple[int, int], int] = {}
    for n, data in _read_csv(source, EXCLUSIONS_FILE, EXCLUSION_COLUMNS):
        c = _Cell(EXCLUSIONS_FILE, n, data)
        year = c.integer("year", minimum=1990, maximum=2100)
        name = c.text("service_name")
        contractor = c.text("contractor")
        members, unnamed = _check_members(c, contractor)
        kind = c.text("match_kind")
        if kind not in EXCLUSION_MATCH_KINDS:
            raise c.error("match_kind", f"{kind!r} is not one of {sorted(EXCLUSION_MATCH_KINDS)}")
        note = c.text("match_note", required=False)
        key = (c.integer("result_year"), c.integer("result_seq", minimum=1))
        if key not in index:
            raise c.error("result_seq", f"no result row with (year, seq) = {key}")
        if key[0] != year:
            raise c.error("result_year", f"links to {key[0]} but the exclusion is from {year}")
        if key in linked:
            raise c.error("result_seq", f"result {key} already linked by row {linked[key]}")
        linked[key] = n
        target = index[key]
        if kind == "exact" and target.service_name != name:
            raise c.error("match_kind", f"'exact' but the result row is named "
                                        f"{target.service_name!r}")
        if kind == "reviewed" and not note:
            raise c.error("match_note", "a reviewed match needs a note")
        rows.append(ExclusionRow(
            year=year, service_name=name, score=c.score("score"), contractor=contractor,
            result_year=key[0], result_seq=key[1], match_kind=kind, match_note=note,
            contractor_members=members, contractor_unnamed_members=unnamed,
            source_file=c.text("source_file"),
            source_line=c.integer("source_line", minimum=1),
        ))
    return rows


# --------------------------------------------------------------------------- YAML

def _read_yaml(source: Source, name: str) -> Any:
    try:
        return yaml.safe_load(_read_text(source, name))
    except yaml.YAMLError as exc:
        raise SeoulDataError(name, None, None, f"invalid YAML: {exc}") from None


def _expect_mapping(file: str, path: str, value: Any, keys: Iterable[str]) -> dict:
    if not isinstance(value, dict):
        raise SeoulDataError(file, path, None, f"expected a mapping, found {type(value).__name__}")
    missing = [k for k in keys if k not in value]
    if missing:
        raise SeoulDataError(file, path, missing[0], "missing")
    return value


_FIGURE_KINDS = {
    "evaluation_period": "text",
    "subjects_evaluated": "int",
    "subjects_total": "int",
    "institutions": "texts",
    "target_criteria": "text",
    "evaluation_content": "text",
    "average": "score",
    "threshold": "int",
    "below_threshold_count": "int",
    "below_threshold_share": "percent",
    "previous_year_average": "score",
    "previous_year_difference": "signed",
    "multi_year_average": "score",
    "multi_year_difference": "signed",
    "first_service_named": "text",
}


def _figure(file: str, path: str, column: str, raw: Any) -> Figure:
    raw = _expect_mapping(file, path, raw, ["value"])

    def error(col: str, message: str) -> SeoulDataError:
        return SeoulDataError(file, path, col, message)

    value = raw["value"]
    kind = _FIGURE_KINDS[column]
    if value is None:
        if set(raw) - {"value"}:
            raise error(column, "a figure that is not stated (value null) takes no line/text")
        return Figure(None)
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise error(f"{column}.value", f"expected a non-negative integer, found {value!r}")
    elif kind == "score":
        value = _parse_score(value, error, f"{column}.value")
    elif kind in ("percent", "signed"):
        pattern = r"\d{1,3}(\.\d+)?" if kind == "percent" else r"-?\d{1,3}(\.\d+)?"
        if not isinstance(value, str) or not re.fullmatch(pattern, value):
            raise error(f"{column}.value", f"expected a decimal string, found {value!r}")
        value = Decimal(value)
        if kind == "percent" and value > 100:
            raise error(f"{column}.value", f"share {value} is above 100")
    elif kind == "text":
        if not isinstance(value, str) or not value.strip():
            raise error(f"{column}.value", f"expected text, found {value!r}")
    elif kind == "texts":
        if not isinstance(value, list) or not value or not all(
                isinstance(v, str) and v.strip() for v in value):
            raise error(f"{column}.value", f"expected a list of names, found {value!r}")
        value = tuple(value)
    line = raw.get("line")
    text = raw.get("text")
    if isinstance(line, bool) or not isinstance(line, int) or line < 1:
        raise error(f"{column}.line", f"a stated figure needs its source line, found {line!r}")
    if not isinstance(text, str) or not text:
        raise error(f"{column}.text", "a stated figure needs its source line text")
    extra = tuple((k, v) for k, v in raw.items() if k not in ("value", "line", "text"))
    return Figure(value=value, line=line, text=text, extra=extra)


def load_rounds(source: Source = None) -> list[RoundSummary]:
    """Published year / round summaries (2018–2020 years and rounds, 2022 r3, 2023 r2)."""
    doc = _expect_mapping(ROUNDS_FILE, "document", _read_yaml(source, ROUNDS_FILE), ["rounds"])
    items = doc["rounds"]
    if not isinstance(items, list):
        raise SeoulDataError(ROUNDS_FILE, "document", "rounds", "expected a list")
    out: list[RoundSummary] = []
    seen: set[tuple[int, int | None]] = set()
    for i, raw in enumerate(items):
        path = f"rounds[{i}]"
        raw = _expect_mapping(ROUNDS_FILE, path, raw,
                              ["year", "round", "source_file", *FIGURE_FIELDS])
        c = _Cell(ROUNDS_FILE, path, raw)
        year = c.integer("year", minimum=1990, maximum=2100)
        rnd = None if raw["round"] is None else c.integer("round", minimum=1, maximum=12)
        if (year, rnd) in seen:
            raise c.error("round", f"duplicate (year, round) = ({year}, {rnd})")
        seen.add((year, rnd))
        figures = {f: _figure(ROUNDS_FILE, path, f, raw[f]) for f in FIGURE_FIELDS}
        out.append(RoundSummary(year=year, round=rnd, source_file=c.text("source_file"),
                                **figures))
    return out


def _bullets(c: _Cell, column: str) -> tuple[str, ...]:
    value = c.data[column]
    if not isinstance(value, list) or not value:
        raise c.error(column, "expected a non-empty list of bullet items")
    for j, item in enumerate(value):
        if not isinstance(item, str) or not item.strip() or item != item.strip():
            raise c.error(f"{column}[{j}]", f"bad bullet item {item!r}")
        if item.startswith("-") or "<ul" in item:
            raise c.error(f"{column}[{j}]", "bullet item still carries list markup")
    return tuple(value)


NARRATIVE_KEYS = (
    "order", "marker_as_written", "service_name", "name_corrected", "department",
    "contractor", "scope", "scope_line", "achievements", "achievements_line", "improvements",
    "improvements_line", "score", "heading_line", "note",
)


def load_narratives(source: Source = None) -> list[Narrative]:
    """Per-service narratives (2022 round 3: 7, 2023 round 2: 29), in source order."""
    doc = _expect_mapping(NARRATIVES_FILE, "document", _read_yaml(source, NARRATIVES_FILE),
                          ["sets"])
    if not isinstance(doc["sets"], list):
        raise SeoulDataError(NARRATIVES_FILE, "document", "sets", "expected a list")
    out: list[Narrative] = []
    seen_sets: set[tuple[int, int]] = set()
    for i, raw_set in enumerate(doc["sets"]):
        spath = f"sets[{i}]"
        raw_set = _expect_mapping(NARRATIVES_FILE, spath, raw_set,
                                  ["year", "round", "source_file", "services"])
        sc = _Cell(NARRATIVES_FILE, spath, raw_set)
        year = sc.integer("year", minimum=1990, maximum=2100)
        rnd = sc.integer("round", minimum=1, maximum=12)
        source_file = sc.text("source_file")
        if (year, rnd) in seen_sets:
            raise sc.error("round", f"duplicate set ({year}, {rnd})")
        seen_sets.add((year, rnd))
        if not isinstance(raw_set["services"], list) or not raw_set["services"]:
            raise sc.error("services", "expected a non-empty list")
        for j, raw in enumerate(raw_set["services"]):
            path = f"{spath}.services[{j}]"
            raw = _expect_mapping(NARRATIVES_FILE, path, raw, NARRATIVE_KEYS)
            c = _Cell(NARRATIVES_FILE, path, raw)
            order = c.integer("order", minimum=1)
            if order != j + 1:
                raise c.error("order", f"expected {j + 1} (position in the list), found {order}")
            score = raw["score"]
            if score is not None:
                score = _parse_score(score, c.error, "score")
            scope = c.optional("scope")
            scope_line = None if raw["scope_line"] is None else c.integer("scope_line", minimum=1)
            if (scope is None) != (scope_line is None):
                raise c.error("scope_line", "scope and scope_line go together")
            out.append(Narrative(
                year=year, round=rnd, order=order,
                marker_as_written=c.text("marker_as_written"),
                service_name=c.text("service_name"),
                name_corrected=c.optional("name_corrected"),
                department=c.optional("department"),
                contractor=c.optional("contractor"),
                scope=scope,
                achievements=_bullets(c, "achievements"),
                improvements=_bullets(c, "improvements"),
                score=score,
                source_file=source_file,
                heading_line=c.integer("heading_line", minimum=1),
                scope_line=scope_line,
                achievements_line=c.integer("achievements_line", minimum=1),
                improvements_line=c.integer("improvements_line", minimum=1),
                note=c.optional("note"),
            ))
    return out


# --------------------------------------------------------------------------- links

LINK_COLUMNS = ("service_key", "source_kind", "year", "round", "ref", "name_as_written",
                "match_kind", "reason")
_SERVICE_KEY = re.compile(r"svc-\d{4}")


def load_links(source: Source = None, results: Iterable[ResultRow] | None = None,
               narratives: Iterable[Narrative] | None = None) -> list[ServiceLink]:
    """Canonical service keys for every result row and every narrative.

    Validates that each link points at an existing row with the same name and round, that
    every row is linked exactly once, and that each key has one anchor (its first row).
    """
    results = list(load_results(source) if results is None else results)
    narratives = list(load_narratives(source) if narratives is None else narratives)
    targets: dict[tuple[str, int, int], tuple[int, str]] = {}
    for r in results:
        targets[("result", r.year, r.seq)] = (r.round, r.service_name)
    for nv in narratives:
        targets[("narrative", nv.year, nv.order)] = (nv.round, nv.service_name)
    out: list[ServiceLink] = []
    used: dict[tuple[str, int, int], int] = {}
    anchors: dict[str, str] = {}
    for n, data in _read_csv(source, LINKS_FILE, LINK_COLUMNS):
        c = _Cell(LINKS_FILE, n, data)
        key = c.text("service_key")
        if not _SERVICE_KEY.fullmatch(key):
            raise c.error("service_key", f"{key!r} is not of the form svc-0000")
        kind = c.text("source_kind")
        if kind not in LINK_SOURCE_KINDS:
            raise c.error("source_kind", f"{kind!r} is not one of {sorted(LINK_SOURCE_KINDS)}")
        year = c.integer("year", minimum=1990, maximum=2100)
        rnd = c.integer("round", minimum=1, maximum=12)
        ref = c.integer("ref", minimum=1)
        name = c.text("name_as_written")
        target = (kind, year, ref)
        if target not in targets:
            what = "seq" if kind == "result" else "narrative order"
            raise c.error("ref", f"no {kind} row for year {year}, {what} {ref}")
        if target in used:
            raise c.error("ref", f"{target} already linked by row {used[target]}")
        used[target] = n
        t_round, t_name = targets[target]
        if rnd != t_round:
            raise c.error("round", f"the {kind} row is in round {t_round}, not {rnd}")
        if name != t_name:
            raise c.error("name_as_written", f"the {kind} row is named {t_name!r}")
        match = c.text("match_kind")
        if match not in LINK_MATCH_KINDS:
            raise c.error("match_kind", f"{match!r} is not one of {sorted(LINK_MATCH_KINDS)}")
        reason = c.text("reason", required=False)
        if match == "anchor":
            if key in anchors:
                raise c.error("match_kind", f"{key} already has an anchor")
            anchors[key] = name
        else:
            if key not in anchors:
                raise c.error("match_kind", f"{key} must start with its anchor row")
            if match == "exact" and name != anchors[key]:
                raise c.error("match_kind", f"'exact' but the anchor is named {anchors[key]!r}")
            if match == "reviewed":
                if name == anchors[key]:
                    raise c.error("match_kind", "identical name: use 'exact'")
                if not reason:
                    raise c.error("reason", "a reviewed match needs a reason")
        out.append(ServiceLink(key, kind, year, rnd, ref, name, match, reason))
    missing = sorted(set(targets) - set(used))
    if missing:
        raise SeoulDataError(LINKS_FILE, None, "ref",
                             f"{len(missing)} row(s) have no service key, e.g. {missing[0]}")
    return out


# --------------------------------------------------------------------------- facts

FACT_COLUMNS = ("fact_id", "service_key", "subject_as_written", "metric", "period", "value",
                "unit", "source_file", "source_line", "quote", "note")


def load_facts(source: Source = None,
               links: Iterable[ServiceLink] | None = None) -> list[ServiceFact]:
    """Per-service operating figures quoted in ``001`` and ``004``."""
    keys = {lk.service_key for lk in (load_links(source) if links is None else links)}
    out: list[ServiceFact] = []
    ids: set[str] = set()
    for n, data in _read_csv(source, FACTS_FILE, FACT_COLUMNS):
        c = _Cell(FACTS_FILE, n, data)
        fid = c.text("fact_id")
        if fid in ids:
            raise c.error("fact_id", f"duplicate {fid!r}")
        ids.add(fid)
        key = c.optional("service_key")
        if key is not None and key not in keys:
            raise c.error("service_key", f"{key!r} is not in {LINKS_FILE}")
        out.append(ServiceFact(
            fact_id=fid, service_key=key, subject_as_written=c.text("subject_as_written"),
            metric=c.text("metric"), period=c.text("period", required=False),
            value=c.decimal("value"), unit=c.text("unit"), source_file=c.text("source_file"),
            source_line=c.integer("source_line", minimum=1), quote=c.text("quote"),
            note=c.optional("note"),
        ))
    return out


# --------------------------------------------------------------------------- statistics


def year_statistics(results: Iterable[ResultRow], year: int, threshold: Decimal | int | str,
                    round: int | None = None) -> YearStatistics:
    """Count, average and below-threshold count/share of a year's (or round's) scores.

    ``below`` means strictly below the threshold (미만). The average is rounded half up
    to 2 decimals and the share (percent) half up to 1 decimal; the unrounded values are
    kept as fractions so that a caller can round them differently exactly once.
    """
    limit = Decimal(str(threshold))
    scores = [r.score for r in results
              if r.year == year and (round is None or r.round == round)]
    if not scores:
        where = f"year {year}" + ("" if round is None else f" round {round}")
        raise ValueError(f"no results for {where}")
    total = sum(scores, Decimal(0))
    average_exact = Fraction(total) / len(scores)
    below = sum(1 for s in scores if s < limit)
    share_exact = Fraction(below * 100, len(scores))
    return YearStatistics(
        year=year, round=round, threshold=limit, count=len(scores), total=total,
        average=round_half_up(average_exact, 2), average_exact=average_exact,
        below_count=below, below_share=round_half_up(share_exact, 1),
        below_share_exact=share_exact,
    )
