"""Batch scoring: many subjects at once over numpy arrays, fully vectorised.

Array layout (``n`` subjects, ``k`` indicators in :attr:`Framework.indicators` order,
``p`` panel slots)::

    BatchInput
      subject_ids     sequence[str]        n        identifiers, kept as given
      values          float32|64 [n, k, p] ratings / survey scores / direct points in
                                            the indicator's own scale; NaN = no rating.
                                            Columns of quantitative indicators must be NaN.
      actuals         float [n, k]          quantitative actuals; NaN = none
      targets         float [n, k]          per-subject targets; NaN = framework target
      targets_high    float [n, k]          upper end for direction: range (optional)
      not_applicable  bool  [n, k]          True = indicator left out for this subject
      groups          int   [n]             index into framework.groups, -1 = none
      overrides       ClassOverride, ...    manual 달성/일부달성/미달성 with a reason

Any array may be None (no ratings, no actuals, ...). Panel slots carry no identity: a
subject's evaluators fill slots 0..p-1 in any order (aggregations are permutation
invariant) and unused slots are NaN.

Memory layout: the scorer works on the panel columns of ``values`` slot-major (p
contiguous [n, kp] slabs). A C-ordered [n, k, p] array is copied once into that layout
(~25 ms for 8.75 M ratings), dropping the quantitative columns; an all-panel array built
as ``values = np.moveaxis(np.empty((p, n, k)), 0, -1)`` is used without a copy. float32
values halve the memory; sums are accumulated in float64.

:func:`score_batch` returns a :class:`BatchResult` of arrays (see its docstring). The
single-subject path (:func:`seonggwa.engine.subject.score_subject`) builds a one-row
``BatchInput`` and calls the same function, so the two cannot disagree.

There is no Python loop over subjects or ratings; loops run over the few indicator
*columns* that need special handling (table conversions, direction groups) only.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .achievement import achievement, classify
from .aggregation import PanelStats, get_aggregation, panel_sd, panel_stats
from .errors import ScoringError
from .framework import Framework
from .rounding import round_half_up_array

__all__ = [
    "STATUS_LABELS",
    "BatchInput",
    "BatchResult",
    "ClassOverride",
    "band_indices",
    "score_batch",
]

# Per-indicator status codes in BatchResult.status.
SCORED, NOT_APPLICABLE, MISSING_EXCLUDED, MISSING_ZERO = 0, 1, 2, 3
STATUS_LABELS = ("scored", "not_applicable", "missing_excluded", "missing_zero")


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
    subject_ids: Sequence[str]
    values: np.ndarray | None = None
    actuals: np.ndarray | None = None
    targets: np.ndarray | None = None
    targets_high: np.ndarray | None = None
    not_applicable: np.ndarray | None = None
    groups: np.ndarray | None = None
    overrides: tuple[ClassOverride, ...] = ()


@dataclass(frozen=True, eq=False)
class BatchResult:
    """Scores of a batch; every array's first axis is the subject.

    indicator_points float64 [n, k]  points earned; NaN = left out (N/A or missing-excluded)
    indicator_sd     float64 [n, k]  panel standard deviation in points (NaN: no panel)
    panel_count      int16   [n, k]  ratings given per indicator
    achievement      float64 [n, k]  capped achievement ratio (quantitative), else NaN
    classification   int8    [n, k]  index into framework.levels, -1 = none
    status           int8    [n, k]  index into STATUS_LABELS
    area_points      float64 [n, a]  per area (rebased if the rule says so); NaN = empty
    area_max         float64 [n, a]  points of the indicators counted in the area
    total            float64 [n]     raw total (NaN when nothing could be counted)
    total_rounded    float64 [n]     half-up at framework.decimals
    max_points       float64 [n]     points of everything counted, before rebasing
    band_index       int8    [n]     index into framework.bands, -1 = none
    decision         int8    [n]     index into framework.decision_labels, 0 = none
    rank             int32   [n]     1 = best within the subject's group; 0 = unranked
    """

    framework: Framework
    subject_ids: tuple[str, ...]
    groups: np.ndarray
    indicator_points: np.ndarray
    indicator_sd: np.ndarray
    panel_count: np.ndarray
    achievement: np.ndarray
    classification: np.ndarray
    class_overridden: np.ndarray
    status: np.ndarray
    area_points: np.ndarray
    area_max: np.ndarray
    total: np.ndarray
    total_rounded: np.ndarray
    max_points: np.ndarray
    band_index: np.ndarray
    decision: np.ndarray
    rank: np.ndarray
    policy_id: str | None
    on_date: dt.date
    override_reasons: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def framework_id(self) -> str:
        return self.framework.id

    @property
    def framework_version(self) -> str:
        return self.framework.version

    def __len__(self) -> int:
        return len(self.subject_ids)

    def band_labels(self) -> list[str]:
        labels = [band.label for band in self.framework.bands]
        return [labels[i] if i >= 0 else "" for i in self.band_index.tolist()]

    def decision_labels(self) -> list[str]:
        vocabulary = self.framework.decision_labels
        return [vocabulary[i] for i in self.decision.tolist()]

    def subject(self, index: int):  # -> SubjectResult (import cycle avoided)
        from .subject import subject_result

        return subject_result(self, index)

    def subjects(self):
        return [self.subject(i) for i in range(len(self))]


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
    integer_steps: bool  # every panel scale: step 1 from a whole-number minimum
    quantitative_groups: tuple[tuple[str, float | None, np.ndarray], ...]  # direction, cap, cols
    table_positions: tuple[tuple[int, int], ...]  # (position among panel columns, column)
    default_targets: np.ndarray  # [k]
    default_highs: np.ndarray  # [k]
    area_starts: np.ndarray  # [a] first column of each area (areas are column blocks)
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


def _quantitative_groups(indicators) -> tuple[tuple[str, float | None, np.ndarray], ...]:
    groups: dict[tuple[str, float | None], list[int]] = {}
    for c, ind in enumerate(indicators):
        if ind.kind == "quantitative":
            groups.setdefault((ind.direction, ind.cap), []).append(c)
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
    return _Plan(
        points=np.array([ind.points for ind in indicators], dtype=np.float64),
        panel=np.array([ind.uses_panel for ind in indicators]),
        quantitative=np.array([ind.kind == "quantitative" for ind in indicators]),
        slope=slope, offset=offset, lows=lows, highs=highs, steps=steps,
        table_columns=tuple(table_columns),
        panel_columns=panel_columns,
        quantitative_groups=_quantitative_groups(indicators),
        integer_steps=bool(len(panel_columns)) and all(
            steps[c] == 1 and float(lows[c]).is_integer() for c in panel_columns),
        table_positions=tuple((int(np.flatnonzero(panel_columns == c)[0]), c)
                              for c in table_columns),
        default_targets=np.array([np.nan if ind.target is None else ind.target
                                  for ind in indicators]),
        default_highs=np.array([np.nan if ind.target_high is None else ind.target_high
                                for ind in indicators]),
        area_starts=area_starts,
        area_declared=np.array([area.points for area in framework.areas]),
        group_applicable=group_applicable,
        level_minimums=np.array([level.min for level in framework.levels]),
        min_panel=np.array([0 if not ind.uses_panel else (ind.min_panel or framework.min_panel)
                            for ind in indicators], dtype=np.int16),
    )


# --------------------------------------------------------------------------- input checks


def _shape_check(name: str, array: np.ndarray | None, shape: tuple[int, ...]) -> None:
    if array is None:
        return
    if array.shape[: len(shape)] != shape or array.ndim != len(shape) + (name == "values"):
        expected = "x".join(map(str, shape)) + ("xp" if name == "values" else "")
        raise ScoringError(f"{name} has shape {array.shape}, expected {expected}")


def _first(mask: np.ndarray) -> tuple[int, ...]:
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(mask)), mask.shape))


def _fail(framework: Framework, batch: BatchInput, mask: np.ndarray, reason: str) -> None:
    """Raise naming the first offending cell of a boolean [n, k(, p)] mask."""
    where = _first(mask)
    member = where[2] if len(where) > 2 else None
    raise ScoringError(reason, subject=str(batch.subject_ids[where[0]]),
                       indicator=framework.indicator_codes[where[1]], member=member)


def _panel_values(framework: Framework, plan: _Plan, batch: BatchInput, n: int,
                  check: bool) -> np.ndarray | None:
    """The ratings of the panel columns only, [n, kp, p], laid out slot-major in memory.

    Slot-major (p contiguous [n, kp] slabs) makes every panel reduction walk contiguous
    memory — about 5x faster than p-long strided rows for p = 7 — and sums in slot order.
    Quantitative columns are dropped here (they hold no ratings), so a batch whose k
    axis is half quantitative costs no more than its ratings. An all-panel array
    already laid out slot-major (``np.moveaxis(buffer_pnk, 0, -1)``) is not copied.
    """
    if batch.values is None:
        return None
    values = np.asarray(batch.values)
    if values.dtype.kind != "f":
        values = values.astype(np.float64)
    _shape_check("values", values, (n, len(plan.points)))
    if check:
        _check_quantitative_columns_empty(framework, plan, batch, values)
    slot_first = np.moveaxis(values, -1, 0)
    if not plan.panel.all():
        slot_first = slot_first[:, :, _as_slice(plan.panel_columns)]
    if not slot_first.flags.c_contiguous:
        slot_first = np.ascontiguousarray(slot_first)
    return np.moveaxis(slot_first, 0, -1)


def _as_slice(columns: np.ndarray) -> slice | np.ndarray:
    """A slice (a view, no gather) when the columns are one contiguous block."""
    if len(columns) and np.array_equal(columns, np.arange(columns[0], columns[-1] + 1)):
        return slice(int(columns[0]), int(columns[-1]) + 1)
    return columns


def _check_quantitative_columns_empty(framework: Framework, plan: _Plan, batch: BatchInput,
                                      values: np.ndarray) -> None:
    quantitative = np.flatnonzero(plan.quantitative)
    block = _as_slice(quantitative)
    if isinstance(block, slice) and np.isnan(values[:, block, :]).all():
        return  # one vectorised pass over the block when it is clean
    for column in quantitative.tolist():
        given = ~np.isnan(values[:, column, :])  # a strided view: no copy of the batch
        if given.any():
            row, member = _first(given)
            raise ScoringError("quantitative indicators take actual/target, not panel values",
                               str(batch.subject_ids[row]), framework.indicator_codes[column],
                               member)


def _check_values(framework: Framework, plan: _Plan, batch: BatchInput, values: np.ndarray,
                  stats: PanelStats) -> None:
    """Ratings of the panel columns ([n, kp, p]) must be on their indicator's scale.

    The range is checked on each cell's highest and lowest rating (already computed for
    the aggregation), the steps in one pass over the ratings.
    """
    columns = plan.panel_columns
    lows, highs = plan.lows[columns], plan.highs[columns]
    outside = (stats.lowest < lows) | (stats.highest > highs)
    if outside.any():
        row, position = _first(outside)
        member = _first_member(values[row, position], lows[position], highs[position])
        _scale_error(framework, batch, values, row, position, member, plan)
    _check_steps(framework, plan, batch, values, stats)
    for position, column in plan.table_positions:
        scale = framework.indicators[column].scale
        assert scale is not None
        bad = ~scale.on_scale(values[:, position, :])
        if bad.any():
            row, member = _first(bad)
            allowed = ", ".join(f"{v:g}" for v in sorted(scale.table))
            raise ScoringError(f"value {values[row, position, member]:g} is not in the "
                               f"conversion table ({allowed})", str(batch.subject_ids[row]),
                               framework.indicator_codes[column], member)


def _first_member(ratings: np.ndarray, low: float, high: float) -> int:
    return int(np.argmax((ratings < low) | (ratings > high)))


def _scale_error(framework: Framework, batch: BatchInput, values: np.ndarray, row: int,
                 position: int, member: int, plan: _Plan) -> None:
    ind = framework.indicators[int(plan.panel_columns[position])]
    assert ind.scale is not None
    on_steps = f" in steps of {ind.scale.step:g}" if ind.scale.step else ""
    raise ScoringError(f"value {values[row, position, member]:g} is not on the scale "
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
        _scale_error(framework, batch, values, row, position, member, plan)


# --------------------------------------------------------------------------- scoring steps


@dataclass
class _Indicators:
    fraction: np.ndarray  # [n, k] share of the indicator's points earned (NaN = none)
    sd: np.ndarray  # [n, k] in points
    count: np.ndarray  # [n, k]
    achievement: np.ndarray  # [n, k]


def _panel_scores(framework: Framework, plan: _Plan, batch: BatchInput,
                  values: np.ndarray | None, n: int, check: bool) -> _Indicators:
    """Check and combine the panel columns ([n, kp, p]); scatter them into [n, k] arrays."""
    k = len(plan.points)
    fraction, sd = np.full((n, k), np.nan), np.full((n, k), np.nan)
    count = np.zeros((n, k), dtype=np.int16)
    if values is None or values.shape[2] == 0 or values.shape[1] == 0:
        return _Indicators(fraction, sd, count, np.full((n, k), np.nan))
    columns = plan.panel_columns
    stats = panel_stats(values)
    if check:
        _check_values(framework, plan, batch, values, stats)
    method = get_aggregation(framework.panel_method)
    given = stats.count
    if method.from_stats is not None:
        combined = method.from_stats(stats)
    else:
        combined = method.func(values, given)
    centre = combined if framework.panel_method == "mean" else _mean(stats)
    spread = panel_sd(values, given, centre, ddof=framework.sd_ddof)
    # Affine scales: combine raw values, then convert (conversion commutes with the
    # aggregations because it is increasing and affine).
    slope, points = plan.slope[columns], plan.points[columns]
    fraction[:, columns] = combined * slope + plan.offset[columns]
    sd[:, columns] = spread * np.abs(slope) * points
    for position, column in plan.table_positions:
        scale = framework.indicators[column].scale
        assert scale is not None
        converted = scale.to_fraction(values[:, position, :])
        fraction[:, column] = method.func(converted, given[:, position])
        sd[:, column] = panel_sd(converted, given[:, position], ddof=framework.sd_ddof) * (
            plan.points[column])
    count[:, columns] = given
    insufficient = plan.panel & (count < plan.min_panel)
    fraction[insufficient] = np.nan
    return _Indicators(fraction, sd, count, np.full((n, k), np.nan))


def _mean(stats: PanelStats) -> np.ndarray:
    out = np.full(np.shape(stats.sums), np.nan)
    np.divide(stats.sums, stats.count, out=out, where=stats.count > 0)
    return out


def _quantitative_scores(framework: Framework, plan: _Plan, batch: BatchInput,
                         result: _Indicators, applicable: np.ndarray) -> None:
    """Achievement of the quantitative columns, one vectorised call per (direction, cap)."""
    if not plan.quantitative_groups or batch.actuals is None:
        return
    n = len(batch.subject_ids)
    targets = _with_default(batch.targets, plan.default_targets, n)
    highs = _with_default(batch.targets_high, plan.default_highs, n)
    actuals = np.asarray(batch.actuals, dtype=np.float64)
    for direction, cap, columns in plan.quantitative_groups:
        target = targets[:, columns]
        if direction in ("higher", "shortfall"):
            bad = applicable[:, columns] & (target <= 0)
            if bad.any():
                row, position = _first(bad)
                raise ScoringError(f"target must be greater than 0 for direction {direction}, "
                                   f"got {target[row, position]:g}", str(batch.subject_ids[row]),
                                   framework.indicator_codes[int(columns[position])])
        result.achievement[:, columns] = achievement(direction, actuals[:, columns], target,
                                                     highs[:, columns], cap)
    quantitative = plan.quantitative
    result.fraction[:, quantitative] = result.achievement[:, quantitative]


def _with_default(array: np.ndarray | None, default: np.ndarray, n: int) -> np.ndarray:
    if array is None:
        return np.broadcast_to(default, (n, len(default)))
    return np.where(np.isnan(array), default, array)


def _applicable(plan: _Plan, batch: BatchInput, groups: np.ndarray) -> np.ndarray:
    """Indicators that count for each subject: not marked N/A and meant for its group."""
    applicable = plan.group_applicable[groups]  # group -1 picks the last row (all True)
    if batch.not_applicable is not None:
        applicable &= ~np.asarray(batch.not_applicable, dtype=bool)
    return applicable


def _classification(framework: Framework, plan: _Plan, batch: BatchInput,
                    ach: np.ndarray, applicable: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray, dict[tuple[int, int], str]]:
    classes = np.full(ach.shape, -1, dtype=np.int8)
    quantitative = plan.quantitative
    if quantitative.any():
        classes[:, quantitative] = classify(ach[:, quantitative], plan.level_minimums)
    classes[~applicable] = -1
    overridden = np.zeros(classes.shape, dtype=bool)
    reasons: dict[tuple[int, int], str] = {}
    for override in batch.overrides:
        row, column, level = _resolve_override(framework, batch, override)
        if not applicable[row, column]:
            raise ScoringError("cannot classify an indicator that is not applicable",
                               str(batch.subject_ids[row]), framework.indicator_codes[column])
        classes[row, column] = level
        overridden[row, column] = True
        reasons[(row, column)] = override.reason.strip()
    return classes, overridden, reasons


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


def _apply_met_rule(framework: Framework, classes: np.ndarray, fraction: np.ndarray) -> None:
    """score_rule 'met': full points when the (possibly overridden) class is the top level."""
    for column, ind in enumerate(framework.indicators):
        if ind.kind == "quantitative" and ind.score_rule == "met":
            met = classes[:, column] == 0
            fraction[:, column] = np.where(classes[:, column] < 0, np.nan, met.astype(float))


def _missing(framework: Framework, plan: _Plan, batch: BatchInput, scores: _Indicators,
             applicable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Apply the missing-data rule. Returns (counted mask, status codes)."""
    fraction = scores.fraction
    missing = applicable & np.isnan(fraction)
    status = np.where(applicable, SCORED, NOT_APPLICABLE).astype(np.int8)
    if framework.missing == "error" and missing.any():
        row, column = _first(missing)
        if plan.panel[column]:
            why = (f"{scores.count[row, column]} rating(s) given, min_panel is "
                   f"{plan.min_panel[column]}")
        else:
            why = "no actual, or no target"
        raise ScoringError(f"no usable data ({why}; the framework says missing: error)",
                           str(batch.subject_ids[row]), framework.indicator_codes[column])
    if framework.missing == "zero":
        fraction[missing] = 0.0
        status[missing] = MISSING_ZERO
        return applicable, status
    status[missing] = MISSING_EXCLUDED
    return applicable & ~missing, status


@dataclass
class _Totals:
    area_points: np.ndarray
    area_max: np.ndarray
    total: np.ndarray
    max_points: np.ndarray


def _totals(framework: Framework, plan: _Plan, earned: np.ndarray,
            counted: np.ndarray) -> _Totals:
    # Indicators are stored area by area, so per-area sums are reduceat over column blocks.
    starts = plan.area_starts
    area_sum = np.add.reduceat(earned, starts, axis=1)
    area_count = np.add.reduceat(counted, starts, axis=1, dtype=np.int32)
    if counted.all():  # the common case: nothing left out
        area_max = np.broadcast_to(plan.area_declared, area_sum.shape).copy()
    else:
        area_max = np.add.reduceat(np.where(counted, plan.points, 0.0), starts, axis=1)
    present = area_count > 0
    if framework.area_rule == "mean":
        area_points = _divide(area_sum, area_count)
    elif framework.rebase == "area":
        area_points = _divide(area_sum * plan.area_declared, area_max)
    else:
        area_points = np.where(present, area_sum, np.nan)
    if framework.area_rule == "mean":
        # An averaged area is worth its declared points whenever anything in it counts.
        area_max = np.where(present, plan.area_declared, 0.0)
    max_points = area_max.sum(axis=1)
    if framework.total_rule != "sum":
        max_points = np.where(present.any(axis=1), framework.total, 0.0)
    if framework.total_rule == "mean_of_areas":
        total = _divide(np.where(present, area_points, 0.0).sum(axis=1), present.sum(axis=1))
    elif framework.total_rule == "mean_of_indicators":
        total = _divide(earned.sum(axis=1), counted.sum(axis=1))
    else:
        summed = np.where(present, area_points, 0.0).sum(axis=1)
        if framework.rebase == "total":
            total = _divide(summed * framework.total, max_points)
        elif framework.rebase == "area":
            # Whole areas left out: spread the total over the areas that remain.
            kept = (present * plan.area_declared).sum(axis=1)
            total = _divide(summed * framework.total, kept)
        else:
            total = np.where(present.any(axis=1), summed, np.nan)
    low, high = framework.score_range
    # Rebasing can leave 100.00000000000001; scores never legitimately leave the range.
    total = np.clip(total, low, high)
    return _Totals(area_points, area_max, total, max_points)


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
    safe = np.clip(index, 0, len(lowers) - 1)
    top = len(lowers) - 1
    inside = (index >= 0) & ((basis < uppers[safe]) | ((safe == top) & (basis <= uppers[top])))
    return np.where(inside & ~np.isnan(basis), index, -1).astype(np.int8)


def _decisions(framework: Framework, policy, basis: np.ndarray,
               band_index: np.ndarray) -> np.ndarray:
    """Policy threshold first, then the band's decision, then the policy's 'otherwise'."""
    vocabulary = {label: i for i, label in enumerate(framework.decision_labels)}
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


def _ranks(basis: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Competition ranking (1, 1, 3) by descending basis within each group; 0 = no score."""
    n = len(basis)
    if n == 0:
        return np.zeros(0, dtype=np.int32)
    keyed = np.where(np.isnan(basis), -np.inf, basis)
    order = np.lexsort((-keyed, groups))
    sorted_groups, sorted_values = groups[order], keyed[order]
    positions = np.arange(n)
    new_group = np.r_[True, sorted_groups[1:] != sorted_groups[:-1]]
    new_value = new_group | np.r_[True, sorted_values[1:] != sorted_values[:-1]]
    group_start = np.maximum.accumulate(np.where(new_group, positions, 0))
    value_start = np.maximum.accumulate(np.where(new_value, positions, 0))
    ranks = np.empty(n, dtype=np.int32)
    ranks[order] = value_start - group_start + 1
    return np.where(np.isnan(basis), 0, ranks).astype(np.int32)


# --------------------------------------------------------------------------- entry point


def score_batch(framework: Framework, batch: BatchInput, on_date: dt.date | None = None,
                *, check: bool = True) -> BatchResult:
    """Score every subject of ``batch`` under ``framework``.

    ``on_date`` selects the threshold policy in force (default: today). ``check=False``
    skips the scale checks of ``values`` (for data already validated upstream); rules
    that decide the result (min panel, missing data, targets) always apply.
    """
    plan = _plan(framework)
    n, k = len(batch.subject_ids), len(framework.indicators)
    for name in ("actuals", "targets", "targets_high", "not_applicable"):
        _shape_check(name, getattr(batch, name), (n, k))
    values = _panel_values(framework, plan, batch, n, check)
    groups = _groups(framework, batch, n)
    on_date = on_date or dt.date.today()
    policy = framework.policy_for(on_date)
    applicable = _applicable(plan, batch, groups)
    scores = _panel_scores(framework, plan, batch, values, n, check)
    _quantitative_scores(framework, plan, batch, scores, applicable)
    classes, overridden, reasons = _classification(framework, plan, batch, scores.achievement,
                                                   applicable)
    _apply_met_rule(framework, classes, scores.fraction)
    counted, status = _missing(framework, plan, batch, scores, applicable)
    earned = np.where(counted, scores.fraction * plan.points, 0.0)
    totals = _totals(framework, plan, earned, counted)
    rounded = round_half_up_array(totals.total, framework.decimals)
    basis = rounded if framework.decide_on == "rounded" else totals.total
    band_index = band_indices(framework, basis)
    return BatchResult(
        framework=framework,
        subject_ids=_subject_ids(batch.subject_ids),
        groups=groups,
        indicator_points=np.where(counted, earned, np.nan),
        indicator_sd=np.where(counted & plan.panel, scores.sd, np.nan),
        panel_count=scores.count,
        achievement=np.where(applicable, scores.achievement, np.nan),
        classification=classes,
        class_overridden=overridden,
        status=status,
        area_points=totals.area_points,
        area_max=totals.area_max,
        total=totals.total,
        total_rounded=rounded,
        max_points=totals.max_points,
        band_index=band_index,
        decision=_decisions(framework, policy, basis, band_index),
        rank=_ranks(basis, groups),
        policy_id=policy.id if policy else None,
        on_date=on_date,
        override_reasons=reasons,
    )


def _subject_ids(ids) -> tuple[str, ...]:
    if isinstance(ids, np.ndarray):
        return tuple(ids.astype(str).tolist())
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
