"""One subject's result, with its breakdown, and the single-subject scoring call.

:func:`score_subject` is a convenience over :func:`score_batch`: it builds a one-row
:class:`BatchInput` and takes row 0 of the result, so single and batch scoring are the
same code path.

:class:`SubjectResult` names the framework id, version and fingerprint and the policy
that produced it, and carries a per-area and per-indicator breakdown;
:meth:`SubjectResult.to_dict` is JSON-ready (NaN -> None) and
:meth:`SubjectResult.explain` renders it as text.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from .batch import STATUS_LABELS, BatchInput, BatchResult, ClassOverride, score_batch
from .errors import ScoringError
from .framework import Framework
from .rounding import format_fixed, round_half_up

__all__ = ["AreaResult", "IndicatorResult", "SubjectResult", "score_subject", "subject_result"]


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
    total: float | None
    total_rounded: float | None
    max_points: float
    band: str | None
    band_label: str | None
    decision: str | None
    rank: int | None
    decimals: int
    decide_on: str
    areas: tuple[AreaResult, ...]
    indicators: tuple[IndicatorResult, ...]
    rules: Mapping[str, str]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["on_date"] = self.on_date.isoformat()
        data["rules"] = dict(self.rules)
        return data

    def explain(self) -> str:
        """A readable account of how the total came about."""
        d = self.decimals
        lines = [
            f"{self.subject_id}: {format_fixed(self.total, d) if self.total is not None else '-'}"
            f" / {self.max_points:g} points counted"
            + (f", band {self.band_label}" if self.band_label else "")
            + (f", decision {self.decision}" if self.decision else ""),
            f"  framework {self.framework_id} v{self.framework_version} "
            f"({self.framework_fingerprint[:12]}), policy {self.policy_id or '-'} "
            f"on {self.on_date.isoformat()}",
        ]
        lines += [f"  rule {name}: {text}" for name, text in self.rules.items()]
        for area in self.areas:
            shown = "-" if area.points is None else format_fixed(area.points, d)
            lines.append(f"  [{area.code}] {area.name}: {shown} / {area.max_points:g}")
            for ind in (i for i in self.indicators if i.area == area.code):
                lines.append("    " + _indicator_line(ind, d))
        return "\n".join(lines)


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


def subject_result(result: BatchResult, row: int) -> SubjectResult:
    """Row ``row`` of a batch result as a :class:`SubjectResult`."""
    framework = result.framework
    band = int(result.band_index[row])
    group = int(result.groups[row])
    decision = framework.decision_labels[int(result.decision[row])]
    areas = tuple(
        AreaResult(area.code, area.name, _opt(result.area_points[row, a]), area.points,
                   float(result.area_max[row, a]))
        for a, area in enumerate(framework.areas)
    )
    indicators = tuple(_indicator_result(result, row, c) for c in range(len(framework.indicators)))
    rank = int(result.rank[row])
    return SubjectResult(
        subject_id=result.subject_ids[row],
        framework_id=framework.id,
        framework_version=framework.version,
        framework_fingerprint=framework.fingerprint,
        policy_id=result.policy_id,
        on_date=result.on_date,
        group=framework.groups[group] if group >= 0 else None,
        total=_opt(result.total[row]),
        total_rounded=_opt(result.total_rounded[row]),
        max_points=float(result.max_points[row]),
        band=framework.bands[band].code if band >= 0 else None,
        band_label=framework.bands[band].label if band >= 0 else None,
        decision=decision or None,
        rank=rank or None,
        decimals=framework.decimals,
        decide_on=framework.decide_on,
        areas=areas,
        indicators=indicators,
        rules=framework.describe_rules(),
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


# --------------------------------------------------------------------------- single subject


def score_subject(
    framework: Framework,
    subject_id: str,
    *,
    ratings: Mapping[str, Sequence[float | str | None]] | None = None,
    actuals: Mapping[str, float | None] | None = None,
    targets: Mapping[str, float | None] | None = None,
    not_applicable: Iterable[str] = (),
    group: str | None = None,
    overrides: Mapping[str, tuple[str, str]] | None = None,
    on_date: dt.date | None = None,
) -> SubjectResult:
    """Score one subject; keyword data is keyed by indicator code.

    ``ratings`` maps a code to the panel's values (numbers or scale labels);
    ``overrides`` maps a code to ``(level, reason)``.
    """
    batch = subject_batch(framework, subject_id, ratings=ratings, actuals=actuals,
                          targets=targets, not_applicable=not_applicable, group=group,
                          overrides=overrides)
    return score_batch(framework, batch, on_date).subject(0)


def subject_batch(
    framework: Framework,
    subject_id: str,
    *,
    ratings: Mapping[str, Sequence[float | str | None]] | None = None,
    actuals: Mapping[str, float | None] | None = None,
    targets: Mapping[str, float | None] | None = None,
    not_applicable: Iterable[str] = (),
    group: str | None = None,
    overrides: Mapping[str, tuple[str, str]] | None = None,
) -> BatchInput:
    """The one-row :class:`BatchInput` for :func:`score_subject`."""
    ratings, actuals, targets = ratings or {}, actuals or {}, targets or {}
    k = len(framework.indicators)
    p = max((len(v) for v in ratings.values()), default=0) or 1
    values = np.full((1, k, p), np.nan)
    for code, panel in ratings.items():
        column = _column(framework, code, subject_id)
        for slot, value in enumerate(panel):
            values[0, column, slot] = _rating_value(framework, column, value, subject_id)
    actual_array, target_array = np.full((1, k), np.nan), np.full((1, k), np.nan)
    for source, array in ((actuals, actual_array), (targets, target_array)):
        for code, value in source.items():
            array[0, _column(framework, code, subject_id)] = np.nan if value is None else value
    na = np.zeros((1, k), dtype=bool)
    for code in not_applicable:
        na[0, _column(framework, code, subject_id)] = True
    return BatchInput(
        subject_ids=(subject_id,), values=values, actuals=actual_array, targets=target_array,
        not_applicable=na, groups=_group_index(framework, group, subject_id),
        overrides=tuple(ClassOverride(0, code, level, reason)
                        for code, (level, reason) in (overrides or {}).items()),
    )


def _column(framework: Framework, code: str, subject_id: str) -> int:
    try:
        return framework.indicator_index[code]
    except KeyError:
        raise ScoringError(f"unknown indicator code (framework {framework.id} has: "
                           f"{', '.join(framework.indicator_codes)})", subject_id, code) from None


def _rating_value(framework: Framework, column: int, value: float | str | None,
                  subject_id: str) -> float:
    if value is None:
        return np.nan
    if isinstance(value, str):
        scale = framework.indicators[column].scale
        labelled = scale.value_of(value) if scale else None
        if labelled is None:
            try:
                return float(value)
            except ValueError:
                raise ScoringError(f"{value!r} is neither a number nor a label of the scale",
                                   subject_id, framework.indicator_codes[column]) from None
        return labelled
    return float(value)


def _group_index(framework: Framework, group: str | None, subject_id: str) -> np.ndarray | None:
    if group is None:
        return None
    if group not in framework.groups:
        raise ScoringError(f"unknown group {group!r} (groups: {', '.join(framework.groups)})",
                           subject_id)
    return np.array([framework.groups.index(group)])


def display(value: float | None, decimals: int) -> str:
    """Half-up display text of a score ('' for None)."""
    return "" if value is None else f"{round_half_up(value, decimals):.{decimals}f}"
