"""The explainability outputs of a batch result, built on first access.

Classification, achievement, panel count, status and rank are arrays no score, band or
decision depends on: :class:`~seonggwa.engine.batch.BatchResult` builds them from the
private snapshot :func:`~seonggwa.engine.batch.score_batch` kept, with these functions,
and each gives the array an eager computation gives (same dtype, shape and values).
Ranks are competition ranks (1, 1, 3) within each group, by counting when the basis is
rounded, else by a sort.
"""

from __future__ import annotations

import numpy as np

from .achievement import classify
from .batch_plan import Plan
from .results import MISSING_EXCLUDED, MISSING_ZERO, NOT_APPLICABLE, SCORED

__all__ = ["achievement_array", "classification_array", "competition_ranks",
           "panel_count_array", "status_array"]


def classification_array(plan: Plan, n: int, achieved: np.ndarray | None,
                         applicable: np.ndarray | None,
                         overrides: tuple[tuple[int, int, int], ...]) -> np.ndarray:
    """Classification int8 [n, k]: levels of the capped achievement, -1 where none (panel
    columns, no data, not applicable), then the manual overrides."""
    classes = np.full((n, len(plan.points)), -1, dtype=np.int8)
    if achieved is not None:
        classes[:, plan.quant_block] = classify(achieved, plan.level_minimums)
    if applicable is not None:
        classes[~applicable] = -1
    for row, column, level in overrides:
        classes[row, column] = level
    return classes


def achievement_array(plan: Plan, n: int, achieved: np.ndarray | None,
                      applicable: np.ndarray | None) -> np.ndarray:
    """Achievement float64 [n, k]: the capped ratio in the quantitative columns, else NaN."""
    out = np.full((n, len(plan.points)), np.nan)
    if achieved is not None:
        out[:, plan.quant_block] = achieved
    if applicable is not None:
        out[~applicable] = np.nan
    return out


def panel_count_array(plan: Plan, n: int, counts: np.ndarray | int | None) -> np.ndarray:
    """Ratings given, int16 [n, k]: 0 outside the panel columns and without a panel."""
    out = np.zeros((n, len(plan.points)), dtype=np.int16)
    if counts is not None:
        out[:, plan.panel_block] = counts
    return out


def status_array(plan: Plan, n: int, applicable: np.ndarray | None, missing: np.ndarray | None,
                 rule: str) -> np.ndarray:
    """Status codes int8 [n, k] (STATUS_LABELS) from the applicability and missing masks."""
    shape = (n, len(plan.points))
    status = (np.zeros(shape, dtype=np.int8) if applicable is None
              else np.where(applicable, SCORED, NOT_APPLICABLE).astype(np.int8))
    if missing is not None:
        status[missing] = MISSING_ZERO if rule == "zero" else MISSING_EXCLUDED
    return status


def _ranks_by_counting(basis: np.ndarray, groups: np.ndarray, decimals: int,
                       score_range: tuple[float, float]) -> np.ndarray | None:
    """Competition ranks of rounded scores by counting, without a sort.

    A score rounded to d decimals is a whole number of 10^-d units, so rank = 1 + the
    number of subjects of the group with more units: one bincount and a cumulative sum
    over the (few thousand) possible scores. None when there are too many possible
    scores for counting to pay.
    """
    scale = 10.0**decimals
    low, high = score_range
    bins = int(round((high - low) * scale)) + 1
    n_groups = int(groups.max(initial=-1)) + 2  # -1 (no group) is a group too
    if bins * n_groups > 4 * len(basis) + 100_000:
        return None
    scored = ~np.isnan(basis)
    units = np.zeros(len(basis), dtype=np.intp)
    np.rint((basis - low) * scale, out=units, where=scored, casting="unsafe")
    if len(units) and (units.min() < 0 or units.max() >= bins):
        return None  # a score outside the range (cannot happen after the clip): sort
    keys = (groups.astype(np.intp) + 1) * bins + units
    counts = np.bincount(keys[scored], minlength=n_groups * bins).reshape(n_groups, bins)
    # above[g, u] = subjects of group g with more than u units
    above = np.cumsum(counts[:, ::-1], axis=1)[:, ::-1] - counts
    ranks = (above.ravel()[keys] + 1).astype(np.int32)
    ranks[~scored] = 0
    return ranks


def competition_ranks(basis: np.ndarray, groups: np.ndarray, decimals: int | None = None,
                      score_range: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
    """Competition ranking (1, 1, 3) by descending basis within each group; 0 = no score.

    ``decimals``: the basis is rounded to that many decimals (counting replaces sorting).
    """
    n = len(basis)
    if n == 0:
        return np.zeros(0, dtype=np.int32)
    keyed = np.where(np.isnan(basis), -np.inf, basis)
    positions = np.arange(n)
    if decimals is not None and (ranks := _ranks_by_counting(basis, groups, decimals,
                                                             score_range)) is not None:
        return ranks
    if (groups == groups[0]).all():  # one group: a plain stable sort, no lexsort
        order = np.argsort(-keyed, kind="stable")
        sorted_values = keyed[order]
        new_value = np.r_[True, sorted_values[1:] != sorted_values[:-1]]
        ranks = np.empty(n, dtype=np.int32)
        ranks[order] = np.maximum.accumulate(np.where(new_value, positions, 0)) + 1
    else:
        order = np.lexsort((-keyed, groups))
        sorted_groups, sorted_values = groups[order], keyed[order]
        new_group = np.r_[True, sorted_groups[1:] != sorted_groups[:-1]]
        new_value = new_group | np.r_[True, sorted_values[1:] != sorted_values[:-1]]
        group_start = np.maximum.accumulate(np.where(new_group, positions, 0))
        value_start = np.maximum.accumulate(np.where(new_value, positions, 0))
        ranks = np.empty(n, dtype=np.int32)
        ranks[order] = value_start - group_start + 1
    ranks[np.isnan(basis)] = 0
    return ranks
