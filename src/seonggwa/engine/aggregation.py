"""Registry of panel aggregation methods (how several evaluators' ratings combine).

Methods are registered by name, as data: a framework document says
``panel: {method: trimmed_mean, min_panel: 3}`` and the engine looks the name up here.
Extensions register more with :func:`register_aggregation` (like HotCRP's formula
functions).

A method works on a float array whose **last axis is the panel** (evaluators), with NaN
meaning "this evaluator gave no rating". It receives that array and the count of
non-NaN entries along the panel axis and returns the combined value per cell; cells
with fewer than ``min_count`` ratings must come back NaN. Everything is vectorised:
no Python loop over subjects or ratings.

The standard deviation reported beside every combined score is computed separately by
:func:`panel_sd` (population or sample), always over *all* the ratings given, so the
disagreement signal is visible even when a trimmed mean hides the outliers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Aggregation",
    "PanelStats",
    "panel_stats",
    "register_aggregation",
    "get_aggregation",
    "aggregation_names",
    "panel_count",
    "panel_sd",
    "sd_from_moments",
]

AggregateFunc = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Aggregation:
    name: str
    func: AggregateFunc
    min_count: int
    description: str
    # Optional fast path from precomputed PanelStats (count, sums, extremes); the batch
    # scorer computes those in one pass and uses this when present.
    from_stats: Callable[[PanelStats], np.ndarray] | None = None


@dataclass(frozen=True)
class PanelStats:
    """Per-cell statistics of a panel, computed in one pass by :func:`panel_stats`."""

    count: np.ndarray  # int16: ratings given
    sums: np.ndarray  # float64: their sum (exact integers from integer ratings)
    highest: np.ndarray  # float64: highest rating (NaN when none)
    lowest: np.ndarray  # float64: lowest rating (NaN when none)
    squares: np.ndarray | None = None  # sum of squares (when asked for)
    # Integer ratings on full panels (no empty cell) keep sums, squares and extremes as
    # exact integer arrays: float64 arithmetic on them (sums - highest - lowest, / count)
    # gives the same bits as on the float ratings.


_REGISTRY: dict[str, Aggregation] = {}


def register_aggregation(
    name: str, func: AggregateFunc, *, min_count: int = 1, description: str = "",
    from_stats: Callable[[PanelStats], np.ndarray] | None = None,
) -> Aggregation:
    """Register (or replace) an aggregation method under ``name``.

    ``func(values, count)`` gets the ratings (last axis = panel, NaN = none) and the
    count of ratings per cell; it must return NaN where ``count < min_count``.
    """
    if not name.isidentifier():
        raise ValueError(f"aggregation name must be an identifier, got {name!r}")
    entry = Aggregation(name, func, int(min_count), description, from_stats)
    _REGISTRY[name] = entry
    return entry


def get_aggregation(name: str) -> Aggregation:
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise KeyError(f"unknown aggregation method {name!r} (known: {known})") from None


def aggregation_names() -> tuple[str, ...]:
    return tuple(sorted(_REGISTRY))


def panel_count(values: np.ndarray) -> np.ndarray:
    """Number of ratings given (non-NaN) along the last axis."""
    return np.count_nonzero(~np.isnan(values), axis=-1).astype(np.int16)


def panel_stats(values: np.ndarray, *, squares: bool = False) -> PanelStats:
    """Count, sum, highest and lowest of the ratings given, in one pass over the panel.

    The loop runs over the panel width p (e.g. 7), never over subjects or ratings; each
    step is vectorised over all cells and, with the slot-major layout the batch scorer
    uses, reads one contiguous slab. Adding slot by slot also fixes the summation order:
    numpy's own reductions choose their order from the memory layout, so the same three
    ratings padded to a panel of 3 or of 7 could sum to different last bits and a
    single-subject call would differ from the batch call. Sums accumulate in float64:
    7 float32 ratings summed in float32 could flip a half-up rounding at 2 decimals.

    ``squares=True`` also sums the squares in the same pass, for :func:`sd_from_moments`
    (exact for whole-number ratings: their sums and squares are exact in float64).
    """
    shape = values.shape[:-1]
    count = np.zeros(shape, dtype=np.int16)
    sums = np.zeros(shape, dtype=np.float64)
    total_squares = np.zeros(shape, dtype=np.float64) if squares else None
    square = np.empty(shape, dtype=np.float64) if squares else None
    highest = np.full(shape, -np.inf)
    lowest = np.full(shape, np.inf)
    present = np.empty(shape, dtype=bool)
    for slot in range(values.shape[-1]):
        column = values[..., slot]
        np.isnan(column, out=present)
        np.logical_not(present, out=present)
        count += present
        np.add(sums, column, out=sums, where=present)
        if total_squares is not None:
            np.multiply(column, column, out=square, dtype=np.float64)
            np.add(total_squares, square, out=total_squares, where=present)
        np.fmax(highest, column, out=highest)  # fmax/fmin skip NaN
        np.fmin(lowest, column, out=lowest)
    empty = count == 0
    highest[empty] = np.nan
    lowest[empty] = np.nan
    return PanelStats(count, sums, highest, lowest, total_squares)


def sd_from_moments(count: np.ndarray, sums: np.ndarray, squares: np.ndarray,
                    *, ddof: int = 0, scale: np.ndarray | float = 1.0,
                    out: np.ndarray | None = None) -> np.ndarray:
    """Standard deviation from count, sum and sum of squares, times ``scale``.

    ``scale · sqrt((c·Σx² − (Σx)²) / (c·(c − ddof)))``, computed as
    ``sqrt((c·Σx² − (Σx)²) · (scale² / (c·(c − ddof))))``: two passes over the cells,
    the last one writing into ``out`` (e.g. a column block of a result) when given.
    For whole-number ratings every term of the numerator is an exact integer (far below
    2**53), so it is exact — no cancellation, exactly 0 for a unanimous panel — and the
    result does not depend on the order the ratings came in, nor on whether they were
    integers or floats: the compact integer input and the float input give the same
    bits. Not for arbitrary real ratings (cancellation): :func:`panel_sd` is two-pass
    for those. NaN where ``count <= ddof``.
    """
    count = np.asarray(count)
    # Integer moments stay integers (the caller picks a width that cannot overflow);
    # float moments are float64. Either way the numerator is the same exact number.
    numerator = count * squares
    numerator -= sums * sums
    if numerator.dtype.kind == "f":
        np.maximum(numerator, 0.0, out=numerator)
    # scale² / (c·(c − ddof)) in float64, per cell or per column: one multiplier, so a
    # full panel (one scalar count) and a cell with the same count get the same bits.
    divisor = count.astype(np.float64)
    divisor *= count - ddof
    factor = np.full(np.broadcast(divisor, scale).shape, np.nan)
    np.divide(np.square(scale, dtype=np.float64), divisor, out=factor, where=count > ddof)
    variance = np.multiply(numerator, factor, dtype=np.float64)
    return np.sqrt(variance, out=variance if out is None else out)


def _safe_divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    out = np.full(np.shape(numerator), np.nan)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def mean(values: np.ndarray, count: np.ndarray) -> np.ndarray:
    return mean_from_stats(panel_stats(values))


def mean_from_stats(stats: PanelStats) -> np.ndarray:
    return _safe_divide(stats.sums, stats.count)


def trimmed_mean(values: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Drop one highest and one lowest rating, average the rest (needs ≥ 3 ratings)."""
    return trimmed_mean_from_stats(panel_stats(values))


def trimmed_mean_from_stats(stats: PanelStats) -> np.ndarray:
    """Sum minus highest minus lowest over count - 2: no sort needed."""
    kept = stats.sums - stats.highest - stats.lowest
    fewest, most = (int(np.min(stats.count)), int(np.max(stats.count))) if np.size(
        stats.count) else (0, 0)
    if fewest == most >= 3:  # one count everywhere (full panels): divide by a scalar
        out = np.divide(kept, np.int16(fewest - 2), dtype=np.float64)
    elif fewest >= 3:  # no cell to leave NaN: no mask
        out = np.divide(kept, stats.count - 2, dtype=np.float64)
    else:
        out = np.full(np.shape(stats.sums), np.nan)
        np.divide(kept, stats.count - 2, out=out, where=stats.count >= 3)
    if stats.sums.dtype.kind != "f":
        # Exact integer sums: the correctly rounded quotient cannot leave [min, max].
        return out
    # Float sum-minus-extremes can cancel to a hair outside [min, max]; keep it inside.
    return np.clip(out, stats.lowest, stats.highest, out=out)


def median(values: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Median of the ratings given; the mean of the two middle ones for an even count.

    ``np.sort`` puts NaN last, so the ratings given occupy the first ``count`` slots.
    Same answer on every platform and database, unlike a fallback to the mean.
    """
    ordered = np.sort(values, axis=-1)
    low_index = np.maximum((count - 1) // 2, 0)[..., None]
    high_index = np.maximum(count // 2, 0)[..., None]
    low = np.take_along_axis(ordered, low_index, axis=-1)[..., 0].astype(np.float64)
    high = np.take_along_axis(ordered, high_index, axis=-1)[..., 0].astype(np.float64)
    return np.where(count > 0, (low + high) / 2.0, np.nan)


def panel_sd(values: np.ndarray, count: np.ndarray, centre: np.ndarray | None = None,
             *, ddof: int = 0) -> np.ndarray:
    """Standard deviation of the ratings given (population ``ddof=0`` or sample 1).

    NaN where fewer than ``ddof + 1`` ratings exist. ``centre`` may pass the mean of the
    ratings to save a pass. Two-pass (deviations from the mean), slot by slot, with no
    temporary the size of the panel.
    """
    if centre is None:
        centre = mean(values, count)
    squares = np.zeros(np.shape(centre), dtype=np.float64)
    deviation = np.empty(np.shape(centre), dtype=np.float64)
    for slot in range(values.shape[-1]):
        np.subtract(values[..., slot], centre, out=deviation)
        np.multiply(deviation, deviation, out=deviation)
        np.fmax(deviation, 0.0, out=deviation)  # NaN (no rating) -> 0; squares are >= 0
        squares += deviation
    out = np.full(np.shape(squares), np.nan)
    np.divide(squares, count - ddof, out=out, where=count > ddof)
    return np.sqrt(out, out=out)


register_aggregation("mean", mean, min_count=1, description="arithmetic mean of the ratings",
                     from_stats=mean_from_stats)
register_aggregation("median", median, min_count=1,
                     description="median; mean of the two middle ratings when even")
register_aggregation("trimmed_mean", trimmed_mean, min_count=3,
                     description="drop one highest and one lowest rating, mean of the rest",
                     from_stats=trimmed_mean_from_stats)
