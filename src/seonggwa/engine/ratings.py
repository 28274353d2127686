"""The panel ratings as the scorer reads them, and their checks against the scales.

Memory layout: the scorer reads the panel slot-major (p contiguous [n, kp] slabs). A
C-ordered [n, kp, p] array is copied once into that layout (2.5 ms for 8.75 M uint8
ratings, ~25 ms as float64); an array built as
``np.moveaxis(np.empty((p, n, kp)), 0, -1)`` is used without a copy.

:func:`panel_input` turns ``BatchInput.ratings`` (compact) or ``values`` (all k) into
:class:`Ratings`: integers with a "no rating" marker for the exact integer path
(:func:`uses_integer_path`), or floats with NaN; float ratings that are all whole
numbers take the integer path too. :func:`check_values` refuses a rating off its scale
(range, steps, table keys) naming subject, indicator and panel member.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .aggregation import PanelStats, get_aggregation
from .batch_input import BatchInput, first_cell, shape_check
from .batch_plan import Plan
from .errors import ScoringError
from .framework import Framework

__all__ = ["Ratings", "check_values", "panel_input", "uses_integer_path"]


@dataclass(frozen=True)
class Ratings:
    """The panel of the panel columns, slot-major in memory.

    ``slots`` is [p, n, kp] and C-contiguous (p slabs); ``integer`` says which
    accumulation path reads it (integers with a ``no_rating`` marker, or floats with NaN).
    """

    slots: np.ndarray
    integer: bool
    no_rating: int = 0

    @property
    def cells(self) -> np.ndarray:
        """The same ratings as [n, kp, p] (a view), for functions whose last axis is p."""
        return np.moveaxis(self.slots, 0, -1)

    def column(self, position: int) -> np.ndarray:
        """One panel column as float [n, p] with NaN for no rating."""
        block = self.slots[:, :, position].T
        if not self.integer:
            return block
        return np.where(block == self.no_rating, np.nan, block.astype(np.float64))


def panel_input(framework: Framework, plan: Plan, batch: BatchInput, n: int,
                check: bool, exact: bool, whole: bool = False) -> Ratings | None:
    """The panel ratings, slot-major, from ``ratings`` (compact) or ``values`` (all k).

    Slot-major (p contiguous [n, kp] slabs) makes every panel reduction walk contiguous
    memory — about 5x faster than p-long strided rows for p = 7 — and sums in slot order.
    An array already laid out slot-major (``np.moveaxis(buffer_pnk, 0, -1)``) is not
    copied. Integer ratings stay integers only when ``exact`` (the integer path applies);
    otherwise they become float with NaN for ``no_rating``. Float ratings (the
    long-format reader's ``values``, ratings read from a database) take the integer path
    too when ``whole`` (it applies to their scales) and every rating is a whole number
    (:func:`_whole_ratings`); anything else stays float and is checked as before.
    """
    if batch.ratings is not None and batch.values is not None:
        raise ScoringError("give the panel as ratings (panel indicators only) or as values "
                           "(all indicators), not both")
    kp = len(plan.panel_columns)
    if batch.ratings is not None:
        ratings = np.asarray(batch.ratings)
        shape_check("ratings", ratings, (n, kp))
        if ratings.dtype.kind not in "iuf":
            raise ScoringError(f"ratings must be numbers, got dtype {ratings.dtype}")
    elif batch.values is not None:
        values = np.asarray(batch.values)
        if values.dtype.kind != "f":
            values = values.astype(np.float64)
        shape_check("values", values, (n, len(plan.points)))
        if check:
            _check_quantitative_columns_empty(framework, plan, batch, values)
        ratings = values
    else:
        return None
    if ratings.shape[2] == 0 or kp == 0:
        return None
    if ratings.dtype.kind == "f" and whole:
        cells = (ratings[:, plan.panel_block, :]
                 if batch.values is not None and not plan.panel.all() else ratings)
        compact = _whole_ratings(plan, cells)
        if compact is not None:
            return compact
    slots = np.moveaxis(ratings, -1, 0)
    if batch.values is not None and not plan.panel.all():
        slots = slots[:, :, plan.panel_block]  # quantitative columns hold no ratings
    slots = np.ascontiguousarray(slots)  # no copy when already slot-major
    if slots.dtype.kind == "u" and slots.dtype.itemsize == 8:
        slots = slots.astype(np.int64)  # int64 accumulators take every other integer
    if slots.dtype.kind == "f":
        return Ratings(slots, integer=False)
    marker = int(batch.no_rating)
    _check_marker(framework, plan, marker)
    if exact:
        return Ratings(slots, integer=True, no_rating=marker)
    as_float = slots.astype(np.float64)
    as_float[slots == marker] = np.nan
    return Ratings(as_float, integer=False)


# The "no rating" marker of float ratings turned into uint8: off every scale it is used on.
_WHOLE_MARKER = 255


def _whole_ratings(plan: Plan, cells: np.ndarray) -> Ratings | None:
    """Float ratings ``[n, kp, p]`` (read in memory order) as slot-major ``uint8`` for the exact
    integer path, or None when they are not all whole numbers in 0–254 (NaN = no rating)
    or a panel scale reaches the marker — then the float path scores and checks them.

    One cast and one comparison: a rating equals its ``uint8`` cast exactly when it is a
    whole number in 0–255; only the cells that differ (NaN, fractions, out of range) are
    looked at again. Whole numbers are exact in float64, so the integer path gives the
    bits the float path gives (its one-pass sums are exact on whole-step scales too).
    """
    columns = plan.panel_columns
    if (plan.lows[columns] < 0).any() or (plan.highs[columns] >= _WHOLE_MARKER).any():
        return None
    compact = np.empty(cells.shape, dtype=np.uint8)
    with np.errstate(invalid="ignore"):
        np.copyto(compact, cells, casting="unsafe")  # NaN and out-of-range: any byte
    differ = compact != cells
    if differ.any():
        if not np.isnan(cells[differ]).all():
            return None  # a fraction or a number off 0-255: the float path reports it
        compact[differ] = _WHOLE_MARKER
    elif compact.size and int(compact.max()) == _WHOLE_MARKER:
        return None  # a rating of 255 (off scale) must not read as "no rating"
    if compact.size and differ.any() and (compact[~differ] == _WHOLE_MARKER).any():
        return None
    slots = np.ascontiguousarray(np.moveaxis(compact, -1, 0))  # slot-major, 1 byte a cell
    return Ratings(slots, integer=True, no_rating=_WHOLE_MARKER)


def _check_marker(framework: Framework, plan: Plan, marker: int) -> None:
    """The "no rating" marker must not be a rating someone could give."""
    columns = plan.panel_columns
    on_scale = (plan.lows[columns] <= marker) & (marker <= plan.highs[columns])
    if on_scale.any():
        code = framework.indicator_codes[int(columns[int(np.argmax(on_scale))])]
        raise ScoringError(f"no_rating={marker} lies on the scale of {code}; choose a marker "
                           "off every panel scale (e.g. -1 or 255)", indicator=code)


def _check_quantitative_columns_empty(framework: Framework, plan: Plan, batch: BatchInput,
                                      values: np.ndarray) -> None:
    quantitative = plan.quant_columns
    block = plan.quant_block
    if isinstance(block, slice) and np.isnan(values[:, block, :]).all():
        return  # one vectorised pass over the block when it is clean
    for column in quantitative.tolist():
        given = ~np.isnan(values[:, column, :])  # a strided view: no copy of the batch
        if given.any():
            row, member = first_cell(given)
            raise ScoringError("quantitative indicators take actual/target, not panel values",
                               str(batch.subject_ids[row]), framework.indicator_codes[column],
                               member)


def check_values(framework: Framework, plan: Plan, batch: BatchInput, panel: Ratings,
                 stats: PanelStats, extent: tuple[int, int] | None = None) -> None:
    """Ratings of the panel columns must be on their indicator's scale.

    The range is checked on each cell's highest and lowest rating (already computed for
    the aggregation); integer ratings on whole-step scales need no step check, float
    ratings get one pass; table scales check their keys.
    """
    columns = plan.panel_columns
    lows, highs = plan.lows[columns], plan.highs[columns]
    if panel.integer:
        # The batch's extremes inside every scale: done (the common case, no pass). Else
        # per-column extremes, then the cell-level mask only when a column fails.
        outside = None
        if extent is not None and extent[0] >= lows.max() and extent[1] <= highs.min():
            pass
        elif ((_column_extreme(np.fmin, stats.lowest) < lows)
              | (_column_extreme(np.fmax, stats.highest) > highs)).any():
            outside = (stats.lowest < lows) | (stats.highest > highs)
    else:
        outside = (stats.lowest < lows) | (stats.highest > highs)
    if outside is not None and outside.any():
        row, position = first_cell(outside)
        ratings = panel.column(position)[row]
        member = _first_member(ratings, lows[position], highs[position])
        _scale_error(framework, batch, ratings[member], row, position, member, plan)
    if not panel.integer:
        _check_steps(framework, plan, batch, panel.cells, stats)
    for position, column in plan.table_positions:
        scale = framework.indicators[column].scale
        assert scale is not None
        ratings = panel.column(position)
        bad = ~scale.on_scale(ratings)
        if bad.any():
            row, member = first_cell(bad)
            allowed = ", ".join(f"{v:g}" for v in sorted(scale.table))
            raise ScoringError(f"value {ratings[row, member]:g} is not in the "
                               f"conversion table ({allowed})", str(batch.subject_ids[row]),
                               framework.indicator_codes[column], member)


def _column_extreme(how: np.ufunc, extremes: np.ndarray) -> np.ndarray:
    """Lowest/highest per column of [n, kp] extremes; NaN (empty cells) skipped."""
    if extremes.dtype.kind == "f":
        return how.reduce(extremes, axis=0, initial=np.inf if how is np.fmin else -np.inf)
    return how.reduce(extremes, axis=0) if len(extremes) else np.full(extremes.shape[1:], np.nan)


def _first_member(ratings: np.ndarray, low: float, high: float) -> int:
    return int(np.argmax((ratings < low) | (ratings > high)))


def _scale_error(framework: Framework, batch: BatchInput, value: float, row: int,
                 position: int, member: int, plan: Plan) -> None:
    ind = framework.indicators[int(plan.panel_columns[position])]
    assert ind.scale is not None
    on_steps = f" in steps of {ind.scale.step:g}" if ind.scale.step else ""
    raise ScoringError(f"value {value:g} is not on the scale "
                       f"{ind.scale.min:g}-{ind.scale.max:g}{on_steps}",
                       str(batch.subject_ids[row]), ind.code, member)


def _check_steps(framework: Framework, plan: Plan, batch: BatchInput, values: np.ndarray,
                 stats: PanelStats) -> None:
    columns = plan.panel_columns
    steps, lows = plan.steps[columns], plan.lows[columns]
    if not (steps > 0).any():
        return
    if plan.integer_steps:
        # Every panel scale runs in whole steps of 1 from a whole number: a rating is on
        # the scale iff it is a whole number. rint(x) != x holds for NaN too, so the
        # ratings are clean iff that count equals the number of empty slots.
        whole = np.empty(values.shape[:-1], dtype=values.dtype)
        differs = np.empty(values.shape[:-1], dtype=bool)
        off_or_empty = 0
        for slot in range(values.shape[-1]):  # slab by slab: no panel-sized temporaries
            np.rint(values[..., slot], out=whole)
            np.not_equal(whole, values[..., slot], out=differs)
            off_or_empty += int(np.count_nonzero(differs))
        if off_or_empty == values.size - int(stats.count.sum(dtype=np.int64)):
            return
    units = values - lows.astype(values.dtype)[None, :, None]
    units *= (1.0 / np.where(steps > 0, steps, 1.0)).astype(values.dtype)[None, :, None]
    tolerance = 1e-9 if values.dtype == np.float64 else 1e-5
    off = np.abs(units - np.rint(units)) > tolerance
    off &= (steps > 0)[None, :, None]
    if off.any():
        row, position, member = first_cell(off)
        _scale_error(framework, batch, values[row, position, member], row, position, member,
                     plan)


def uses_integer_path(framework: Framework, plan: Plan, batch: BatchInput) -> bool:
    """Integer ratings are summed exactly when nothing needs the ratings as floats."""
    ratings = batch.ratings
    return (ratings is not None and np.asarray(ratings).dtype.kind in "iu"
            and plan.integer_steps
            and get_aggregation(framework.panel_method).from_stats is not None)
