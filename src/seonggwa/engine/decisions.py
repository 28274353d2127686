"""Grade bands and decisions from the decided totals.

:func:`band_indices`: the band of each score (half-open ``[lower, upper)``, the top one
closed). :func:`decide`: the policy's threshold first, then the band's decision, then the
policy's ``otherwise``. :func:`decide_totals` applies the same rule to totals computed
elsewhere (stored published totals, what-if policies).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from .framework import Framework
from .rounding import round_half_up_array

__all__ = ["band_indices", "decide", "decide_totals"]


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


def decide(framework: Framework, policy, basis: np.ndarray,
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
    return decide(framework, policy, basis, band_indices(framework, basis))
