"""Framework documents: parse and validate a scheme-year's rules (areas -> indicators).

A framework document is plain data (YAML or a dict) — see ``docs/engine.md`` for every
field. :func:`framework_from_dict` turns it into an immutable :class:`Framework` or
raises :class:`~seonggwa.engine.errors.FrameworkError` naming the field
(``areas[1].indicators[3].points``) and the reason. Unknown keys are errors too, so a
typo (``pionts``) never silently drops a rule.

What is checked:

- required fields, types, identifiers; duplicate area / indicator / band / policy codes;
- indicator kind (quantitative, rating, survey, direct), direction, scale, cap;
- points or weights summing to the declared total (from the rows, never a printed
  total) unless ``validate_total: false``;
- grade bands: half-open ``[lower, upper)``, no gaps, no overlaps, covering exactly the
  framework's score range (the top band is closed at the maximum);
- decisions: a ``decisions:`` vocabulary of codes with Korean and English labels; band
  and policy decisions must name a declared code (legacy documents without the section:
  each distinct decision text is its own code and label);
- threshold policies: effective date ranges must not overlap;
- panel aggregation method registered and ``min_panel`` large enough for it.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from .achievement import DIRECTIONS
from .aggregation import aggregation_names, get_aggregation
from .errors import FrameworkError
from .scales import CONVERSIONS, Scale

__all__ = [
    "KINDS",
    "Area",
    "Band",
    "ClassLevel",
    "DecisionDef",
    "Framework",
    "Indicator",
    "Policy",
    "framework_from_dict",
    "load_framework",
]

SCHEMA_VERSION = 1
KINDS = ("quantitative", "rating", "survey", "direct")
PANEL_KINDS = ("rating", "survey", "direct")
SCORE_RULES = ("proportional", "met")
AREA_RULES = ("sum", "mean")
TOTAL_RULES = ("sum", "mean_of_areas", "mean_of_indicators")
REBASE_RULES = ("total", "area", "none")
MISSING_RULES = ("exclude", "zero", "error")
DECIDE_ON = ("rounded", "raw")
DEFAULT_LEVELS = (("achieved", "달성", 1.0), ("partial", "일부달성", 0.5), ("not_achieved", "미달성", 0.0))
_CODE = re.compile(r"^[A-Za-z0-9가-힣][A-Za-z0-9가-힣._\-]*$")
_ID = re.compile(r"^[a-z0-9][a-z0-9._\-]*$")
_TOLERANCE = 1e-9
MAX_DECISIONS = 127  # BatchResult.decision is int8, 0 = no decision


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    kind: str
    points: float  # maximum points in the total's units (weights are converted)
    area: str
    weight: float | None = None
    name_en: str | None = None
    unit: str | None = None
    direction: str | None = None
    target: float | None = None
    target_high: float | None = None
    target_text: str | None = None
    secondary_targets: tuple[dict[str, Any], ...] = ()
    cumulative: bool = False
    cap: float | None = None
    score_rule: str = "proportional"
    scale: Scale | None = None
    applies_to: tuple[str, ...] = ()
    min_panel: int | None = None  # None = the framework's panel.min_panel
    note: str | None = None

    @property
    def uses_panel(self) -> bool:
        return self.kind in PANEL_KINDS

    def group_allows(self, group: str | None) -> bool:
        """Whether the indicator applies to subjects of ``group`` (partial indicators)."""
        return not self.applies_to or not group or group in self.applies_to

    def rule_text(self) -> str:
        """How this indicator turns input into points — shown in every explanation."""
        if self.kind == "quantitative":
            cap = "no cap" if self.cap is None else f"cap {self.cap:g}"
            how = "points if achievement >= 1 else 0" if self.score_rule == "met" else (
                "min(achievement, cap) x points")
            return f"quantitative, direction {self.direction}, {cap}: {how}"
        assert self.scale is not None
        return f"{self.kind}, {self.scale.describe()}"


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    points: float
    indicators: tuple[Indicator, ...]
    name_en: str | None = None


@dataclass(frozen=True)
class DecisionDef:
    """One entry of the decision vocabulary: a stable code and its labels."""

    code: str
    label: str
    label_en: str | None = None

    def label_in(self, lang: str = "ko") -> str:
        """The label in ``lang`` ("ko" or "en"); English falls back to the Korean label."""
        if lang == "en" and self.label_en:
            return self.label_en
        return self.label


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    lower: float
    upper: float
    decision: str | None = None
    label_en: str | None = None


@dataclass(frozen=True)
class Policy:
    id: str
    effective_from: dt.date
    effective_to: dt.date | None  # inclusive; None = open-ended
    threshold: float | None = None
    below: str | None = None
    otherwise: str | None = None
    note: str | None = None

    def in_force(self, on: dt.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@dataclass(frozen=True)
class ClassLevel:
    code: str
    label: str
    min: float


@dataclass(frozen=True, eq=False)  # identity equality: hashable, usable as a cache key
class Framework:
    id: str
    version: str
    title: str
    total: float
    areas: tuple[Area, ...]
    weighting: str = "points"
    weight_total: float = 100.0
    area_rule: str = "sum"
    total_rule: str = "sum"
    groups: tuple[str, ...] = ()
    panel_method: str = "mean"
    min_panel: int = 1
    sd_ddof: int = 0
    rebase: str = "total"
    missing: str = "exclude"
    decimals: int = 2
    decide_on: str = "rounded"
    bands: tuple[Band, ...] = ()
    policies: tuple[Policy, ...] = ()
    decisions: tuple[DecisionDef, ...] = ()  # the vocabulary; see decision_codes
    levels: tuple[ClassLevel, ...] = ()
    title_en: str | None = None
    scheme: str | None = None
    source: str = "<dict>"
    document: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    # -- structure -------------------------------------------------------------

    @cached_property
    def indicators(self) -> tuple[Indicator, ...]:
        """All indicators in document order: this is the k axis of every batch array."""
        return tuple(ind for area in self.areas for ind in area.indicators)

    @cached_property
    def indicator_codes(self) -> tuple[str, ...]:
        return tuple(ind.code for ind in self.indicators)

    @cached_property
    def panel_codes(self) -> tuple[str, ...]:
        """Rating, survey and direct indicators in document order: the k axis of
        ``BatchInput.ratings`` (the compact ratings input)."""
        return tuple(ind.code for ind in self.indicators if ind.uses_panel)

    @cached_property
    def quantitative_codes(self) -> tuple[str, ...]:
        """Quantitative indicators in document order: the k axis of compact (``[n, kq]``)
        actuals and targets."""
        return tuple(ind.code for ind in self.indicators if ind.kind == "quantitative")

    @cached_property
    def area_codes(self) -> tuple[str, ...]:
        return tuple(area.code for area in self.areas)

    @cached_property
    def indicator_index(self) -> dict[str, int]:
        return {code: i for i, code in enumerate(self.indicator_codes)}

    def indicator(self, code: str) -> Indicator:
        return self.indicators[self.indicator_index[code]]

    @cached_property
    def _decision_vocabulary(self) -> tuple[DecisionDef, ...]:
        if self.decisions:
            return self.decisions
        # Built without a parsed vocabulary (a hand-made Framework): the legacy rule.
        return _legacy_decisions(self.bands, self.policies)

    @cached_property
    def decision_codes(self) -> tuple[str, ...]:
        """Decision codes; ``BatchResult.decision`` indexes this tuple, 0 ("") = none."""
        return ("",) + tuple(d.code for d in self._decision_vocabulary)

    @cached_property
    def decision_labels(self) -> tuple[str, ...]:
        """Korean labels aligned with :attr:`decision_codes` (index 0 = "")."""
        return ("",) + tuple(d.label for d in self._decision_vocabulary)

    @cached_property
    def decision_index(self) -> dict[str, int]:
        """Code -> index into :attr:`decision_codes`."""
        return {code: i for i, code in enumerate(self.decision_codes)}

    def decision_def(self, code: str) -> DecisionDef:
        """The :class:`DecisionDef` of a code (KeyError naming the known codes)."""
        for decision in self._decision_vocabulary:
            if decision.code == code:
                return decision
        known = ", ".join(self.decision_codes[1:]) or "none declared"
        raise KeyError(f"unknown decision code {code!r} (declared: {known})")

    def decision_label(self, code: str | None, lang: str = "ko") -> str:
        """Label of a decision code in ``lang`` ("ko" or "en", falling back to Korean);
        "" for no decision."""
        if not code:
            return ""
        return self.decision_def(code).label_in(lang)

    @cached_property
    def score_range(self) -> tuple[float, float]:
        """(minimum, maximum) total a subject can reach, caps above 1 included."""
        return 0.0, _max_total(self)

    @property
    def process(self) -> Mapping[str, Any]:
        """The ``process`` sections of the document (deadlines, panel, integrity, appeal);
        empty when the framework states none."""
        return self.document.get("process") or {}

    @cached_property
    def fingerprint(self) -> str:
        """sha256 of the canonical document: identifies the exact rules of a result."""
        canonical = json.dumps(self.document, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    # -- policies --------------------------------------------------------------

    def policy_for(self, on: dt.date | None) -> Policy | None:
        """The threshold policy in force on a date (None if the framework has none)."""
        if not self.policies:
            return None
        if on is None:
            on = dt.date.today()
        for policy in self.policies:
            if policy.in_force(on):
                return policy
        spans = ", ".join(f"{p.id} ({p.effective_from}..{p.effective_to or ''})"
                          for p in self.policies)
        raise FrameworkError("policies", f"no policy in force on {on.isoformat()} ({spans})",
                             self.source)

    def describe_rules(self) -> dict[str, Any]:
        """The combination rules, for explanations and exports."""
        aggregation = get_aggregation(self.panel_method)
        return {
            "panel": f"{self.panel_method} ({aggregation.description}), "
                     f"min_panel {self.min_panel}, sd {'sample' if self.sd_ddof else 'population'}",
            "area": self.area_rule,
            "total": self.total_rule,
            "not_applicable": f"left out; rebase {self.rebase}",
            "missing": self.missing,
            "rounding": f"{self.decimals} decimals, half up, decide on {self.decide_on} total",
        }


# --------------------------------------------------------------------------- loading


def load_framework(path: str | Path) -> Framework:
    """Read and validate a framework document from a YAML file."""
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FrameworkError("<file>", "file not found", source) from None
    except UnicodeDecodeError as exc:
        raise FrameworkError("<file>", f"not UTF-8 text ({exc.reason})", source) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrameworkError("<document>", f"not valid YAML{where}: {problem}", source) from None
    return framework_from_dict(data, source=source)


def framework_from_dict(data: Any, source: str = "<dict>") -> Framework:
    """Validate a framework document given as plain data."""
    try:
        return _parse_framework(data, source)
    except FrameworkError as exc:
        raise exc.with_source(source) from None


# --------------------------------------------------------------------------- parsing helpers


class _Doc:
    """A mapping being read, with its path for error messages."""

    def __init__(self, data: Any, path: str, allowed: Sequence[str]) -> None:
        if not isinstance(data, Mapping):
            raise FrameworkError(path or "<document>", f"expected a mapping, got {_typename(data)}")
        self.data = data
        self.path = path
        unknown = [str(k) for k in data if k not in allowed]
        if unknown:
            raise FrameworkError(self.at(unknown[0]),
                                 f"unknown field (allowed: {', '.join(allowed)})")

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def raw(self, key: str, default: Any = None) -> Any:
        value = self.data.get(key)
        return default if value is None else value

    def text(self, key: str, required: bool = True, default: str | None = None) -> str | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise FrameworkError(self.at(key), "required field is missing")
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise FrameworkError(self.at(key), f"expected text, got {_typename(value)}")
        text = str(value).strip()
        if required and not text:
            raise FrameworkError(self.at(key), "must not be empty")
        return text

    def number(self, key: str, required: bool = True, default: float | None = None,
               positive: bool = False, minimum: float | None = None) -> float | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise FrameworkError(self.at(key), "required field is missing")
            return default
        number = _as_number(value, self.at(key))
        if positive and not number > 0:
            raise FrameworkError(self.at(key), f"must be greater than 0, got {value!r}")
        if minimum is not None and number < minimum:
            raise FrameworkError(self.at(key), f"must be at least {minimum:g}, got {value!r}")
        return number

    def choice(self, key: str, options: Sequence[str], default: str | None = None) -> str:
        value = self.data.get(key)
        if value is None:
            if default is None:
                raise FrameworkError(self.at(key), "required field is missing "
                                     f"(one of: {', '.join(options)})")
            return default
        if value not in options:
            raise FrameworkError(self.at(key),
                                 f"unknown value {value!r} (expected one of: {', '.join(options)})")
        return str(value)

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise FrameworkError(self.at(key), f"expected true or false, got {value!r}")
        return value

    def items(self, key: str, required: bool = True) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            if required:
                raise FrameworkError(self.at(key), "required field is missing")
            return []
        if not isinstance(value, list):
            raise FrameworkError(self.at(key), f"expected a list, got {_typename(value)}")
        if required and not value:
            raise FrameworkError(self.at(key), "must not be empty")
        return value

    def child(self, key: str, allowed: Sequence[str]) -> _Doc:
        return _Doc(self.data.get(key) or {}, self.at(key), allowed)


def _typename(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false",
            type(None): "nothing"}.get(type(value), type(value).__name__)


def _as_number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FrameworkError(path, f"expected a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise FrameworkError(path, f"must be a finite number, got {value!r}")
    return number


def _as_date(value: Any, path: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise FrameworkError(path, f"expected a date YYYY-MM-DD, got {value!r}")


def _code(doc: _Doc, key: str = "code") -> str:
    code = doc.text(key)
    assert code is not None
    if not _CODE.match(code):
        raise FrameworkError(doc.at(key), f"invalid code {code!r} (letters, digits, . _ - only)")
    return code


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=_TOLERANCE, abs_tol=_TOLERANCE)


# --------------------------------------------------------------------------- parsing

_TOP_FIELDS = (
    "schema", "id", "version", "title", "title_en", "scheme", "description", "sources",
    "total", "weighting", "weight_total", "validate_total", "combine", "groups", "panel",
    "not_applicable", "missing", "rounding", "achievement", "classification", "scales",
    "decisions", "bands", "policies", "areas", "notes", "process",
)


def _parse_framework(data: Any, source: str) -> Framework:
    if data is None:
        raise FrameworkError("<document>", "the document is empty")
    doc = _Doc(data, "", _TOP_FIELDS)
    schema = doc.raw("schema", SCHEMA_VERSION)
    if schema != SCHEMA_VERSION:
        raise FrameworkError("schema", f"unsupported schema {schema!r} (this engine reads "
                                       f"{SCHEMA_VERSION})")
    framework_id = doc.text("id")
    assert framework_id is not None
    if not _ID.match(framework_id):
        raise FrameworkError("id", f"invalid id {framework_id!r} (lower-case letters, digits, "
                                   ". _ - only)")
    weighting = doc.choice("weighting", ("points", "weights"), "points")
    combine = doc.child("combine", ("area", "total"))
    area_rule = combine.choice("area", AREA_RULES, "sum")
    total_rule = combine.choice("total", TOTAL_RULES, "sum")
    total = doc.number("total", positive=True)
    weight_total = doc.number("weight_total", required=False, default=100.0, positive=True)
    if weighting == "points" and doc.has("weight_total"):
        raise FrameworkError("weight_total", "only meaningful with weighting: weights")
    panel = doc.child("panel", ("method", "min_panel", "sd"))
    method = panel.choice("method", aggregation_names(), "mean")
    min_panel = _parse_min_panel(panel, method)
    sd = panel.choice("sd", ("population", "sample"), "population")
    groups = _parse_groups(doc)
    default_cap = _parse_default_cap(doc)
    scales = _parse_named_scales(doc)
    context = _Context(weighting, weight_total, total, area_rule, total_rule, groups,
                       default_cap, scales, method)
    areas = _parse_areas(doc, context)
    _check_unique_codes(areas)
    if doc.flag("validate_total", True):
        _check_totals(areas, context)
    not_applicable = doc.child("not_applicable", ("rebase",))
    rebase = not_applicable.choice("rebase", REBASE_RULES, "total")
    missing = doc.choice("missing", MISSING_RULES, "exclude")
    rounding = doc.child("rounding", ("decimals", "mode", "decide_on"))
    decimals = _parse_decimals(rounding)
    rounding.choice("mode", ("half_up",), "half_up")
    decide_on = rounding.choice("decide_on", DECIDE_ON, "rounded")
    _check_process(doc)
    framework = Framework(
        id=framework_id,
        version=str(doc.text("version")),
        title=str(doc.text("title")),
        title_en=doc.text("title_en", required=False),
        scheme=doc.text("scheme", required=False),
        total=float(total),  # type: ignore[arg-type]
        areas=areas,
        weighting=weighting,
        weight_total=float(weight_total),  # type: ignore[arg-type]
        area_rule=area_rule,
        total_rule=total_rule,
        groups=groups,
        panel_method=method,
        min_panel=min_panel,
        sd_ddof=1 if sd == "sample" else 0,
        rebase=rebase,
        missing=missing,
        decimals=decimals,
        decide_on=decide_on,
        levels=_parse_levels(doc),
        source=source,
        # A private copy: later edits to the caller's dict must not change the rules
        # (or the fingerprint) of a framework already built.
        document=copy.deepcopy(data),
    )
    bands = _parse_bands(doc, framework.score_range)
    policies = _parse_policies(doc, framework.score_range)
    decisions = _parse_decisions(doc, bands, policies)
    return _replace(framework, bands=bands, policies=policies, decisions=decisions)


def _check_process(doc: _Doc) -> None:
    """``process`` holds the rules of the evaluation *as people run it* (deadlines, panel
    composition, score integrity, appeals). The engine does not score with them, so it only
    checks the shape; each Django app validates its own section when a version is imported
    (:mod:`seonggwa.core.process`). They are part of the document, hence of the fingerprint:
    changing a deadline rule makes a new framework version."""
    if doc.has("process") and not isinstance(doc.data["process"], Mapping):
        raise FrameworkError(doc.at("process"), "expected a mapping of process sections")


def _replace(framework: Framework, **changes: Any) -> Framework:
    from dataclasses import replace

    return replace(framework, **changes)


@dataclass(frozen=True)
class _Context:
    weighting: str
    weight_total: float | None
    total: float | None
    area_rule: str
    total_rule: str
    groups: tuple[str, ...]
    default_cap: float | None
    scales: dict[str, Scale]
    method: str


def _parse_groups(doc: _Doc) -> tuple[str, ...]:
    groups = []
    for i, value in enumerate(doc.items("groups", required=False)):
        if not isinstance(value, str) or not value.strip():
            raise FrameworkError(f"groups[{i}]", "a group name must be non-empty text")
        if value in groups:
            raise FrameworkError(f"groups[{i}]", f"duplicate group {value!r}")
        groups.append(value)
    return tuple(groups)


def _parse_default_cap(doc: _Doc) -> float | None:
    achievement = doc.child("achievement", ("cap",))
    if "cap" in achievement.data and achievement.data["cap"] is None:
        return None
    return achievement.number("cap", required=False, default=1.0, positive=True)


def _parse_min_panel(panel: _Doc, method: str, default: int | None = None) -> int:
    needed = get_aggregation(method).min_count
    value = panel.raw("min_panel", default or needed)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise FrameworkError(panel.at("min_panel"), f"expected a whole number >= 1, got {value!r}")
    if value < needed:
        raise FrameworkError(panel.at("min_panel"),
                             f"{method} needs at least {needed} ratings; min_panel is {value}")
    return value


def _parse_decimals(rounding: _Doc) -> int:
    value = rounding.raw("decimals", 2)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
        raise FrameworkError(rounding.at("decimals"), f"expected a whole number 0-6, got {value!r}")
    return value


def _parse_named_scales(doc: _Doc) -> dict[str, Scale]:
    raw = doc.raw("scales", {})
    if not isinstance(raw, Mapping):
        raise FrameworkError("scales", f"expected a mapping of named scales, got {_typename(raw)}")
    return {str(name): _parse_scale(spec, f"scales.{name}", name=str(name))
            for name, spec in raw.items()}


_SCALE_FIELDS = ("min", "max", "step", "labels", "conversion", "table")


def _parse_scale(spec: Any, path: str, name: str | None = None) -> Scale:
    doc = _Doc(spec, path, _SCALE_FIELDS)
    low = doc.number("min")
    high = doc.number("max")
    assert low is not None and high is not None
    if not low < high:
        raise FrameworkError(doc.at("max"), f"scale max ({high:g}) must exceed min ({low:g})")
    step = doc.number("step", required=False, positive=True)
    if step is not None and not _close(round((high - low) / step) * step, high - low):
        raise FrameworkError(doc.at("step"),
                             f"step {step:g} does not divide the scale {low:g}-{high:g}")
    conversion = doc.choice("conversion", CONVERSIONS, "linear")
    if conversion == "ratio" and low < 0:
        raise FrameworkError(doc.at("conversion"), "ratio conversion needs min >= 0")
    table = _parse_table(doc, low, high) if conversion == "table" else {}
    if conversion != "table" and doc.has("table"):
        raise FrameworkError(doc.at("table"), "a table is only used with conversion: table")
    scale = Scale(min=low, max=high, conversion=conversion, step=step, table=table, name=name)
    labels = _parse_labels(doc, scale)
    return Scale(min=low, max=high, conversion=conversion, step=step, labels=labels,
                 table=table, name=name)


def _parse_table(doc: _Doc, low: float, high: float) -> dict[float, float]:
    raw = doc.raw("table")
    if not isinstance(raw, Mapping) or not raw:
        raise FrameworkError(doc.at("table"), "conversion: table needs a value -> fraction table")
    table: dict[float, float] = {}
    for key, fraction in raw.items():
        path = f"{doc.at('table')}.{key}"
        value = _as_key_number(key, path)
        share = _as_number(fraction, path)
        if not low <= value <= high:
            raise FrameworkError(path, f"value {value:g} is outside the scale {low:g}-{high:g}")
        if not 0.0 <= share <= 1.0:
            raise FrameworkError(path, f"fraction must lie in [0, 1], got {share:g}")
        table[value] = share
    ordered = [table[k] for k in sorted(table)]
    if any(b < a for a, b in zip(ordered, ordered[1:], strict=False)):
        raise FrameworkError(doc.at("table"),
                             "fractions must not decrease as the rating rises")
    return table


def _as_key_number(key: Any, path: str) -> float:
    """A number used as a mapping key: YAML gives 5, JSON (a document stored in a
    database) gives "5" — both mean the scale value 5."""
    if isinstance(key, str):
        try:
            key = float(key.strip())
        except ValueError:
            raise FrameworkError(path, f"expected a number, got {key!r}") from None
    return _as_number(key, path)


def _parse_labels(doc: _Doc, scale: Scale) -> dict[str, float]:
    raw = doc.raw("labels", {})
    if not isinstance(raw, Mapping):
        raise FrameworkError(doc.at("labels"), "expected a mapping value: label")
    labels: dict[str, float] = {}
    for key, label in raw.items():
        path = f"{doc.at('labels')}.{key}"
        value = _as_key_number(key, path)
        if not isinstance(label, str) or not label.strip():
            raise FrameworkError(path, "a label must be non-empty text")
        if not scale.on_scale(np.array([value]))[0]:
            raise FrameworkError(path, f"value {value:g} is not on the scale")
        if label.strip() in labels:
            raise FrameworkError(path, f"duplicate label {label!r}")
        labels[label.strip()] = value
    return labels


def _parse_areas(doc: _Doc, context: _Context) -> tuple[Area, ...]:
    areas = []
    for i, raw in enumerate(doc.items("areas")):
        area = _Doc(raw, f"areas[{i}]", ("code", "name", "name_en", "points", "indicators",
                                         "note"))
        code = _code(area)
        indicators = tuple(
            _parse_indicator(item, f"areas[{i}].indicators[{j}]", code, context)
            for j, item in enumerate(area.items("indicators"))
        )
        declared = area.number("points", required=False, positive=True)
        points = _area_max(indicators, context.area_rule, area.at("indicators"))
        if declared is not None and not _close(declared, points):
            raise FrameworkError(area.at("points"),
                                 f"declared {declared:g} but the indicators give {points:g}")
        areas.append(Area(code=code, name=str(area.text("name")), points=points,
                          indicators=indicators, name_en=area.text("name_en", required=False)))
    return tuple(areas)


_INDICATOR_FIELDS = (
    "code", "name", "name_en", "kind", "points", "weight", "unit", "direction", "target",
    "target_high", "target_text", "secondary_targets", "cumulative", "cap", "score_rule",
    "scale", "applies_to", "min_panel", "note",
)


def _parse_indicator(raw: Any, path: str, area_code: str, context: _Context) -> Indicator:
    doc = _Doc(raw, path, _INDICATOR_FIELDS)
    code = _code(doc)
    kind = doc.choice("kind", KINDS)
    points, weight = _indicator_points(doc, context)
    direction = _indicator_direction(doc, kind)
    target, target_high = _indicator_targets(doc, direction)
    cap = _indicator_cap(doc, kind, context.default_cap)
    score_rule = doc.choice("score_rule", SCORE_RULES, "proportional")
    if kind != "quantitative" and doc.has("score_rule"):
        raise FrameworkError(doc.at("score_rule"), "only quantitative indicators have a score_rule")
    scale = _indicator_scale(doc, kind, points, context)
    applies_to = _indicator_groups(doc, context.groups)
    min_panel = None
    if doc.has("min_panel"):
        if kind == "quantitative":
            raise FrameworkError(doc.at("min_panel"), "quantitative indicators have no panel")
        min_panel = _parse_min_panel(doc, context.method)
    return Indicator(
        code=code, name=str(doc.text("name")), kind=kind, points=points, area=area_code,
        weight=weight, name_en=doc.text("name_en", required=False),
        unit=doc.text("unit", required=False), direction=direction, target=target,
        target_high=target_high, target_text=doc.text("target_text", required=False),
        secondary_targets=_secondary_targets(doc), cumulative=doc.flag("cumulative"),
        cap=cap, score_rule=score_rule, scale=scale, applies_to=applies_to,
        min_panel=min_panel, note=doc.text("note", required=False),
    )


def _indicator_points(doc: _Doc, context: _Context) -> tuple[float, float | None]:
    if context.weighting == "weights":
        if doc.has("points"):
            raise FrameworkError(doc.at("points"), "use weight, not points, with weighting: weights")
        weight = doc.number("weight", positive=True)
        assert weight is not None and context.weight_total and context.total
        return weight / context.weight_total * context.total, weight
    if doc.has("weight"):
        raise FrameworkError(doc.at("weight"), "use points, not weight, with weighting: points")
    averaged = context.area_rule == "mean" or context.total_rule == "mean_of_indicators"
    if averaged and not doc.has("points") and context.total:
        # Averaged indicators all share the total's scale (e.g. 100 = 100%).
        return float(context.total), None
    points = doc.number("points", positive=True)
    assert points is not None
    return points, None


def _indicator_direction(doc: _Doc, kind: str) -> str | None:
    if kind == "quantitative":
        return doc.choice("direction", DIRECTIONS)
    if doc.has("direction"):
        raise FrameworkError(doc.at("direction"), "only quantitative indicators have a direction")
    return None


def _indicator_targets(doc: _Doc, direction: str | None) -> tuple[float | None, float | None]:
    for key in ("target", "target_high"):
        if direction is None and doc.has(key):
            raise FrameworkError(doc.at(key), "only quantitative indicators have targets")
    target = doc.number("target", required=False)
    high = doc.number("target_high", required=False)
    if direction == "range":
        if (target is None) != (high is None):
            raise FrameworkError(doc.at("target_high" if high is None else "target"),
                                 "a range needs both target (low) and target_high")
        if target is not None and high is not None and high < target:
            raise FrameworkError(doc.at("target_high"),
                                 f"target_high ({high:g}) is below target ({target:g})")
    elif high is not None:
        raise FrameworkError(doc.at("target_high"), "target_high is only used with direction: range")
    if target is not None and direction in ("higher", "shortfall") and not target > 0:
        raise FrameworkError(doc.at("target"), f"must be greater than 0 for direction {direction}")
    if target is not None and target < 0:
        raise FrameworkError(doc.at("target"), "must not be negative")
    return target, high


def _indicator_cap(doc: _Doc, kind: str, default: float | None) -> float | None:
    if kind != "quantitative":
        if doc.has("cap"):
            raise FrameworkError(doc.at("cap"), "only quantitative indicators have a cap")
        return None
    if "cap" in doc.data and doc.data["cap"] is None:
        return None
    cap = doc.number("cap", required=False, default=default, positive=True)
    if cap is not None and cap < 1:
        raise FrameworkError(doc.at("cap"), f"a cap below 1 ({cap:g}) would make the target "
                                            "unreachable")
    return cap


def _indicator_scale(doc: _Doc, kind: str, points: float, context: _Context) -> Scale | None:
    spec = doc.raw("scale")
    if kind == "quantitative":
        if spec is not None:
            raise FrameworkError(doc.at("scale"), "quantitative indicators have no rating scale")
        return None
    if kind == "direct":
        if spec is not None:
            raise FrameworkError(doc.at("scale"), "direct points are entered 0..points; no scale")
        return Scale(min=0.0, max=points, conversion="ratio")
    if spec is None:
        if kind == "survey":
            return Scale(min=0.0, max=100.0, conversion="ratio", name="survey")
        raise FrameworkError(doc.at("scale"), "a rating indicator needs a scale")
    if isinstance(spec, str):
        if spec not in context.scales:
            known = ", ".join(context.scales) or "none declared"
            raise FrameworkError(doc.at("scale"), f"unknown scale {spec!r} (scales: {known})")
        return context.scales[spec]
    return _parse_scale(spec, doc.at("scale"))


def _indicator_groups(doc: _Doc, groups: tuple[str, ...]) -> tuple[str, ...]:
    values = doc.items("applies_to", required=False)
    for j, group in enumerate(values):
        if group not in groups:
            known = ", ".join(groups) or "none declared"
            raise FrameworkError(f"{doc.at('applies_to')}[{j}]",
                                 f"unknown group {group!r} (groups: {known})")
    return tuple(values)


def _secondary_targets(doc: _Doc) -> tuple[dict[str, Any], ...]:
    out = []
    for j, item in enumerate(doc.items("secondary_targets", required=False)):
        sub = _Doc(item, f"{doc.at('secondary_targets')}[{j}]", ("value", "unit", "note"))
        out.append({"value": sub.number("value"), "unit": sub.text("unit", required=False),
                    "note": sub.text("note", required=False)})
    return tuple(out)


def _area_max(indicators: tuple[Indicator, ...], rule: str, path: str) -> float:
    if rule == "sum":
        return float(sum(ind.points for ind in indicators))
    first = indicators[0].points
    for j, ind in enumerate(indicators):
        if not _close(ind.points, first):
            raise FrameworkError(f"{path}[{j}].points",
                                 f"area rule 'mean' needs equal points; {ind.points:g} != "
                                 f"{first:g}")
    return float(first)


def _max_total(framework: Framework) -> float:
    """Largest reachable total: nominal points, stretched by caps above 1."""
    def reach(ind: Indicator) -> float:
        stretch = ind.cap if (ind.kind == "quantitative" and ind.score_rule == "proportional"
                              and ind.cap is not None) else 1.0
        if ind.kind == "quantitative" and ind.cap is None and ind.score_rule == "proportional":
            stretch = math.inf
        return ind.points * stretch

    def area_reach(area: Area) -> float:
        values = [reach(ind) for ind in area.indicators]
        return sum(values) if framework.area_rule == "sum" else max(values)

    if framework.total_rule == "sum":
        return float(sum(area_reach(a) for a in framework.areas))
    if framework.total_rule == "mean_of_areas":
        return float(max(area_reach(a) for a in framework.areas))
    return float(max(reach(ind) for ind in framework.indicators))


def _check_unique_codes(areas: tuple[Area, ...]) -> None:
    seen_areas: dict[str, int] = {}
    seen: dict[str, str] = {}
    for i, area in enumerate(areas):
        if area.code in seen_areas:
            raise FrameworkError(f"areas[{i}].code", f"duplicate area code {area.code!r} "
                                                     f"(also areas[{seen_areas[area.code]}])")
        seen_areas[area.code] = i
        for j, ind in enumerate(area.indicators):
            path = f"areas[{i}].indicators[{j}]"
            if ind.code in seen:
                raise FrameworkError(f"{path}.code", f"duplicate indicator code {ind.code!r} "
                                                     f"(also {seen[ind.code]})")
            seen[ind.code] = path


def _check_totals(areas: tuple[Area, ...], context: _Context) -> None:
    """Points/weights must add up to the declared total, computed from the rows."""
    indicators = [ind for area in areas for ind in area.indicators]
    if context.weighting == "weights":
        weights = sum(ind.weight or 0.0 for ind in indicators)
        if not _close(weights, context.weight_total or 0.0):
            raise FrameworkError("areas", f"indicator weights sum to {weights:g}, expected "
                                          f"{context.weight_total:g} (weight_total)")
        return
    total = context.total or 0.0
    if context.total_rule == "sum":
        found = sum(area.points for area in areas)
        what = "area points sum"
    elif context.total_rule == "mean_of_areas":
        for i, area in enumerate(areas):
            if not _close(area.points, total):
                raise FrameworkError(f"areas[{i}]", f"mean_of_areas needs every area worth "
                                                    f"{total:g}; this one is {area.points:g}")
        return
    else:
        for i, area in enumerate(areas):
            for j, ind in enumerate(area.indicators):
                if not _close(ind.points, total):
                    raise FrameworkError(f"areas[{i}].indicators[{j}].points",
                                         f"mean_of_indicators needs every indicator worth "
                                         f"{total:g}; this one is {ind.points:g}")
        return
    if not _close(found, total):
        raise FrameworkError("areas", f"{what} to {found:g}, expected {total:g} (total)")


def _parse_levels(doc: _Doc) -> tuple[ClassLevel, ...]:
    spec = doc.child("classification", ("levels",))
    raw = spec.items("levels", required=False)
    if not raw:
        return tuple(ClassLevel(code, label, minimum) for code, label, minimum in DEFAULT_LEVELS)
    levels = []
    for i, item in enumerate(raw):
        level = _Doc(item, f"classification.levels[{i}]", ("code", "label", "min"))
        minimum = level.number("min", minimum=0.0)
        assert minimum is not None
        if levels and not minimum < levels[-1].min:
            raise FrameworkError(level.at("min"), "levels must be listed best first with "
                                                  "strictly falling minimums")
        levels.append(ClassLevel(_code(level), str(level.text("label")), minimum))
    if levels[-1].min != 0:
        raise FrameworkError(f"classification.levels[{len(levels) - 1}].min",
                             "the last level must start at 0 so every achievement has a level")
    return tuple(levels)


def _parse_bands(doc: _Doc, score_range: tuple[float, float]) -> tuple[Band, ...]:
    bands = []
    for i, item in enumerate(doc.items("bands", required=False)):
        band = _Doc(item, f"bands[{i}]", ("code", "label", "label_en", "lower", "upper",
                                          "decision", "note"))
        lower = band.number("lower")
        upper = band.number("upper")
        assert lower is not None and upper is not None
        if not lower < upper:
            raise FrameworkError(band.at("upper"), f"upper ({upper:g}) must exceed lower "
                                                   f"({lower:g}); bands are [lower, upper)")
        bands.append((i, Band(_code(band), str(band.text("label")), lower, upper,
                              band.text("decision", required=False),
                              band.text("label_en", required=False))))
    if not bands:
        return ()
    _check_band_codes(bands)
    ordered = sorted(bands, key=lambda pair: pair[1].lower)
    _check_band_cover(ordered, score_range)
    return tuple(band for _, band in ordered)


def _check_band_codes(bands: list[tuple[int, Band]]) -> None:
    seen: dict[str, int] = {}
    for i, band in bands:
        if band.code in seen:
            raise FrameworkError(f"bands[{i}].code", f"duplicate band code {band.code!r}")
        seen[band.code] = i


def _check_band_cover(ordered: list[tuple[int, Band]], score_range: tuple[float, float]) -> None:
    low, high = score_range
    first_index, first = ordered[0]
    if not _close(first.lower, low):
        raise FrameworkError(f"bands[{first_index}].lower",
                             f"the lowest band starts at {first.lower:g} but scores start at "
                             f"{low:g} (gap)")
    for (_, previous), (index, band) in zip(ordered, ordered[1:], strict=False):
        if band.lower < previous.upper and not _close(band.lower, previous.upper):
            raise FrameworkError(f"bands[{index}].lower",
                                 f"band {band.code!r} [{band.lower:g}, {band.upper:g}) overlaps "
                                 f"band {previous.code!r} [{previous.lower:g}, {previous.upper:g})")
        if band.lower > previous.upper and not _close(band.lower, previous.upper):
            raise FrameworkError(f"bands[{index}].lower",
                                 f"gap between {previous.upper:g} and {band.lower:g} "
                                 f"(bands {previous.code!r} and {band.code!r})")
    last_index, last = ordered[-1]
    if not _close(last.upper, high):
        raise FrameworkError(f"bands[{last_index}].upper",
                             f"the top band ends at {last.upper:g} but scores reach {high:g}")


def _parse_policies(doc: _Doc, score_range: tuple[float, float]) -> tuple[Policy, ...]:
    policies: list[tuple[int, Policy]] = []
    for i, item in enumerate(doc.items("policies", required=False)):
        spec = _Doc(item, f"policies[{i}]", ("id", "effective_from", "effective_to",
                                             "threshold", "below", "otherwise", "note"))
        policies.append((i, _parse_policy(spec, score_range)))
    seen: set[str] = set()
    for i, policy in policies:
        if policy.id in seen:
            raise FrameworkError(f"policies[{i}].id", f"duplicate policy id {policy.id!r}")
        seen.add(policy.id)
    ordered = sorted(policies, key=lambda pair: pair[1].effective_from)
    for (_, previous), (index, policy) in zip(ordered, ordered[1:], strict=False):
        if previous.effective_to is None or policy.effective_from <= previous.effective_to:
            until = previous.effective_to.isoformat() if previous.effective_to else "open-ended"
            raise FrameworkError(f"policies[{index}].effective_from",
                                 f"policy {policy.id!r} from {policy.effective_from} overlaps "
                                 f"policy {previous.id!r} ({previous.effective_from}..{until})")
    return tuple(policy for _, policy in ordered)


def _parse_policy(spec: _Doc, score_range: tuple[float, float]) -> Policy:
    start = _as_date(spec.raw("effective_from"), spec.at("effective_from")) if spec.has(
        "effective_from") else None
    if start is None:
        raise FrameworkError(spec.at("effective_from"), "required field is missing")
    end = _as_date(spec.raw("effective_to"), spec.at("effective_to")) if spec.has(
        "effective_to") else None
    if end is not None and end < start:
        raise FrameworkError(spec.at("effective_to"), f"{end} is before effective_from {start}")
    threshold = spec.number("threshold", required=False)
    below = spec.text("below", required=False)
    if threshold is not None:
        low, high = score_range
        if not low <= threshold <= high:
            raise FrameworkError(spec.at("threshold"),
                                 f"{threshold:g} is outside the score range {low:g}-{high:g}")
        if not below:
            raise FrameworkError(spec.at("below"), "a threshold needs the decision for scores "
                                                   "below it")
    elif below:
        raise FrameworkError(spec.at("threshold"), "'below' needs a threshold")
    return Policy(id=_code(spec, "id"), effective_from=start, effective_to=end,
                  threshold=threshold, below=below,
                  otherwise=spec.text("otherwise", required=False),
                  note=spec.text("note", required=False))


# --------------------------------------------------------------------------- decisions


def _parse_decisions(doc: _Doc, bands: tuple[Band, ...],
                     policies: tuple[Policy, ...]) -> tuple[DecisionDef, ...]:
    """The declared vocabulary, every band/policy reference checked against it.

    Without a ``decisions:`` section (legacy documents) each distinct text used by a
    band or policy becomes its own code, with itself as the label.
    """
    if "decisions" not in doc.data:
        decisions = _legacy_decisions(bands, policies)
    else:
        decisions = _declared_decisions(doc)
        _check_decision_references(doc, decisions)
    if len(decisions) > MAX_DECISIONS:
        raise FrameworkError("decisions", f"at most {MAX_DECISIONS} decisions, got "
                                          f"{len(decisions)}")
    return decisions


def _legacy_decisions(bands: Sequence[Band], policies: Sequence[Policy]
                      ) -> tuple[DecisionDef, ...]:
    texts: list[str] = []
    candidates = [band.decision for band in bands]
    for policy in policies:
        candidates += [policy.below, policy.otherwise]
    for text in candidates:
        if text and text not in texts:
            texts.append(text)
    return tuple(DecisionDef(text, text) for text in texts)


def _declared_decisions(doc: _Doc) -> tuple[DecisionDef, ...]:
    raw = doc.data.get("decisions")
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise FrameworkError("decisions", f"expected a list, got {_typename(raw)}")
    decisions: list[DecisionDef] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(raw):
        spec = _Doc(item, f"decisions[{i}]", ("code", "label", "label_en", "note"))
        code = _code(spec)
        if code in seen:
            raise FrameworkError(spec.at("code"), f"duplicate decision code {code!r} "
                                                  f"(also decisions[{seen[code]}])")
        seen[code] = i
        decisions.append(DecisionDef(code, str(spec.text("label")),
                                     spec.text("label_en", required=False)))
    return tuple(decisions)


def _check_decision_references(doc: _Doc, decisions: tuple[DecisionDef, ...]) -> None:
    codes = {d.code for d in decisions}
    declared = ", ".join(d.code for d in decisions) or "none"
    references: list[tuple[str, Any]] = []
    for i, band in enumerate(doc.data.get("bands") or []):
        references.append((f"bands[{i}].decision", band.get("decision")))
    for i, policy in enumerate(doc.data.get("policies") or []):
        for key in ("below", "otherwise"):
            references.append((f"policies[{i}].{key}", policy.get(key)))
    for path, value in references:
        if value is None:
            continue
        code = str(value).strip()
        if code and code not in codes:
            raise FrameworkError(path, f"unknown decision code {code!r} (declared: {declared})")
