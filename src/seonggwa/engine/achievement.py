"""Achievement of quantitative indicators (actual against target), vectorised.

Directions (declared per indicator in the framework document):

``higher``     more is better: ``actual / target``.
``lower``      less is better (민원처리 지연율, BOD): ``target / actual``; an actual of 0
               is the best possible result and gets the cap.
``range``      within ``[low, high]`` is 1.0; below: ``actual / low``; above:
               ``high / actual`` (proportional distance from the band).
``shortfall``  "should fall" sustainability indicators (온실가스 배출량, 침수취약지역 수):
               achievement from the shortfall against the target,
               ``1 - (actual - target) / target`` = ``2 - actual / target``. At the target
               it is 1.0; every percent above the target costs one percent of
               achievement (the 2019 report: "목표치 대비 미달성 정도를 기준으로 산출").
               Unlike ``lower`` it falls linearly, reaching 0 at twice the target.

The result is clipped to ``[0, cap]``; ``cap = None`` means no upper cap.
NaN in ``actual`` or ``target`` gives NaN (missing data, handled by the framework's
missing-data rule).

The 3-level classification (달성 / 일부달성 / 미달성 by default at 100% and 50%) is
:func:`classify`; manual overrides with a mandatory reason are applied by the batch
scorer (:class:`seonggwa.engine.batch_input.ClassOverride`).
"""

from __future__ import annotations

import numpy as np

__all__ = ["DIRECTIONS", "achievement", "classify"]

DIRECTIONS = ("higher", "lower", "range", "shortfall")


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    out = np.full(np.broadcast(numerator, denominator).shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def achievement_higher(actual: np.ndarray, target: np.ndarray) -> np.ndarray:
    return _ratio(actual, target)


def achievement_lower(actual: np.ndarray, target: np.ndarray) -> np.ndarray:
    ratio = _ratio(target, actual)
    # Zero incidents/delays is the best result possible, whatever the target.
    return np.where(actual == 0, np.inf, ratio)


def achievement_range(actual: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    below = _ratio(actual, low)
    above = _ratio(high, actual)
    inside = (actual >= low) & (actual <= high)
    out = np.where(actual < low, below, above)
    out = np.where(inside, 1.0, out)
    return np.where(np.isnan(actual) | np.isnan(low) | np.isnan(high), np.nan, out)


def achievement_shortfall(actual: np.ndarray, target: np.ndarray) -> np.ndarray:
    return 2.0 - _ratio(actual, target)


def achievement(
    direction: str,
    actual: np.ndarray,
    target: np.ndarray,
    target_high: np.ndarray | None = None,
    cap: float | None = None,
) -> np.ndarray:
    """Achievement ratio (1.0 = target met) for one direction, clipped to [0, cap]."""
    actual = np.asarray(actual, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    if direction == "higher":
        raw = achievement_higher(actual, target)
    elif direction == "lower":
        raw = achievement_lower(actual, target)
    elif direction == "range":
        high = target if target_high is None else np.asarray(target_high, dtype=np.float64)
        raw = achievement_range(actual, target, high)
    elif direction == "shortfall":
        raw = achievement_shortfall(actual, target)
    else:
        raise ValueError(f"unknown direction {direction!r} (expected one of {DIRECTIONS})")
    upper = np.inf if cap is None else cap
    # Keep NaN (missing) as NaN: np.clip propagates it.
    return np.clip(raw, 0.0, upper)


def classify(ratio: np.ndarray, minimums: np.ndarray) -> np.ndarray:
    """Index of the first level whose minimum the ratio reaches; -1 for NaN.

    ``minimums`` are the level thresholds in descending order (e.g. [1.0, 0.5, 0.0]),
    so index 0 is the best level (달성). A ratio below every minimum gets the last level.
    The index is the number of thresholds (other than the last) the ratio falls short of.
    """
    ratio = np.asarray(ratio, dtype=np.float64)
    index = np.zeros(ratio.shape, dtype=np.int8)
    short = np.empty(ratio.shape, dtype=bool)
    for minimum in np.asarray(minimums, dtype=np.float64)[:-1]:
        np.less(ratio, minimum, out=short)
        index += short.view(np.int8)  # same-type add: no cast of the bools
    missing = np.isnan(ratio)
    if missing.any():
        index[missing] = -1
    return index
