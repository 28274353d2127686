"""Batch scoring: many subjects at once over numpy arrays, fully vectorised.

Array layout (``n`` subjects, ``k`` indicators in :attr:`Framework.indicators` order,
``kp`` panel indicators in :attr:`Framework.panel_codes` order, ``p`` panel slots)::

    BatchInput
      subject_ids     sequence[str]        n        identifiers, kept as given
      ratings         any real [n, kp, p]   compact ratings of the panel indicators only
                                            (rating / survey / direct), in their own
                                            scale. Integers: ``no_rating`` (default 0)
                                            = no rating; floats: NaN = no rating.
      values          float32|64 [n, k, p] the same over all k indicators, NaN = no
                                            rating; quantitative columns must be NaN.
                                            Give ``ratings`` or ``values``, not both.
      actuals         float [n, k]          quantitative actuals; NaN = none
      targets         float [n, k]          per-subject targets; NaN = framework target
      targets_high    float [n, k]          upper end for direction: range (optional)
      not_applicable  bool  [n, k]          True = indicator left out for this subject
      groups          int   [n]             index into framework.groups, -1 = none
      overrides       ClassOverride, ...    manual 달성/일부달성/미달성 with a reason

Any array may be None (no ratings, no actuals, ...). Panel slots carry no identity: a
subject's evaluators fill slots 0..p-1 in any order (aggregations are permutation
invariant) and unused slots hold the "no rating" marker.

Memory layout: the scorer reads the panel slot-major (p contiguous [n, kp] slabs). A
C-ordered [n, kp, p] array is copied once into that layout (2.5 ms for 8.75 M uint8
ratings, ~25 ms as float64); an array built as
``np.moveaxis(np.empty((p, n, kp)), 0, -1)`` is used without a copy.

Two accumulation paths give the same bits:

- **integer ratings** (the compact form: uint8 is enough for any 0..254 scale) when every
  panel scale runs in whole steps of 1 and the panel method works from count / sum /
  extremes (mean, trimmed mean): sums and sums of squares are accumulated exactly in
  int32/int64, the sd is computed in one pass from them, the range check reads the
  per-column extremes already computed and no step check is needed;
- **float ratings** (``values``, or float ``ratings``): NaN-aware sums in float64 slot by
  slot. On whole-step scales the sums and squares of whole numbers are exact in float64
  too, so the same one-pass sd formula gives exactly what the integer path gives.
  Otherwise (continuous or fractional-step scales, median) the sd is two-pass.

:func:`score_batch` returns a :class:`BatchResult` of arrays (see its docstring). The
single-subject path (:func:`seonggwa.engine.subject.score_subject`) builds a one-row
``BatchInput`` and calls the same function, so the two cannot disagree.

There is no Python loop over subjects or ratings; loops run over panel slots and the few
indicator *columns* that need special handling (table conversions, direction groups).
Every (n, k) result array is written once; the common case (everything applicable, full
panels, nothing missing) skips the masks, with the same results as the general path.
"""

from __future__ import annotations

import datetime as dt
import itertools
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .achievement import achievement, classify
from .aggregation import PanelStats, get_aggregation, panel_sd, panel_stats, sd_from_moments
from .errors import ScoringError
from .framework import Framework
from .results import (
    MISSING_EXCLUDED,
    MISSING_ZERO,
    NOT_APPLICABLE,
    SCORED,
    STATUS_LABELS,
    SubjectResult,
    subject_result,
)
from .rounding import round_half_up_array

__all__ = [
    "STATUS_LABELS",
    "BatchInput",
    "BatchResult",
    "ClassOverride",
    "band_indices",
    "decide_totals",
    "score_batch",
]


@dataclass(frozen=True)
class ClassOverride:
    """A manual classification (달성/일부달성/미달성) of one quantitative indicator.

    ``subject`` is the row index, ``indicator`` a code or column index, ``level`` a level
    code or label of the framework's classification. ``reason`` must be non-empty: the
    judgement rules (early achievement, justified change of project, ...) are reasons.
    """

    subject: int
    indicator: int | str
    level: str
    reason: str


@dataclass(frozen=True)
class BatchInput:
    """The arrays of one batch (see the module docstring for shapes and meanings).

    ``ratings`` is the compact form of ``values``: only the panel indicators
    (``framework.panel_codes``), any real dtype; with integers, ``no_rating`` marks an
    empty slot (0 suits scales starting at 1; it must lie off every panel scale).
    """

    subject_ids: Sequence[str]
    values: np.ndarray | None = None
    actuals: np.ndarray | None = None
    targets: np.ndarray | None = None
    targets_high: np.ndarray | None = None
    not_applicable: np.ndarray | None = None
    groups: np.ndarray | None = None
    overrides: tuple[ClassOverride, ...] = ()
    ratings: np.ndarray | None = None
    no_rating: int = 0


@dataclass(frozen=True, eq=False)
class BatchResult:
    """Scores of a batch; every array's first axis is the subject.

    indicator_points float64 [n, k]  points earned; NaN = left out (N/A or missing-excluded)
    indicator_sd     float64 [n, k]  panel standard deviation in points (NaN: no panel)
    panel_count      int16   [n, k]  ratings given per indicator                    (lazy)
    achievement      float64 [n, k]  capped achievement ratio (quantitative), else NaN (lazy)
    classification   int8    [n, k]  index into framework.levels, -1 = none         (lazy)
    class_overridden bool    [n, k]  a manual override set the classification       (lazy)
    status           int8    [n, k]  index into STATUS_LABELS                       (lazy)
    area_points      float64 [n, a]  per area (rebased if the rule says so); NaN = empty
    area_max         float64 [n, a]  points of the indicators counted in the area
    total            float64 [n]     raw total (NaN when nothing could be counted)
    total_rounded    float64 [n]     half-up at framework.decimals
    max_points       float64 [n]     points of everything counted, before rebasing
    band_index       int8    [n]     index into framework.bands, -1 = none
    decision         int8    [n]     index into framework.decision_codes, 0 = none
    rank             int32   [n]     1 = best within the subject's group; 0 = unranked (lazy)
    subject_ids      tuple[str, ...] the identifiers                                (lazy)

    The outputs marked *lazy* are explainability extras no score depends on: they are
    computed on first access, from a private snapshot :func:`score_batch` took (never
    from the caller's arrays, which may change afterwards), and cached, so every access
    returns the same object with the same values an eager computation gives. Every
    input check still runs inside :func:`score_batch`.
    """

    framework: Framework
    groups: np.ndarray
    indicator_points: np.ndarray
    indicator_sd: np.ndarray
    area_points: np.ndarray
    area_max: np.ndarray
    total: np.ndarray
    total_rounded: np.ndarray
    max_points: np.ndarray
    band_index: np.ndarray
    decision: np.ndarray
    policy_id: str | None
    on_date: dt.date
    override_reasons: dict[tuple[int, int], str] = field(default_factory=dict)
    _deferred: _Deferred | None = field(default=None, repr=False)

    # functools.cached_property stores into the instance __dict__ directly, so it works on
    # a frozen dataclass; the first access computes, later ones return the same object.

    @cached_property
    def subject_ids(self) -> tuple[str, ...]:
        return _subject_ids(self._state().subject_ids)

    @cached_property
    def panel_count(self) -> np.ndarray:
        state = self._state()
        return _panel_count(state.plan, state.n, state.counts)

    @cached_property
    def achievement(self) -> np.ndarray:
        state = self._state()
        return _achievement_array(state.plan, state.n, state.achievement, state.applicable)

    @cached_property
    def classification(self) -> np.ndarray:
        state = self._state()
        if state.classes is not None:  # computed for score_rule 'met' already
            return state.classes
        return _classes(state.plan, state.n, state.achievement, state.applicable,
                        state.overrides)

    @cached_property
    def class_overridden(self) -> np.ndarray:
        state = self._state()
        overridden = np.zeros((state.n, len(state.plan.points)), dtype=bool)
        for row, column, _ in state.overrides:
            overridden[row, column] = True
        return overridden

    @cached_property
    def status(self) -> np.ndarray:
        state = self._state()
        return _status(state.plan, state.n, state.applicable, state.missing,
                       state.missing_rule)

    @cached_property
    def rank(self) -> np.ndarray:
        state = self._state()
        return _ranks(state.rank_basis, state.rank_groups, state.rank_decimals,
                      self.framework.score_range)

    def _state(self) -> _Deferred:
        if self._deferred is None:
            raise TypeError("this BatchResult was built without its deferred state; "
                            "results come from score_batch")
        return self._deferred

    @property
    def framework_id(self) -> str:
        return self.framework.id

    @property
    def framework_version(self) -> str:
        return self.framework.version

    def __len__(self) -> int:
        return len(self.total)

    def band_labels(self) -> list[str]:
        labels = [band.label for band in self.framework.bands]
        return [labels[i] if i >= 0 else "" for i in self.band_index.tolist()]

    def decision_codes(self) -> list[str]:
        """Decision code per subject ("" = no decision)."""
        vocabulary = self.framework.decision_codes
        return [vocabulary[i] for i in self.decision.tolist()]

    def decision_labels(self, lang: str = "ko") -> list[str]:
        """Decision label per subject ("" = no decision); ``lang`` "ko" or "en"."""
        framework = self.framework
        vocabulary = [framework.decision_label(code, lang) for code in framework.decision_codes]
        return [vocabulary[i] for i in self.decision.tolist()]

    @property
    def policy(self):  # -> Policy | None
        """The threshold policy that decided this batch (None: the framework has none)."""
        for policy in self.framework.policies:
            if policy.id == self.policy_id:
                return policy
        return None

    def subject(self, index: int) -> SubjectResult:
        return subject_result(self, index)

    def subjects(self) -> list[SubjectResult]:
        return [self.subject(i) for i in range(len(self))]


@dataclass(frozen=True, eq=False)
class _Deferred:
    """What the lazy outputs of a :class:`BatchResult` are computed from.

    A snapshot private to the result: every array here was made by :func:`score_batch`
    (or copied by it), never one the caller holds and could change after the call, so a
    lazy output computed much later equals the one an eager computation would have given.
    """

    plan: _Plan
    n: int
    subject_ids: Sequence[str]  # as given: a tuple (immutable) or already normalised ids
    counts: np.ndarray | int | None  # ratings per panel cell [n, kp]; p = all full; None
    achievement: np.ndarray | None  # capped achievement [n, kq]; None = no actuals
    applicable: np.ndarray | None  # bool [n, k]; None = everything counts
    overrides: tuple[tuple[int, int, int], ...]  # (row, column, level), already checked
    classes: np.ndarray | None  # the classification when the met rule needed it already
    missing: np.ndarray | None  # bool [n, k]: applicable, no usable data; None = none
    missing_rule: str
    rank_basis: np.ndarray  # [n] the decided totals (a copy)
    rank_groups: np.ndarray  # [n] (a copy)
    rank_decimals: int | None  # the basis is rounded to this many decimals (or None)


# --------------------------------------------------------------------------- plan


@dataclass(frozen=True)
class _Plan:
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


_PLANS: weakref.WeakKeyDictionary[Framework, _Plan] = weakref.WeakKeyDictionary()


def _plan(framework: Framework) -> _Plan:
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


def _build_plan(framework: Framework) -> _Plan:
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
    return _Plan(
        points=np.array([ind.points for ind in indicators], dtype=np.float64),
        panel=np.array([ind.uses_panel for ind in indicators], dtype=bool),
        quantitative=np.array([ind.kind == "quantitative" for ind in indicators], dtype=bool),
        slope=slope, offset=offset, lows=lows, highs=highs, steps=steps,
        table_columns=tuple(table_columns),
        panel_columns=panel_columns,
        panel_block=_as_slice(panel_columns),
        quant_columns=quant_columns,
        quant_block=_as_slice(quant_columns),
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


def _as_slice(columns: np.ndarray) -> slice | np.ndarray:
    """A slice (a view, no gather) when the columns are one contiguous block."""
    if len(columns) and np.array_equal(columns, np.arange(columns[0], columns[-1] + 1)):
        return slice(int(columns[0]), int(columns[-1]) + 1)
    return columns


# --------------------------------------------------------------------------- input checks


def _shape_check(name: str, array: np.ndarray | None, shape: tuple[int, ...]) -> None:
    if array is None:
        return
    panel = name in ("values", "ratings")
    if array.shape[: len(shape)] != shape or array.ndim != len(shape) + panel:
        expected = "x".join(map(str, shape)) + ("xp" if panel else "")
        raise ScoringError(f"{name} has shape {array.shape}, expected {expected}")


def _first(mask: np.ndarray) -> tuple[int, ...]:
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(mask)), mask.shape))


def _fail(framework: Framework, batch: BatchInput, mask: np.ndarray, reason: str) -> None:
    """Raise naming the first offending cell of a boolean [n, k(, p)] mask."""
    where = _first(mask)
    member = where[2] if len(where) > 2 else None
    raise ScoringError(reason, subject=str(batch.subject_ids[where[0]]),
                       indicator=framework.indicator_codes[where[1]], member=member)


@dataclass(frozen=True)
class _Ratings:
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


def _panel_input(framework: Framework, plan: _Plan, batch: BatchInput, n: int,
                 check: bool, exact: bool, whole: bool = False) -> _Ratings | None:
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
        _shape_check("ratings", ratings, (n, kp))
        if ratings.dtype.kind not in "iuf":
            raise ScoringError(f"ratings must be numbers, got dtype {ratings.dtype}")
    elif batch.values is not None:
        values = np.asarray(batch.values)
        if values.dtype.kind != "f":
            values = values.astype(np.float64)
        _shape_check("values", values, (n, len(plan.points)))
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
        return _Ratings(slots, integer=False)
    marker = int(batch.no_rating)
    _check_marker(framework, plan, marker)
    if exact:
        return _Ratings(slots, integer=True, no_rating=marker)
    as_float = slots.astype(np.float64)
    as_float[slots == marker] = np.nan
    return _Ratings(as_float, integer=False)


# The "no rating" marker of float ratings turned into uint8: off every scale it is used on.
_WHOLE_MARKER = 255


def _whole_ratings(plan: _Plan, cells: np.ndarray) -> _Ratings | None:
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
    return _Ratings(slots, integer=True, no_rating=_WHOLE_MARKER)


def _check_marker(framework: Framework, plan: _Plan, marker: int) -> None:
    """The "no rating" marker must not be a rating someone could give."""
    columns = plan.panel_columns
    on_scale = (plan.lows[columns] <= marker) & (marker <= plan.highs[columns])
    if on_scale.any():
        code = framework.indicator_codes[int(columns[int(np.argmax(on_scale))])]
        raise ScoringError(f"no_rating={marker} lies on the scale of {code}; choose a marker "
                           "off every panel scale (e.g. -1 or 255)", indicator=code)


def _check_quantitative_columns_empty(framework: Framework, plan: _Plan, batch: BatchInput,
                                      values: np.ndarray) -> None:
    quantitative = plan.quant_columns
    block = plan.quant_block
    if isinstance(block, slice) and np.isnan(values[:, block, :]).all():
        return  # one vectorised pass over the block when it is clean
    for column in quantitative.tolist():
        given = ~np.isnan(values[:, column, :])  # a strided view: no copy of the batch
        if given.any():
            row, member = _first(given)
            raise ScoringError("quantitative indicators take actual/target, not panel values",
                               str(batch.subject_ids[row]), framework.indicator_codes[column],
                               member)


def _check_values(framework: Framework, plan: _Plan, batch: BatchInput, panel: _Ratings,
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
        row, position = _first(outside)
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
            row, member = _first(bad)
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
                 position: int, member: int, plan: _Plan) -> None:
    ind = framework.indicators[int(plan.panel_columns[position])]
    assert ind.scale is not None
    on_steps = f" in steps of {ind.scale.step:g}" if ind.scale.step else ""
    raise ScoringError(f"value {value:g} is not on the scale "
                       f"{ind.scale.min:g}-{ind.scale.max:g}{on_steps}",
                       str(batch.subject_ids[row]), ind.code, member)


def _check_steps(framework: Framework, plan: _Plan, batch: BatchInput, values: np.ndarray,
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
        row, position, member = _first(off)
        _scale_error(framework, batch, values[row, position, member], row, position, member,
                     plan)


# --------------------------------------------------------------------------- panel statistics


def _integer_stats(panel: _Ratings) -> tuple[PanelStats, tuple[int, int] | None]:
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


def _uses_integer_path(framework: Framework, plan: _Plan, batch: BatchInput) -> bool:
    """Integer ratings are summed exactly when nothing needs the ratings as floats."""
    ratings = batch.ratings
    return (ratings is not None and np.asarray(ratings).dtype.kind in "iu"
            and plan.integer_steps
            and get_aggregation(framework.panel_method).from_stats is not None)


# --------------------------------------------------------------------------- scoring steps


@dataclass
class _Outputs:
    """The (n, k) result arrays, each allocated once and filled block by block, and the
    blocks the lazy outputs are later built from."""

    points: np.ndarray  # float64: points earned (NaN = none yet)
    sd: np.ndarray  # float64: panel sd in points (NaN outside the panel columns)
    counts: np.ndarray | int | None = None  # ratings per panel cell [n, kp] (p: all full)
    achievement: np.ndarray | None = None  # capped achievement [n, kq] (None: no actuals)

    @classmethod
    def allocate(cls, plan: _Plan, n: int) -> _Outputs:
        # NaN where an indicator kind has no sd; the scoring steps write the other blocks,
        # so every element is written once.
        k = len(plan.points)
        out = cls(np.empty((n, k)), np.empty((n, k)))
        out.sd[:, plan.quant_block] = np.nan
        return out


def _panel_scores(framework: Framework, plan: _Plan, batch: BatchInput, n: int, check: bool,
                  out: _Outputs) -> None:
    """Check and combine the panel columns; write their points, sd and count."""
    block, columns = plan.panel_block, plan.panel_columns
    if not len(columns):
        return
    exact = _uses_integer_path(framework, plan, batch)
    whole = plan.integer_steps and get_aggregation(framework.panel_method).from_stats is not None
    panel = _panel_input(framework, plan, batch, n, check, exact, whole)
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
        _check_values(framework, plan, batch, panel, stats, extent)
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
        centre = combined if framework.panel_method == "mean" else _mean(stats)
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


def _insufficient(plan: _Plan, count: np.ndarray, full: bool) -> np.ndarray | None:
    """Cells with fewer ratings than min_panel, or None when there are none."""
    needed = plan.min_panel[plan.panel_columns]
    if full and (count.shape[-1] == 0 or int(count.flat[0]) >= needed.max(initial=0)):
        return None  # every panel has all p ratings
    if (count.min(axis=0, initial=np.iinfo(np.int16).max) >= needed).all():
        return None
    return count < needed


def _mean(stats: PanelStats) -> np.ndarray:
    out = np.full(np.shape(stats.sums), np.nan)
    np.divide(stats.sums, stats.count, out=out, where=stats.count > 0)
    return out


def _quantitative_scores(framework: Framework, plan: _Plan, batch: BatchInput,
                         out: _Outputs, applicable: np.ndarray | None) -> None:
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
    actuals = _quantities(plan, batch, "actuals", n)
    targets = _with_default(_quantities(plan, batch, "targets", n), plan.default_targets, n)
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


def _achievement_block(plan: _Plan, actuals: np.ndarray, targets: np.ndarray,
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
            columns = _as_slice(positions)
            actual, target = actuals[:, columns], targets[:, columns]
            if direction == "lower":
                ratio = np.divide(target, actual)
                # Zero incidents/delays is the best result possible, whatever the target.
                ratio[actual == 0] = np.inf
            else:
                highs = _with_default(_quantities(plan, batch, "targets_high", n),
                                      plan.default_highs, n)
                ratio = achievement(direction, actual, target, highs[:, columns], cap)
            ach[:, columns] = ratio


def _check_targets(framework: Framework, plan: _Plan, batch: BatchInput, targets: np.ndarray,
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
        row, position = _first(bad)
        column = int(plan.quant_columns[position])
        direction = framework.indicators[column].direction
        raise ScoringError(f"target must be greater than 0 for direction {direction}, "
                           f"got {targets[row, position]:g}", str(batch.subject_ids[row]),
                           framework.indicator_codes[column])


def _quantities(plan: _Plan, batch: BatchInput, name: str, n: int) -> np.ndarray | None:
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


def _applicable(plan: _Plan, batch: BatchInput, groups: np.ndarray) -> np.ndarray | None:
    """Indicators that count for each subject: not marked N/A and meant for its group.

    None when every indicator counts for every subject (the common case: no mask).
    """
    marked = None
    if batch.not_applicable is not None:
        marked = np.asarray(batch.not_applicable, dtype=bool)
        if not marked.any():
            marked = None
    restricted = not plan.group_applicable.all() and (groups >= 0).any()
    if marked is None and not restricted:
        return None
    applicable = plan.group_applicable[groups]  # group -1 picks the last row (all True)
    if marked is not None:
        applicable &= ~marked
    return applicable


def _check_overrides(framework: Framework, batch: BatchInput, applicable: np.ndarray | None
                     ) -> tuple[tuple[tuple[int, int, int], ...], dict[tuple[int, int], str]]:
    """Resolve and check every manual classification: (row, column, level) and reasons.

    Always eager (a bad override is an input error), even though the classification
    array it feeds is built lazily.
    """
    resolved: list[tuple[int, int, int]] = []
    reasons: dict[tuple[int, int], str] = {}
    for override in batch.overrides:
        row, column, level = _resolve_override(framework, batch, override)
        if applicable is not None and not applicable[row, column]:
            raise ScoringError("cannot classify an indicator that is not applicable",
                               str(batch.subject_ids[row]), framework.indicator_codes[column])
        resolved.append((row, column, level))
        reasons[(row, column)] = override.reason.strip()
    return tuple(resolved), reasons


# ----------------------------------------------------------------- lazy outputs (BatchResult)
# Built from the private blocks score_batch kept (see _Deferred); each gives the array the
# eager computation gave: same dtype, shape and values.


def _classes(plan: _Plan, n: int, achieved: np.ndarray | None, applicable: np.ndarray | None,
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


def _achievement_array(plan: _Plan, n: int, achieved: np.ndarray | None,
                       applicable: np.ndarray | None) -> np.ndarray:
    """Achievement float64 [n, k]: the capped ratio in the quantitative columns, else NaN."""
    out = np.full((n, len(plan.points)), np.nan)
    if achieved is not None:
        out[:, plan.quant_block] = achieved
    if applicable is not None:
        out[~applicable] = np.nan
    return out


def _panel_count(plan: _Plan, n: int, counts: np.ndarray | int | None) -> np.ndarray:
    """Ratings given, int16 [n, k]: 0 outside the panel columns and without a panel."""
    out = np.zeros((n, len(plan.points)), dtype=np.int16)
    if counts is not None:
        out[:, plan.panel_block] = counts
    return out


def _status(plan: _Plan, n: int, applicable: np.ndarray | None, missing: np.ndarray | None,
            rule: str) -> np.ndarray:
    """Status codes int8 [n, k] (STATUS_LABELS) from the applicability and missing masks."""
    shape = (n, len(plan.points))
    status = (np.zeros(shape, dtype=np.int8) if applicable is None
              else np.where(applicable, SCORED, NOT_APPLICABLE).astype(np.int8))
    if missing is not None:
        status[missing] = MISSING_ZERO if rule == "zero" else MISSING_EXCLUDED
    return status


def _resolve_override(framework: Framework, batch: BatchInput,
                      override: ClassOverride) -> tuple[int, int, int]:
    row = override.subject
    if not 0 <= row < len(batch.subject_ids):
        raise ScoringError(f"override names subject row {row}, outside the batch")
    column = (framework.indicator_index.get(override.indicator)
              if isinstance(override.indicator, str) else override.indicator)
    subject = str(batch.subject_ids[row])
    if column is None or not 0 <= column < len(framework.indicators):
        raise ScoringError(f"override names unknown indicator {override.indicator!r}", subject)
    code = framework.indicator_codes[column]
    if framework.indicators[column].kind != "quantitative":
        raise ScoringError("only quantitative indicators are classified", subject, code)
    if not override.reason or not override.reason.strip():
        raise ScoringError("a manual classification needs a non-empty reason", subject, code)
    for index, level in enumerate(framework.levels):
        if override.level in (level.code, level.label):
            return row, column, index
    known = ", ".join(f"{lv.code}/{lv.label}" for lv in framework.levels)
    raise ScoringError(f"unknown level {override.level!r} (levels: {known})", subject, code)


def _apply_met_rule(plan: _Plan, classes: np.ndarray, points: np.ndarray) -> None:
    """score_rule 'met': full points when the (possibly overridden) class is the top level."""
    for column in plan.met_columns:
        met = (classes[:, column] == 0).astype(float)
        points[:, column] = np.where(classes[:, column] < 0, np.nan, met * plan.points[column])


def _missing(framework: Framework, plan: _Plan, batch: BatchInput, out: _Outputs,
             applicable: np.ndarray | None) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Apply the missing-data rule (raising for ``missing: error``).

    Returns the counted mask (None = everything counts) and the mask of applicable
    indicators without usable data (None = none), from which the status is built lazily.
    """
    points = out.points
    missing = np.isnan(points)
    if applicable is not None:
        missing &= applicable
    any_missing = bool(missing.any())
    if applicable is None and not any_missing:  # the common case: everything counts
        return None, None
    counted = np.ones(points.shape, dtype=bool) if applicable is None else applicable
    if not any_missing:
        return counted, None
    if framework.missing == "error":
        row, column = _first(missing)
        if plan.panel[column]:
            why = (f"{_panel_count(plan, len(points), out.counts)[row, column]} "
                   f"rating(s) given, min_panel is {plan.min_panel[column]}")
        else:
            why = "no actual, or no target"
        raise ScoringError(f"no usable data ({why}; the framework says missing: error)",
                           str(batch.subject_ids[row]), framework.indicator_codes[column])
    if framework.missing == "zero":
        points[missing] = 0.0
        return counted, missing
    return counted & ~missing, missing


@dataclass
class _Totals:
    area_points: np.ndarray
    area_max: np.ndarray
    total: np.ndarray
    max_points: np.ndarray


def _area_sums(plan: _Plan, earned: np.ndarray) -> np.ndarray:
    # Indicators are stored area by area, so per-area sums are reduceat over column blocks
    # (summed left to right within each row: the same bits for one subject or many).
    return np.add.reduceat(earned, plan.area_starts, axis=1)


def _totals(framework: Framework, plan: _Plan, earned: np.ndarray,
            counted: np.ndarray | None, area_sum: np.ndarray | None = None) -> _Totals:
    """Area points and the total; ``counted`` None means every indicator counts."""
    starts = plan.area_starts
    n = len(earned)
    if area_sum is None:
        area_sum = _area_sums(plan, earned)
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
    return _Totals(area_points, area_max, total, max_points)


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


def band_indices(framework: Framework, basis: np.ndarray) -> np.ndarray:
    """Band of each score: index into framework.bands, -1 for NaN / no bands.

    Bands are [lower, upper); the top band also includes its upper bound (the maximum).
    """
    basis = np.asarray(basis, dtype=np.float64)
    n = len(basis)
    if not framework.bands:
        return np.full(n, -1, dtype=np.int8)
    lowers = np.array([band.lower for band in framework.bands])
    uppers = np.array([band.upper for band in framework.bands])
    index = np.searchsorted(lowers, basis, side="right") - 1
    tiled = np.array_equal(lowers[1:], uppers[:-1])  # each band starts where one ends
    if n and tiled and lowers[0] <= basis.min() and basis.max() <= uppers[-1]:
        # Every score inside [first lower, last upper] (no NaN: min/max would be NaN)
        # and no gap between bands: the band is the last lower bound at or below the
        # score, with no further checks.
        return index.astype(np.int8)
    safe = np.clip(index, 0, len(lowers) - 1)
    top = len(lowers) - 1
    inside = (index >= 0) & ((basis < uppers[safe]) | ((safe == top) & (basis <= uppers[top])))
    return np.where(inside & ~np.isnan(basis), index, -1).astype(np.int8)


def _decisions(framework: Framework, policy, basis: np.ndarray,
               band_index: np.ndarray) -> np.ndarray:
    """Policy threshold first, then the band's decision, then the policy's 'otherwise'."""
    vocabulary = framework.decision_index
    band_codes = np.array([vocabulary.get(band.decision or "", 0) for band in framework.bands]
                          + [0], dtype=np.int8)
    decision = band_codes[band_index]  # -1 picks the trailing 0
    if policy is not None:
        if policy.otherwise:
            decision = np.where(decision == 0, vocabulary[policy.otherwise], decision)
        if policy.threshold is not None:
            below = basis < policy.threshold
            decision = np.where(below, vocabulary[policy.below], decision)
    return np.where(np.isnan(basis), 0, decision).astype(np.int8)


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


def _ranks(basis: np.ndarray, groups: np.ndarray, decimals: int | None = None,
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


# --------------------------------------------------------------------------- entry point


def score_batch(framework: Framework, batch: BatchInput, on_date: dt.date | None = None,
                *, check: bool = True) -> BatchResult:
    """Score every subject of ``batch`` under ``framework``.

    ``on_date`` selects the threshold policy in force (default: today). ``check=False``
    skips the scale checks of the ratings (for data already validated upstream); rules
    that decide the result (min panel, missing data, targets) always apply.
    """
    plan = _plan(framework)
    n, k = len(batch.subject_ids), len(framework.indicators)
    _shape_check("not_applicable", batch.not_applicable, (n, k))
    for name in ("actuals", "targets", "targets_high"):
        _quantities(plan, batch, name, n)  # [n, k] or compact [n, kq]
    groups = _groups(framework, batch, n)
    on_date = on_date or dt.date.today()
    policy = framework.policy_for(on_date)
    applicable = _applicable(plan, batch, groups)  # None = everything counts
    out = _Outputs.allocate(plan, n)
    _panel_scores(framework, plan, batch, n, check, out)
    _quantitative_scores(framework, plan, batch, out, applicable)
    overrides, reasons = _check_overrides(framework, batch, applicable)
    classes = None
    if plan.met_columns:  # score_rule 'met' scores from the classes: needed now
        classes = _classes(plan, n, out.achievement, applicable, overrides)
        _apply_met_rule(plan, classes, out.points)
    area_sum = _area_sums(plan, out.points) if applicable is None else None
    if area_sum is not None and not np.isnan(area_sum).any():
        # Every indicator counts and none is NaN (a NaN would have reached its area sum;
        # points are never -inf, so no NaN can come out of inf - inf): no masks at all.
        counted, missing = None, None
    else:
        area_sum = None
        counted, missing = _missing(framework, plan, batch, out, applicable)
    if counted is None:  # every indicator counts: the points are the earned points
        earned = out.points
    else:
        earned = np.where(counted, out.points, 0.0)
        left_out = ~counted
        out.points[left_out] = np.nan
        out.sd[left_out] = np.nan
    totals = _totals(framework, plan, earned, counted, area_sum)
    rounded = round_half_up_array(totals.total, framework.decimals)
    basis = rounded if framework.decide_on == "rounded" else totals.total
    band_index = band_indices(framework, basis)
    # Deferred (computed on first access, see BatchResult): the explainability outputs no
    # score depends on. Safe to defer because _Deferred holds only arrays private to this
    # call (the basis and groups of the ranks are copied: the result exposes them and the
    # groups may be the caller's array) and every check above has already run.
    deferred = _Deferred(
        plan=plan, n=n,
        # A tuple cannot change after the call: its str check (0.6 ms for 50,000 ids) can
        # wait. Any other sequence (a list, an array) is normalised now.
        subject_ids=(batch.subject_ids if isinstance(batch.subject_ids, tuple)
                     else _subject_ids(batch.subject_ids)),
        counts=out.counts, achievement=out.achievement, applicable=applicable,
        overrides=overrides, classes=classes, missing=missing,
        missing_rule=framework.missing,
        rank_basis=basis.copy(), rank_groups=groups.copy(),
        rank_decimals=framework.decimals if framework.decide_on == "rounded" else None,
    )
    return BatchResult(
        framework=framework,
        groups=groups,
        indicator_points=out.points,
        indicator_sd=out.sd,
        area_points=totals.area_points,
        area_max=totals.area_max,
        total=totals.total,
        total_rounded=rounded,
        max_points=totals.max_points,
        band_index=band_index,
        decision=_decisions(framework, policy, basis, band_index),
        policy_id=policy.id if policy else None,
        on_date=on_date,
        override_reasons=reasons,
        _deferred=deferred,
    )


def _subject_ids(ids) -> tuple[str, ...]:
    if isinstance(ids, np.ndarray):
        return tuple(ids.astype(str).tolist())
    if isinstance(ids, tuple) and all(map(isinstance, ids, itertools.repeat(str))):
        return ids  # already what the result holds: no copy
    return tuple(map(str, ids))


def _groups(framework: Framework, batch: BatchInput, n: int) -> np.ndarray:
    if batch.groups is None:
        return np.full(n, -1, dtype=np.int32)
    groups = np.asarray(batch.groups, dtype=np.int32)
    if groups.shape != (n,):
        raise ScoringError(f"groups has shape {groups.shape}, expected ({n},)")
    bad = (groups < -1) | (groups >= len(framework.groups))
    if bad.any():
        row = int(np.argmax(bad))
        raise ScoringError(f"group index {groups[row]} is not one of the framework's groups "
                           f"{framework.groups}", str(batch.subject_ids[row]))
    return groups


def decide_totals(framework: Framework, totals: np.ndarray, *, on_date: dt.date | None = None,
                  policy=None) -> np.ndarray:
    """Decisions for totals already computed (e.g. stored published totals), by the same
    rule :func:`score_batch` applies: the band's decision, then the policy's threshold and
    'otherwise'. ``totals`` are on the framework's scale; with ``decide_on: rounded`` they
    are rounded half up first (a stored published total is unchanged by that).

    ``policy``: a :class:`~seonggwa.engine.framework.Policy` to decide under instead of the
    one in force on ``on_date`` (what-if). Returns int8 indices into
    ``framework.decision_codes`` (0 = no decision).
    """
    totals = np.asarray(totals, dtype=np.float64)
    basis = (round_half_up_array(totals, framework.decimals)
             if framework.decide_on == "rounded" else totals)
    if policy is None:
        policy = framework.policy_for(on_date)
    return _decisions(framework, policy, basis, band_indices(framework, basis))
