"""What a batch is scored with: the per-framework plan and the per-call result arrays.

:class:`Plan` holds the framework as arrays over the k indicator columns (points, scale
bounds and conversions, the panel and quantitative blocks, directions and caps, area
blocks, group applicability, level minimums, panel minimums); it is computed once per
framework and cached (:func:`plan_for`). :class:`Outputs` holds the ``(n, k)`` result
arrays of one call, each allocated once and written block by block by the scoring steps.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from .framework import Framework

__all__ = ["Outputs", "Plan", "as_slice", "plan_for"]


@dataclass(frozen=True)
class Plan:
    """Per-framework arrays, computed once and cached."""

    points: np.ndarray  # [k]
    panel: np.ndarray  # bool [k]: rating/survey/direct
    quantitative: np.ndarray  # bool [k]
    slope: np.ndarray  # [k] affine conversion (NaN for table / quantitative)
    offset: np.ndarray  # [k]
    lows: np.ndarray  # [k] scale bounds (NaN for quantitative)
    highs: np.ndarray
    steps: np.ndarray  # [k] 0 = continuous
    table_columns: tuple[int, ...]
    panel_columns: np.ndarray  # [kp] indices of rating/survey/direct columns
    panel_block: slice | np.ndarray  # the same as a slice when contiguous (a view, no gather)
    quant_columns: np.ndarray  # [kq] indices of quantitative columns
    quant_block: slice | np.ndarray
    integer_steps: bool  # every panel scale: step 1 from a whole-number minimum
    # (direction, cap, positions within the quantitative block) per (direction, cap)
    quantitative_groups: tuple[tuple[str, float | None, np.ndarray], ...]
    table_positions: tuple[tuple[int, int], ...]  # (position among panel columns, column)
    default_targets: np.ndarray  # [kq] of the quantitative columns
    default_highs: np.ndarray  # [kq]
    caps: np.ndarray  # [kq] achievement cap per quantitative column (inf = none)
    met_columns: tuple[int, ...]  # quantitative columns with score_rule: met
    area_starts: np.ndarray  # [a] first column of each area (areas are column blocks)
    area_sizes: np.ndarray  # [a] indicators per area
    area_declared: np.ndarray  # [a]
    group_applicable: np.ndarray  # bool [g + 1, k]; last row = subject without group
    level_minimums: np.ndarray  # [levels]
    min_panel: np.ndarray  # [k] ratings needed per indicator (0 for quantitative)


_PLANS: weakref.WeakKeyDictionary[Framework, Plan] = weakref.WeakKeyDictionary()


def plan_for(framework: Framework) -> Plan:
    plan = _PLANS.get(framework)
    if plan is None:
        plan = _build_plan(framework)
        _PLANS[framework] = plan
    return plan


def _quantitative_groups(indicators, quant_columns: np.ndarray
                         ) -> tuple[tuple[str, float | None, np.ndarray], ...]:
    position = {int(c): i for i, c in enumerate(quant_columns)}
    groups: dict[tuple[str, float | None], list[int]] = {}
    for c, ind in enumerate(indicators):
        if ind.kind == "quantitative":
            groups.setdefault((ind.direction, ind.cap), []).append(position[c])
    return tuple((direction, cap, np.array(cols, dtype=np.intp))
                 for (direction, cap), cols in groups.items())


def _build_plan(framework: Framework) -> Plan:
    indicators = framework.indicators
    k = len(indicators)
    slope, offset = np.full(k, np.nan), np.full(k, np.nan)
    lows, highs, steps = np.full(k, np.nan), np.full(k, np.nan), np.zeros(k)
    table_columns = []
    for c, ind in enumerate(indicators):
        if ind.scale is None:
            continue
        lows[c], highs[c], steps[c] = ind.scale.min, ind.scale.max, ind.scale.step or 0.0
        if ind.scale.affine is None:
            table_columns.append(c)
        else:
            slope[c], offset[c] = ind.scale.affine
    sizes = [len(area.indicators) for area in framework.areas]
    area_starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.intp)
    group_applicable = np.ones((len(framework.groups) + 1, k), dtype=bool)
    for c, ind in enumerate(indicators):
        if ind.applies_to:
            for g, name in enumerate(framework.groups):
                group_applicable[g, c] = name in ind.applies_to
    panel_columns = np.array([c for c, ind in enumerate(indicators) if ind.uses_panel],
                             dtype=np.intp)
    quant_columns = np.array([c for c, ind in enumerate(indicators)
                              if ind.kind == "quantitative"], dtype=np.intp)
    quant = [indicators[c] for c in quant_columns]
    return Plan(
        points=np.array([ind.points for ind in indicators], dtype=np.float64),
        panel=np.array([ind.uses_panel for ind in indicators], dtype=bool),
        quantitative=np.array([ind.kind == "quantitative" for ind in indicators], dtype=bool),
        slope=slope, offset=offset, lows=lows, highs=highs, steps=steps,
        table_columns=tuple(table_columns),
        panel_columns=panel_columns,
        panel_block=as_slice(panel_columns),
        quant_columns=quant_columns,
        quant_block=as_slice(quant_columns),
        quantitative_groups=_quantitative_groups(indicators, quant_columns),
        integer_steps=bool(len(panel_columns)) and all(
            steps[c] == 1 and float(lows[c]).is_integer() for c in panel_columns),
        table_positions=tuple((int(np.flatnonzero(panel_columns == c)[0]), c)
                              for c in table_columns),
        default_targets=np.array([np.nan if ind.target is None else ind.target
                                  for ind in quant]),
        default_highs=np.array([np.nan if ind.target_high is None else ind.target_high
                                for ind in quant]),
        caps=np.array([np.inf if ind.cap is None else ind.cap for ind in quant]),
        met_columns=tuple(int(c) for c in quant_columns
                          if indicators[c].score_rule == "met"),
        area_starts=area_starts,
        area_sizes=np.array(sizes, dtype=np.int32),
        area_declared=np.array([area.points for area in framework.areas]),
        group_applicable=group_applicable,
        level_minimums=np.array([level.min for level in framework.levels]),
        min_panel=np.array([0 if not ind.uses_panel else (ind.min_panel or framework.min_panel)
                            for ind in indicators], dtype=np.int16),
    )


def as_slice(columns: np.ndarray) -> slice | np.ndarray:
    """A slice (a view, no gather) when the columns are one contiguous block."""
    if len(columns) and np.array_equal(columns, np.arange(columns[0], columns[-1] + 1)):
        return slice(int(columns[0]), int(columns[-1]) + 1)
    return columns


@dataclass
class Outputs:
    """The (n, k) result arrays, each allocated once and filled block by block, and the
    blocks the lazy outputs are later built from."""

    points: np.ndarray  # float64: points earned (NaN = none yet)
    sd: np.ndarray  # float64: panel sd in points (NaN outside the panel columns)
    counts: np.ndarray | int | None = None  # ratings per panel cell [n, kp] (p: all full)
    achievement: np.ndarray | None = None  # capped achievement [n, kq] (None: no actuals)

    @classmethod
    def allocate(cls, plan: Plan, n: int) -> Outputs:
        # NaN where an indicator kind has no sd; the scoring steps write the other blocks,
        # so every element is written once.
        k = len(plan.points)
        out = cls(np.empty((n, k)), np.empty((n, k)))
        out.sd[:, plan.quant_block] = np.nan
        return out
