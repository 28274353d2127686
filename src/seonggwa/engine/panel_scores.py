"""Scoring the panel indicators (rating, survey, direct): combined ratings, sd and count.

Two accumulation paths give the same bits:

- **integer ratings** (the compact form: uint8 is enough for any 0..254 scale) when every
  panel scale runs in whole steps of 1 and the panel method works from count / sum /
  extremes (mean, trimmed mean): sums and sums of squares are accumulated exactly in
  the narrowest integer type that cannot overflow (:func:`_integer_stats`), the sd is
  computed in one pass from them, the range check reads the per-column extremes already
  computed and no step check is needed;
- **float ratings** (``values``, or float ``ratings``): NaN-aware sums in float64 slot by
  slot. On whole-step scales the sums and squares of whole numbers are exact in float64
  too, so the same one-pass sd formula gives exactly what the integer path gives.
  Otherwise (continuous or fractional-step scales, median) the sd is two-pass.

:func:`panel_scores` writes the points, the sd (in points) and the rating counts of the
panel columns into the call's :class:`~seonggwa.engine.batch_plan.Outputs`.
"""

from __future__ import annotations

import numpy as np

from .aggregation import (
    PanelStats,
    get_aggregation,
    mean_from_stats,
    panel_sd,
    panel_stats,
    sd_from_moments,
)
from .batch_input import BatchInput
from .batch_plan import Outputs, Plan
from .framework import Framework
from .ratings import Ratings, check_values, panel_input, uses_integer_path

__all__ = ["panel_scores"]


def _integer_stats(panel: Ratings) -> tuple[PanelStats, tuple[int, int] | None]:
    """Count, sum, sum of squares and extremes of integer ratings, exactly.

    Returns the stats and, when every panel is full, the lowest and highest rating of the
    whole batch (for the range check); None when some panel may have empty slots.

    Sums and squares accumulate in the narrowest integer type that cannot overflow for
    the ratings actually given (int16 for 7 ratings of 1-5), so they do not depend on the
    order of the slots: one subject scored alone and the same subject in a batch give the
    same bits. Full panels (no slot holds the marker) need no masks at all.
    """
    slots, marker = panel.slots, panel.no_rating
    p, shape = slots.shape[0], slots.shape[1:]
    highest, lowest = slots.max(axis=0), slots.min(axis=0)
    # Whole-array extremes (contiguous reductions, ~20x cheaper than per column). A
    # marker outside them is in no slot: every panel is full. (A marker inside them may
    # still be absent; the general path then finds the same counts.)
    low, high = (int(lowest.min()), int(highest.max())) if lowest.size else (0, 0)
    full = not low <= marker <= high
    bound = max(abs(low), abs(high), abs(marker))
    wide = _accumulator(p * p * bound * bound)  # room for count * squares and sums ** 2
    sums, squares = np.zeros(shape, dtype=wide), np.zeros(shape, dtype=wide)
    rating = np.empty(shape, dtype=wide)
    for slot in slots:
        # Widen once, then same-type in-place ops: twice as fast as mixed-type ufuncs.
        np.copyto(rating, slot, casting="unsafe")
        sums += rating
        rating *= rating
        squares += rating
    if full:
        count = np.full(shape, p, dtype=np.int16)
        return PanelStats(count, sums, highest, lowest, squares), (low, high)
    count, highest, lowest = _discount_marker(slots, marker, sums, squares)
    return PanelStats(count, sums, _extreme(highest, count), _extreme(lowest, count),
                      squares), None


def _accumulator(largest: int) -> type:
    """The narrowest signed integer type holding ``largest`` (narrow = fewer bytes moved)."""
    for dtype in (np.int16, np.int32):
        if largest < np.iinfo(dtype).max:
            return dtype
    return np.int64


def _discount_marker(slots: np.ndarray, marker: int, sums: np.ndarray, squares: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Panels with empty slots: count the marker out of the sums and the extremes."""
    shape = slots.shape[1:]
    empty = np.zeros(shape, dtype=np.int16)
    info = np.iinfo(slots.dtype)
    highest, lowest = np.full(shape, info.min, slots.dtype), np.full(shape, info.max, slots.dtype)
    given = np.empty(shape, dtype=bool)
    for slot in slots:
        np.not_equal(slot, marker, out=given)
        empty += ~given
        np.maximum(highest, slot, out=highest, where=given)
        np.minimum(lowest, slot, out=lowest, where=given)
    if marker:  # exact integer corrections; a 0 marker added nothing
        sums -= empty.astype(sums.dtype) * marker
        squares -= empty.astype(squares.dtype) * (marker * marker)
    count = (slots.shape[0] - empty).astype(np.int16)
    return count, highest, lowest


def _extreme(values: np.ndarray, count: np.ndarray) -> np.ndarray:
    out = values.astype(np.float64)
    if not count.all():
        out[count == 0] = np.nan
    return out


def panel_scores(framework: Framework, plan: Plan, batch: BatchInput, n: int, check: bool,
                 out: Outputs) -> None:
    """Check and combine the panel columns; write their points, sd and count."""
    block, columns = plan.panel_block, plan.panel_columns
    if not len(columns):
        return
    exact = uses_integer_path(framework, plan, batch)
    whole = plan.integer_steps and get_aggregation(framework.panel_method).from_stats is not None
    panel = panel_input(framework, plan, batch, n, check, exact, whole)
    if panel is None:
        out.points[:, block] = np.nan
        out.sd[:, block] = np.nan
        return
    # One-pass exact sd needs whole-number ratings: integers, or floats on whole steps.
    one_pass = panel.integer or plan.integer_steps
    extent = None  # (lowest, highest) rating of the batch when every panel is full
    if panel.integer:
        stats, extent = _integer_stats(panel)
    else:
        stats = panel_stats(panel.cells, squares=one_pass)
    full = extent is not None
    if check:
        check_values(framework, plan, batch, panel, stats, extent)
    method = get_aggregation(framework.panel_method)
    given = stats.count
    combined = (method.from_stats(stats) if method.from_stats is not None
                else method.func(panel.cells, given))
    combined = np.asarray(combined, dtype=np.float64)  # ours to scale in place
    points = plan.points[columns]
    sd_scale = np.abs(plan.slope[columns]) * points  # rating units -> points
    if one_pass:
        # A full panel has one count: a per-column multiplier, the same bits per cell.
        count = np.int16(panel.slots.shape[0]) if full else given
        _into_block(out.sd, block, lambda target: sd_from_moments(
            count, stats.sums, stats.squares, ddof=framework.sd_ddof, scale=sd_scale,
            out=target))
    else:
        centre = combined if framework.panel_method == "mean" else mean_from_stats(stats)
        spread = panel_sd(panel.cells, given, centre, ddof=framework.sd_ddof)
        _into(np.multiply, spread, sd_scale, out.sd, block)
    short = _insufficient(plan, given, full)
    if short is not None:
        combined[short] = np.nan
    # Affine scales: combine raw values, then convert (conversion commutes with the
    # aggregations because it is increasing and affine) straight into points:
    # points = combined x (slope x points) + offset x points. Each pass over an (n, kp)
    # float array moves 10-20 MB at national scale, so conversion and points are fused
    # and written into the result's block by the last operation.
    np.multiply(combined, plan.slope[columns] * points, out=combined)
    _into(np.add, combined, plan.offset[columns] * points, out.points, block)
    for position, column in plan.table_positions:  # converted member by member
        scale = framework.indicators[column].scale
        assert scale is not None
        converted = scale.to_fraction(panel.column(position))
        fraction = method.func(converted, given[:, position])
        if short is not None:
            fraction[short[:, position]] = np.nan
        out.points[:, column] = fraction * plan.points[column]
        out.sd[:, column] = panel_sd(converted, given[:, position],
                                     ddof=framework.sd_ddof) * plan.points[column]
    out.counts = panel.slots.shape[0] if full else given  # panel_count is built lazily


def _into(ufunc: np.ufunc, values: np.ndarray, operand: np.ndarray, target: np.ndarray,
          block) -> None:
    """target[:, block] = ufunc(values, operand); ``values`` (scratch) is overwritten.

    Computing in place on the contiguous [n, kb] array and copying it into the column
    block once measured faster than a ufunc writing into the strided block.
    """
    ufunc(values, operand, out=values)
    target[:, block] = values


def _into_block(target: np.ndarray, block, compute) -> None:
    """target[:, block] = compute(out): a last operation that only writes (a square root)
    goes straight into the result's column block when it is a slice (a view)."""
    if isinstance(block, slice):
        compute(target[:, block])
    else:
        target[:, block] = compute(None)


def _insufficient(plan: Plan, count: np.ndarray, full: bool) -> np.ndarray | None:
    """Cells with fewer ratings than min_panel, or None when there are none."""
    needed = plan.min_panel[plan.panel_columns]
    if full and (count.shape[-1] == 0 or int(count.flat[0]) >= needed.max(initial=0)):
        return None  # every panel has all p ratings
    if (count.min(axis=0, initial=np.iinfo(np.int16).max) >= needed).all():
        return None
    return count < needed
