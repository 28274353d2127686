"""One subject's result, with its breakdown: :class:`SubjectResult` and its parts.

:func:`subject_result` reads row ``i`` of a :class:`~seonggwa.engine.batch.BatchResult`
into a :class:`SubjectResult`. This module depends on the framework only (the batch
result is read through its attributes), so ``batch`` imports it without an import cycle.

:class:`SubjectResult` names the framework id, version and fingerprint and the policy
that produced it, and carries a per-area and per-indicator breakdown;
:meth:`SubjectResult.to_dict` is JSON-ready (NaN -> None) and
:meth:`SubjectResult.explain` renders it as text.

Scales: ``total`` is always on the framework's scale (``scale_max``, e.g. 100). When
indicators are left out (not applicable, missing-excluded) and the framework rebases,
the points earned (``counted_points``) of the points that could be earned
(``counted_max``) are rescaled to that scale and ``rescaled`` is true — so a total reads
"93.94 of 100, rescaled from 75.15 of 80 applicable points", never "93.94 of 80".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from .rounding import format_fixed

# A seonggwa.engine.batch.BatchResult; not imported, even for type checking, so this
# module stays below batch in the engine's import graph (no cycle).
BatchResult = Any

__all__ = ["STATUS_LABELS", "AreaResult", "IndicatorResult", "SubjectResult",
           "subject_result"]

# Per-indicator status codes in BatchResult.status.
SCORED, NOT_APPLICABLE, MISSING_EXCLUDED, MISSING_ZERO = 0, 1, 2, 3
STATUS_LABELS = ("scored", "not_applicable", "missing_excluded", "missing_zero")
_CLOSE = 1e-9


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    name: str
    area: str
    kind: str
    points: float | None  # None = left out (see status)
    max_points: float
    sd: float | None
    panel_count: int
    achievement: float | None
    classification: str | None
    classification_reason: str | None
    status: str
    rule: str


@dataclass(frozen=True)
class AreaResult:
    code: str
    name: str
    points: float | None
    max_points: float
    counted_max: float


@dataclass(frozen=True)
class SubjectResult:
    subject_id: str
    framework_id: str
    framework_version: str
    framework_fingerprint: str
    policy_id: str | None
    on_date: dt.date
    group: str | None
    total: float | None  # on the framework's scale (scale_max), rescaled if `rescaled`
    total_rounded: float | None
    max_points: float  # = counted_max (kept for existing callers)
    band: str | None
    band_label: str | None
    decision: str | None  # decision CODE (framework.decision_codes), None = no decision
    rank: int | None
    decimals: int
    decide_on: str
    areas: tuple[AreaResult, ...]
    indicators: tuple[IndicatorResult, ...]
    rules: Mapping[str, str]
    decision_label: str | None = None  # Korean label of `decision`
    decision_label_en: str | None = None  # English label (the Korean one if none declared)
    policy_threshold: float | None = None  # the threshold of policy_id (None: no threshold)
    scale_max: float = 0.0  # the framework's total: the scale `total` is on
    counted_max: float = 0.0  # points of the indicators counted (before any rescaling)
    counted_points: float | None = None  # points earned by them (before any rescaling)
    rescaled: bool = False  # the total was rescaled from counted_max to scale_max

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["on_date"] = self.on_date.isoformat()
        data["rules"] = dict(self.rules)
        return data

    def total_text(self) -> str:
        """'93.94 of 100 (rescaled from 75.15 of 80 applicable points)' and the like."""
        d = self.decimals
        if self.total is None:
            return f"- of {self.scale_max:g} (nothing could be counted)"
        text = f"{format_fixed(self.total, d)} of {self.scale_max:g}"
        if self.rescaled:
            earned = "-" if self.counted_points is None else format_fixed(self.counted_points, d)
            text += f" (rescaled from {earned} of {self.counted_max:g} applicable points)"
        elif not _close(self.counted_max, self.scale_max) and self.counted_max < self.scale_max:
            text += f" ({self.counted_max:g} applicable points counted, not rescaled)"
        return text

    def explain(self) -> str:
        """A readable account of how the total came about."""
        d = self.decimals
        policy = self.policy_id or "-"
        if self.policy_threshold is not None:
            policy += f" (threshold {self.policy_threshold:g})"
        decision = ""
        if self.decision:
            decision = f", decision {self.decision_label or self.decision} ({self.decision})"
        lines = [
            f"{self.subject_id}: {self.total_text()}"
            + (f", band {self.band_label}" if self.band_label else "") + decision,
            f"  framework {self.framework_id} v{self.framework_version} "
            f"({self.framework_fingerprint[:12]}), policy {policy} "
            f"on {self.on_date.isoformat()}",
        ]
        lines += [f"  rule {name}: {text}" for name, text in self.rules.items()]
        for area in self.areas:
            shown = "-" if area.points is None else format_fixed(area.points, d)
            lines.append(f"  [{area.code}] {area.name}: {shown} / {area.max_points:g}")
            for ind in (i for i in self.indicators if i.area == area.code):
                lines.append("    " + _indicator_line(ind, d))
        return "\n".join(lines)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=_CLOSE, abs_tol=_CLOSE)


def _indicator_line(ind: IndicatorResult, decimals: int) -> str:
    shown = "-" if ind.points is None else format_fixed(ind.points, decimals)
    parts = [f"{ind.code} {ind.name}: {shown} / {ind.max_points:g} ({ind.status})"]
    if ind.panel_count:
        sd = "-" if ind.sd is None else format_fixed(ind.sd, decimals)
        parts.append(f"{ind.panel_count} ratings, sd {sd}")
    if ind.achievement is not None:
        parts.append(f"achievement {format_fixed(ind.achievement * 100, 1)}%")
    if ind.classification:
        reason = f" — {ind.classification_reason}" if ind.classification_reason else ""
        parts.append(f"{ind.classification}{reason}")
    parts.append(ind.rule)
    return "; ".join(parts)


def _opt(value: Any) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def is_rescaled(framework, total: float | None, counted_max: float) -> bool:
    """Whether a total was rescaled from ``counted_max`` points to the framework's scale."""
    return (total is not None and framework.rebase != "none" and framework.total_rule == "sum"
            and counted_max > 0 and not _close(counted_max, framework.total))


def subject_result(result: BatchResult, row: int) -> SubjectResult:
    """Row ``row`` of a batch result as a :class:`SubjectResult`."""
    framework = result.framework
    band = int(result.band_index[row])
    group = int(result.groups[row])
    code = framework.decision_codes[int(result.decision[row])]
    areas = tuple(
        AreaResult(area.code, area.name, _opt(result.area_points[row, a]), area.points,
                   float(result.area_max[row, a]))
        for a, area in enumerate(framework.areas)
    )
    indicators = tuple(_indicator_result(result, row, c) for c in range(len(framework.indicators)))
    rank = int(result.rank[row])
    total = _opt(result.total[row])
    counted_max = float(result.max_points[row])
    earned = result.indicator_points[row]
    counted_points = None if total is None else float(np.nansum(earned))
    policy = result.policy
    return SubjectResult(
        subject_id=result.subject_ids[row],
        framework_id=framework.id,
        framework_version=framework.version,
        framework_fingerprint=framework.fingerprint,
        policy_id=result.policy_id,
        on_date=result.on_date,
        group=framework.groups[group] if group >= 0 else None,
        total=total,
        total_rounded=_opt(result.total_rounded[row]),
        max_points=counted_max,
        band=framework.bands[band].code if band >= 0 else None,
        band_label=framework.bands[band].label if band >= 0 else None,
        decision=code or None,
        rank=rank or None,
        decimals=framework.decimals,
        decide_on=framework.decide_on,
        areas=areas,
        indicators=indicators,
        rules=framework.describe_rules(),
        decision_label=framework.decision_label(code) or None,
        decision_label_en=framework.decision_label(code, "en") or None,
        policy_threshold=policy.threshold if policy is not None else None,
        scale_max=float(framework.total),
        counted_max=counted_max,
        counted_points=counted_points,
        rescaled=is_rescaled(framework, total, counted_max),
    )


def _indicator_result(result: BatchResult, row: int, column: int) -> IndicatorResult:
    framework = result.framework
    ind = framework.indicators[column]
    level = int(result.classification[row, column])
    return IndicatorResult(
        code=ind.code, name=ind.name, area=ind.area, kind=ind.kind,
        points=_opt(result.indicator_points[row, column]),
        max_points=ind.points,
        sd=_opt(result.indicator_sd[row, column]),
        panel_count=int(result.panel_count[row, column]),
        achievement=_opt(result.achievement[row, column]),
        classification=framework.levels[level].label if level >= 0 else None,
        classification_reason=result.override_reasons.get((row, column)),
        status=STATUS_LABELS[int(result.status[row, column])],
        rule=ind.rule_text(),
    )
