"""Framework documents in: load and validate a scheme-year's rules (the entry points).

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

This module reads the top level (identity, total, weighting, combination, panel, groups,
missing data, rounding, classification levels, ``process``) and hands each section to its
parser: :mod:`~seonggwa.engine.parse_scales`, :mod:`~seonggwa.engine.parse_areas`,
:mod:`~seonggwa.engine.parse_decisions`, over the field reader of
:mod:`~seonggwa.engine.parse_fields`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from .aggregation import aggregation_names
from .errors import FrameworkError
from .framework import ClassLevel, Framework
from .parse_areas import Context, check_totals, check_unique_codes, parse_areas, parse_min_panel
from .parse_decisions import parse_bands, parse_decisions, parse_policies
from .parse_fields import Doc, read_code
from .parse_scales import parse_named_scales

__all__ = ["framework_from_dict", "load_framework"]

SCHEMA_VERSION = 1
AREA_RULES = ("sum", "mean")
TOTAL_RULES = ("sum", "mean_of_areas", "mean_of_indicators")
REBASE_RULES = ("total", "area", "none")
MISSING_RULES = ("exclude", "zero", "error")
DECIDE_ON = ("rounded", "raw")
DEFAULT_LEVELS = (("achieved", "달성", 1.0), ("partial", "일부달성", 0.5), ("not_achieved", "미달성", 0.0))
_ID = re.compile(r"^[a-z0-9][a-z0-9._\-]*$")


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
    doc = Doc(data, "", _TOP_FIELDS)
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
    min_panel = parse_min_panel(panel, method)
    sd = panel.choice("sd", ("population", "sample"), "population")
    groups = _parse_groups(doc)
    default_cap = _parse_default_cap(doc)
    scales = parse_named_scales(doc)
    context = Context(weighting, weight_total, total, area_rule, total_rule, groups,
                      default_cap, scales, method)
    areas = parse_areas(doc, context)
    check_unique_codes(areas)
    if doc.flag("validate_total", True):
        check_totals(areas, context)
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
    bands = parse_bands(doc, framework.score_range)
    policies = parse_policies(doc, framework.score_range)
    decisions = parse_decisions(doc, bands, policies)
    return replace(framework, bands=bands, policies=policies, decisions=decisions)


def _check_process(doc: Doc) -> None:
    """``process`` holds the rules of the evaluation *as people run it* (deadlines, panel
    composition, score integrity, appeals). The engine does not score with them, so it only
    checks the shape; each Django app validates its own section when a version is imported
    (:mod:`seonggwa.core.process`). They are part of the document, hence of the fingerprint:
    changing a deadline rule makes a new framework version."""
    if doc.has("process") and not isinstance(doc.data["process"], Mapping):
        raise FrameworkError(doc.at("process"), "expected a mapping of process sections")


def _parse_groups(doc: Doc) -> tuple[str, ...]:
    groups = []
    for i, value in enumerate(doc.items("groups", required=False)):
        if not isinstance(value, str) or not value.strip():
            raise FrameworkError(f"groups[{i}]", "a group name must be non-empty text")
        if value in groups:
            raise FrameworkError(f"groups[{i}]", f"duplicate group {value!r}")
        groups.append(value)
    return tuple(groups)


def _parse_default_cap(doc: Doc) -> float | None:
    achievement = doc.child("achievement", ("cap",))
    if "cap" in achievement.data and achievement.data["cap"] is None:
        return None
    return achievement.number("cap", required=False, default=1.0, positive=True)


def _parse_decimals(rounding: Doc) -> int:
    value = rounding.raw("decimals", 2)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
        raise FrameworkError(rounding.at("decimals"), f"expected a whole number 0-6, got {value!r}")
    return value


def _parse_levels(doc: Doc) -> tuple[ClassLevel, ...]:
    spec = doc.child("classification", ("levels",))
    raw = spec.items("levels", required=False)
    if not raw:
        return tuple(ClassLevel(code, label, minimum) for code, label, minimum in DEFAULT_LEVELS)
    levels = []
    for i, item in enumerate(raw):
        level = Doc(item, f"classification.levels[{i}]", ("code", "label", "min"))
        minimum = level.number("min", minimum=0.0)
        assert minimum is not None
        if levels and not minimum < levels[-1].min:
            raise FrameworkError(level.at("min"), "levels must be listed best first with "
                                                  "strictly falling minimums")
        levels.append(ClassLevel(read_code(level), str(level.text("label")), minimum))
    if levels[-1].min != 0:
        raise FrameworkError(f"classification.levels[{len(levels) - 1}].min",
                             "the last level must start at 0 so every achievement has a level")
    return tuple(levels)
