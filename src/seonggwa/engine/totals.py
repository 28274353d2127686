"""Area points and the total from the indicator points: the combination rules.

Areas are column blocks, so per-area sums are one ``reduceat``. :func:`compute_totals`
applies the area rule (sum or mean), the not-applicable rebasing (total, area or none)
and the total rule (sum, mean of areas, mean of indicators), and clips the total to the
framework's score range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .batch_plan import Plan
from .framework import Framework

__all__ = ["Totals", "area_sums", "compute_totals"]


@dataclass
class Totals:
    area_points: np.ndarray
    area_max: np.ndarray
    total: np.ndarray
    max_points: np.ndarray


def area_sums(plan: Plan, earned: np.ndarray) -> np.ndarray:
    # Indicators are stored area by area, so per-area sums are reduceat over column blocks
    # (summed left to right within each row: the same bits for one subject or many).
    return np.add.reduceat(earned, plan.area_starts, axis=1)


def compute_totals(framework: Framework, plan: Plan, earned: np.ndarray,
                   counted: np.ndarray | None, area_sum: np.ndarray | None = None) -> Totals:
    """Area points and the total; ``counted`` None means every indicator counts."""
    starts = plan.area_starts
    n = len(earned)
    if area_sum is None:
        area_sum = area_sums(plan, earned)
    if counted is None:  # the common case: nothing left out
        area_count = np.broadcast_to(plan.area_sizes, area_sum.shape)
        area_max = np.broadcast_to(plan.area_declared, area_sum.shape).copy()
    else:
        area_count = np.add.reduceat(counted, starts, axis=1, dtype=np.int32)
        area_max = np.add.reduceat(np.where(counted, plan.points, 0.0), starts, axis=1)
    present = area_count > 0
    everywhere = bool(present.all())
    if framework.area_rule == "mean":
        area_points = _divide(area_sum, area_count)
    elif framework.rebase == "area":
        area_points = _divide(area_sum * plan.area_declared, area_max)
    else:
        area_points = area_sum if everywhere else np.where(present, area_sum, np.nan)
    if framework.area_rule == "mean":
        # An averaged area is worth its declared points whenever anything in it counts.
        area_max = np.where(present, plan.area_declared, 0.0)
    max_points = _row_sum(area_max)
    if framework.total_rule != "sum":
        max_points = np.where(present.any(axis=1), framework.total, 0.0)
    if framework.total_rule == "mean_of_areas":
        total = _divide(_row_sum(np.where(present, area_points, 0.0)), present.sum(axis=1))
    elif framework.total_rule == "mean_of_indicators":
        kept = (np.full(n, earned.shape[1]) if counted is None else counted.sum(axis=1))
        total = _divide(earned.sum(axis=1), kept)
    else:
        summed = _row_sum(area_points if everywhere else np.where(present, area_points, 0.0))
        if framework.rebase == "total":
            total = _divide(summed * framework.total, max_points)
        elif framework.rebase == "area":
            # Whole areas left out: spread the total over the areas that remain.
            kept = _row_sum(present * plan.area_declared)
            total = _divide(summed * framework.total, kept)
        else:
            total = summed if everywhere else np.where(present.any(axis=1), summed, np.nan)
    low, high = framework.score_range
    # Rebasing can leave 100.00000000000001; scores never legitimately leave the range.
    total = np.clip(total, low, high)
    return Totals(area_points, area_max, total, max_points)


def _row_sum(columns: np.ndarray) -> np.ndarray:
    """Sum of the few columns of an [n, a] array, left to right.

    ``sum(axis=1)`` over a short axis pays numpy's per-row overhead n times; adding the
    a columns as vectors is far cheaper and keeps a fixed order for every row.
    """
    total = columns[:, 0].copy() if columns.shape[1] else np.zeros(len(columns))
    for column in range(1, columns.shape[1]):
        total += columns[:, column]
    return total


def _divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    out = np.full(np.broadcast(numerator, denominator).shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out
