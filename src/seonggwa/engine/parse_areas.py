"""Parsing areas and their indicators, and checking the points add up.

Each indicator is read by kind (quantitative, rating, survey, direct): its points (or
weight, converted to points), direction, targets, cap, score rule, scale, groups
(``applies_to``) and panel minimum. Then: codes unique across the framework, an area's
declared points equal to its indicators', and the points (or weights) summing to the
declared total, computed from the rows, never from a printed total.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .achievement import DIRECTIONS
from .aggregation import get_aggregation
from .errors import FrameworkError
from .framework import KINDS, Area, Indicator
from .parse_fields import Doc, is_close, read_code
from .parse_scales import parse_scale
from .scales import Scale

__all__ = ["Context", "check_totals", "check_unique_codes", "parse_areas", "parse_min_panel"]

SCORE_RULES = ("proportional", "met")


@dataclass(frozen=True)
class Context:
    weighting: str
    weight_total: float | None
    total: float | None
    area_rule: str
    total_rule: str
    groups: tuple[str, ...]
    default_cap: float | None
    scales: dict[str, Scale]
    method: str


def parse_min_panel(panel: Doc, method: str, default: int | None = None) -> int:
    needed = get_aggregation(method).min_count
    value = panel.raw("min_panel", default or needed)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise FrameworkError(panel.at("min_panel"), f"expected a whole number >= 1, got {value!r}")
    if value < needed:
        raise FrameworkError(panel.at("min_panel"),
                             f"{method} needs at least {needed} ratings; min_panel is {value}")
    return value


def parse_areas(doc: Doc, context: Context) -> tuple[Area, ...]:
    areas = []
    for i, raw in enumerate(doc.items("areas")):
        area = Doc(raw, f"areas[{i}]", ("code", "name", "name_en", "points", "indicators",
                                        "note"))
        code = read_code(area)
        indicators = tuple(
            _parse_indicator(item, f"areas[{i}].indicators[{j}]", code, context)
            for j, item in enumerate(area.items("indicators"))
        )
        declared = area.number("points", required=False, positive=True)
        points = _area_max(indicators, context.area_rule, area.at("indicators"))
        if declared is not None and not is_close(declared, points):
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


def _parse_indicator(raw: Any, path: str, area_code: str, context: Context) -> Indicator:
    doc = Doc(raw, path, _INDICATOR_FIELDS)
    code = read_code(doc)
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
        min_panel = parse_min_panel(doc, context.method)
    return Indicator(
        code=code, name=str(doc.text("name")), kind=kind, points=points, area=area_code,
        weight=weight, name_en=doc.text("name_en", required=False),
        unit=doc.text("unit", required=False), direction=direction, target=target,
        target_high=target_high, target_text=doc.text("target_text", required=False),
        secondary_targets=_secondary_targets(doc), cumulative=doc.flag("cumulative"),
        cap=cap, score_rule=score_rule, scale=scale, applies_to=applies_to,
        min_panel=min_panel, note=doc.text("note", required=False),
    )


def _indicator_points(doc: Doc, context: Context) -> tuple[float, float | None]:
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


def _indicator_direction(doc: Doc, kind: str) -> str | None:
    if kind == "quantitative":
        return doc.choice("direction", DIRECTIONS)
    if doc.has("direction"):
        raise FrameworkError(doc.at("direction"), "only quantitative indicators have a direction")
    return None


def _indicator_targets(doc: Doc, direction: str | None) -> tuple[float | None, float | None]:
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


def _indicator_cap(doc: Doc, kind: str, default: float | None) -> float | None:
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


def _indicator_scale(doc: Doc, kind: str, points: float, context: Context) -> Scale | None:
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
    return parse_scale(spec, doc.at("scale"))


def _indicator_groups(doc: Doc, groups: tuple[str, ...]) -> tuple[str, ...]:
    values = doc.items("applies_to", required=False)
    for j, group in enumerate(values):
        if group not in groups:
            known = ", ".join(groups) or "none declared"
            raise FrameworkError(f"{doc.at('applies_to')}[{j}]",
                                 f"unknown group {group!r} (groups: {known})")
    return tuple(values)


def _secondary_targets(doc: Doc) -> tuple[dict[str, Any], ...]:
    out = []
    for j, item in enumerate(doc.items("secondary_targets", required=False)):
        sub = Doc(item, f"{doc.at('secondary_targets')}[{j}]", ("value", "unit", "note"))
        out.append({"value": sub.number("value"), "unit": sub.text("unit", required=False),
                    "note": sub.text("note", required=False)})
    return tuple(out)


def _area_max(indicators: tuple[Indicator, ...], rule: str, path: str) -> float:
    if rule == "sum":
        return float(sum(ind.points for ind in indicators))
    first = indicators[0].points
    for j, ind in enumerate(indicators):
        if not is_close(ind.points, first):
            raise FrameworkError(f"{path}[{j}].points",
                                 f"area rule 'mean' needs equal points; {ind.points:g} != "
                                 f"{first:g}")
    return float(first)


def check_unique_codes(areas: tuple[Area, ...]) -> None:
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


def check_totals(areas: tuple[Area, ...], context: Context) -> None:
    """Points/weights must add up to the declared total, computed from the rows."""
    indicators = [ind for area in areas for ind in area.indicators]
    if context.weighting == "weights":
        weights = sum(ind.weight or 0.0 for ind in indicators)
        if not is_close(weights, context.weight_total or 0.0):
            raise FrameworkError("areas", f"indicator weights sum to {weights:g}, expected "
                                          f"{context.weight_total:g} (weight_total)")
        return
    total = context.total or 0.0
    if context.total_rule == "sum":
        found = sum(area.points for area in areas)
        what = "area points sum"
    elif context.total_rule == "mean_of_areas":
        for i, area in enumerate(areas):
            if not is_close(area.points, total):
                raise FrameworkError(f"areas[{i}]", f"mean_of_areas needs every area worth "
                                                    f"{total:g}; this one is {area.points:g}")
        return
    else:
        for i, area in enumerate(areas):
            for j, ind in enumerate(area.indicators):
                if not is_close(ind.points, total):
                    raise FrameworkError(f"areas[{i}].indicators[{j}].points",
                                         f"mean_of_indicators needs every indicator worth "
                                         f"{total:g}; this one is {ind.points:g}")
        return
    if not is_close(found, total):
        raise FrameworkError("areas", f"{what} to {found:g}, expected {total:g} (total)")
