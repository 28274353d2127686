"""Batch scoring: many subjects at once over numpy arrays, fully vectorised.

:func:`score_batch` strings the steps together and returns a :class:`BatchResult` of
arrays (see its docstring); the steps live in their own modules:

- :mod:`~seonggwa.engine.batch_input` — the arrays of a batch (:class:`BatchInput`) and
  their shape checks;
- :mod:`~seonggwa.engine.batch_plan` — the framework as arrays, cached, and the result
  arrays of one call;
- :mod:`~seonggwa.engine.ratings` and :mod:`~seonggwa.engine.panel_scores` — the panel
  (slot-major ratings, scale checks, exact integer or float accumulation);
- :mod:`~seonggwa.engine.quantitative_scores` — achievement against targets;
- :mod:`~seonggwa.engine.applicability` — what counts (N/A, groups), manual
  classifications, the met rule, missing data;
- :mod:`~seonggwa.engine.totals` — area points and the total;
- :mod:`~seonggwa.engine.decisions` — bands and decisions;
- :mod:`~seonggwa.engine.lazy_outputs` — the explainability outputs built on first access.

The single-subject path (:func:`seonggwa.engine.subject.score_subject`) builds a one-row
``BatchInput`` and calls the same function, so the two cannot disagree.

There is no Python loop over subjects or ratings; loops run over panel slots and the few
indicator *columns* that need special handling (table conversions, direction groups).
Every (n, k) result array is written once; the common case (everything applicable, full
panels, nothing missing) skips the masks, with the same results as the general path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .applicability import applicable_mask, apply_met_rule, apply_missing_rule, check_overrides
from .batch_input import BatchInput, as_subject_ids, group_indices, shape_check
from .batch_plan import Outputs, Plan, plan_for
from .decisions import band_indices, decide
from .framework import Framework
from .lazy_outputs import (
    achievement_array,
    classification_array,
    competition_ranks,
    panel_count_array,
    status_array,
)
from .panel_scores import panel_scores
from .quantitative_scores import quantitative_scores, quantities
from .results import SubjectResult, subject_result
from .rounding import round_half_up_array
from .totals import area_sums, compute_totals

__all__ = ["BatchResult", "score_batch"]


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
        return as_subject_ids(self._state().subject_ids)

    @cached_property
    def panel_count(self) -> np.ndarray:
        state = self._state()
        return panel_count_array(state.plan, state.n, state.counts)

    @cached_property
    def achievement(self) -> np.ndarray:
        state = self._state()
        return achievement_array(state.plan, state.n, state.achievement, state.applicable)

    @cached_property
    def classification(self) -> np.ndarray:
        state = self._state()
        if state.classes is not None:  # computed for score_rule 'met' already
            return state.classes
        return classification_array(state.plan, state.n, state.achievement, state.applicable,
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
        return status_array(state.plan, state.n, state.applicable, state.missing,
                            state.missing_rule)

    @cached_property
    def rank(self) -> np.ndarray:
        state = self._state()
        return competition_ranks(state.rank_basis, state.rank_groups, state.rank_decimals,
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

    plan: Plan
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


# --------------------------------------------------------------------------- entry point


def score_batch(framework: Framework, batch: BatchInput, on_date: dt.date | None = None,
                *, check: bool = True) -> BatchResult:
    """Score every subject of ``batch`` under ``framework``.

    ``on_date`` selects the threshold policy in force (default: today). ``check=False``
    skips the scale checks of the ratings (for data already validated upstream); rules
    that decide the result (min panel, missing data, targets) always apply.
    """
    plan = plan_for(framework)
    n, k = len(batch.subject_ids), len(framework.indicators)
    shape_check("not_applicable", batch.not_applicable, (n, k))
    for name in ("actuals", "targets", "targets_high"):
        quantities(plan, batch, name, n)  # [n, k] or compact [n, kq]
    groups = group_indices(framework, batch, n)
    on_date = on_date or dt.date.today()
    policy = framework.policy_for(on_date)
    applicable = applicable_mask(plan, batch, groups)  # None = everything counts
    out = Outputs.allocate(plan, n)
    panel_scores(framework, plan, batch, n, check, out)
    quantitative_scores(framework, plan, batch, out, applicable)
    overrides, reasons = check_overrides(framework, batch, applicable)
    classes = None
    if plan.met_columns:  # score_rule 'met' scores from the classes: needed now
        classes = classification_array(plan, n, out.achievement, applicable, overrides)
        apply_met_rule(plan, classes, out.points)
    area_sum = area_sums(plan, out.points) if applicable is None else None
    if area_sum is not None and not np.isnan(area_sum).any():
        # Every indicator counts and none is NaN (a NaN would have reached its area sum;
        # points are never -inf, so no NaN can come out of inf - inf): no masks at all.
        counted, missing = None, None
    else:
        area_sum = None
        counted, missing = apply_missing_rule(framework, plan, batch, out, applicable)
    if counted is None:  # every indicator counts: the points are the earned points
        earned = out.points
    else:
        earned = np.where(counted, out.points, 0.0)
        left_out = ~counted
        out.points[left_out] = np.nan
        out.sd[left_out] = np.nan
    totals = compute_totals(framework, plan, earned, counted, area_sum)
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
                     else as_subject_ids(batch.subject_ids)),
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
        decision=decide(framework, policy, basis, band_index),
        policy_id=policy.id if policy else None,
        on_date=on_date,
        override_reasons=reasons,
        _deferred=deferred,
    )
