"""Scoring the quantitative indicators: achievement of actual against target, capped.

Actuals and targets come as [n, k] or, with compact ratings, as [n, kq] (quantitative
columns only); per-subject targets fall back to the framework's. The achievement is
computed over the contiguous quantitative block by direction (higher, lower, range,
shortfall), clipped to [0, cap], kept for the lazy achievement and classification
outputs, and turned into points.
"""

from __future__ import annotations

import numpy as np

from .achievement import achievement
from .batch_input import BatchInput, first_cell
from .batch_plan import Outputs, Plan, as_slice
from .errors import ScoringError
from .framework import Framework

__all__ = ["quantitative_scores", "quantities"]


def quantitative_scores(framework: Framework, plan: Plan, batch: BatchInput,
                        out: Outputs, applicable: np.ndarray | None) -> None:
    """Achievement, classification and points of the quantitative columns.

    Actuals and targets come as [n, k] or as compact [n, kq] (quantitative columns only);
    the work is done on a contiguous [n, kq] array and written into the results once.
    """
    block, columns = plan.quant_block, plan.quant_columns
    if not len(columns):
        return
    n = len(batch.subject_ids)
    if batch.actuals is None:
        out.points[:, block] = np.nan
        return
    actuals = quantities(plan, batch, "actuals", n)
    targets = _with_default(quantities(plan, batch, "targets", n), plan.default_targets, n)
    _check_targets(framework, plan, batch, targets, applicable)
    # Ops on a column block of an [n, k] array are several times slower than on a
    # contiguous [n, kq] one: work contiguously, write each result block once.
    raw = np.empty((n, len(columns)))
    _achievement_block(plan, actuals, targets, batch, n, raw)
    caps = plan.caps
    # Clip to [0, cap] per column; NaN (missing) stays NaN.
    np.clip(raw, 0.0, caps if np.unique(caps).size > 1 else float(caps[0]), out=raw)
    # Kept (a private array) for the lazy achievement and classification outputs.
    out.achievement = raw
    out.points[:, block] = np.multiply(raw, plan.points[columns])


def _achievement_block(plan: Plan, actuals: np.ndarray, targets: np.ndarray,
                       batch: BatchInput, n: int, ach: np.ndarray) -> None:
    """Achievement of the quantitative block, written into ``ach`` ([n, kq]).

    actual / target over the whole block in one pass (right for higher-is-better, whose
    zero or negative targets were refused before), then the other directions overwrite
    their columns. Same values as :func:`achievement` column by column, before the cap.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(actuals, targets, out=ach)
        for direction, cap, positions in plan.quantitative_groups:
            if direction == "higher":
                continue
            columns = as_slice(positions)
            actual, target = actuals[:, columns], targets[:, columns]
            if direction == "lower":
                ratio = np.divide(target, actual)
                # Zero incidents/delays is the best result possible, whatever the target.
                ratio[actual == 0] = np.inf
            else:
                highs = _with_default(quantities(plan, batch, "targets_high", n),
                                      plan.default_highs, n)
                ratio = achievement(direction, actual, target, highs[:, columns], cap)
            ach[:, columns] = ratio


def _check_targets(framework: Framework, plan: Plan, batch: BatchInput, targets: np.ndarray,
                   applicable: np.ndarray | None) -> None:
    """Higher-is-better and shortfall achievements divide by the target: it must be > 0."""
    divides = np.zeros(len(plan.quant_columns), dtype=bool)
    for direction, _, positions in plan.quantitative_groups:
        divides[positions] = direction in ("higher", "shortfall")
    if not divides.any():
        return
    if targets.size == 0 or targets.min() > 0:
        return  # the common case: one reduction (a NaN target falls through to the mask)
    bad = targets <= 0  # NaN (no target) is missing data, not an error
    bad &= divides
    if applicable is not None:
        bad &= applicable[:, plan.quant_block]
    if bad.any():
        row, position = first_cell(bad)
        column = int(plan.quant_columns[position])
        direction = framework.indicators[column].direction
        raise ScoringError(f"target must be greater than 0 for direction {direction}, "
                           f"got {targets[row, position]:g}", str(batch.subject_ids[row]),
                           framework.indicator_codes[column])


def quantities(plan: Plan, batch: BatchInput, name: str, n: int) -> np.ndarray | None:
    """The quantitative columns of actuals / targets / targets_high as float [n, kq].

    Accepts the [n, k] form (a view of its quantitative block, no copy when contiguous)
    and, in a compact batch (``ratings`` given), the [n, kq] form: quantitative columns
    only, in ``framework.quantitative_codes`` order, used as is.
    """
    array = getattr(batch, name)
    if array is None:
        return None
    array = np.asarray(array, dtype=np.float64)
    k, kq = len(plan.points), len(plan.quant_columns)
    if array.shape == (n, k):
        return array[:, plan.quant_block]
    if batch.ratings is not None and array.shape == (n, kq):
        return array  # the compact form goes with compact ratings
    compact = f" or {n}x{kq} (quantitative indicators only)" if batch.ratings is not None else ""
    raise ScoringError(f"{name} has shape {array.shape}, expected {n}x{k}{compact}")


def _with_default(given: np.ndarray | None, default: np.ndarray, n: int
                  ) -> np.ndarray:
    """Per-subject targets [n, kq], NaN filled from the framework's ``default`` [kq]."""
    if given is None:
        return np.broadcast_to(default, (n, len(default)))
    if np.isnan(default).all():
        return given  # nothing to fill in: a NaN target stays NaN either way
    return np.where(np.isnan(given), default, given)
