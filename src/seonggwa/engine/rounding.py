"""Decimal-correct "half up" rounding for scalars and numpy arrays.

Korean public documents round half up (사사오입): 74.995 → 75.00, 80.505 → 80.51, and
76.25 → 76.3 at one decimal. Python's ``round`` and ``numpy.round`` round half to even
*and* see the binary float (74.995 is stored as 74.99499999999999744...), so both give
74.99. We want the value the user typed, i.e. the shortest decimal that reads back as
the same float (``repr``), rounded half up — exactly what
``Decimal(repr(x)).quantize(..., ROUND_HALF_UP)`` does, but vectorised.

The vectorised trick: with ``s = |x| * 10**d`` and ``f = floor(s)``, the decimal half
point between ``f`` and ``f + 1`` is ``(f + 0.5) / 10**d``. IEEE division is correctly
rounded, so that expression is the float nearest to the decimal half point — the same
float the user's "74.995" parsed to. Comparing ``|x| >= half`` therefore decides
exactly as decimal arithmetic on the typed value would, with no epsilon. ``floor`` may
be off by one when ``s`` lands a hair under an integer; the comparison corrects that
too (if ``f`` is one too low, ``|x|`` is far above the half point).

Before rounding, values are snapped to 9 decimals (``SNAP_DECIMALS``): sums of
decimal inputs carry binary artefacts (22.5 + 37.495 + 15 gives 74.99499999999999, not
the float of 74.995) and no score means anything at the 10th decimal, so the snap turns
such sums back into the decimal the user would compute by hand.

Half up here means half *away from zero* (Decimal ``ROUND_HALF_UP``); scores are
non-negative so the distinction rarely matters.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np

__all__ = ["SNAP_DECIMALS", "round_half_up", "round_half_up_array", "format_fixed"]

SNAP_DECIMALS = 9


def round_half_up(value: float, decimals: int = 2) -> float:
    """Round one number half up at ``decimals`` places, as decimal arithmetic would."""
    if value != value or value in (float("inf"), float("-inf")):
        return value
    quantum = Decimal(1).scaleb(-decimals)
    snapped = round(float(value), SNAP_DECIMALS)
    return float(Decimal(repr(snapped)).quantize(quantum, rounding=ROUND_HALF_UP))


def round_half_up_array(values: np.ndarray, decimals: int = 2) -> np.ndarray:
    """Vectorised :func:`round_half_up`; NaN stays NaN. Returns float64."""
    x = np.round(np.asarray(values, dtype=np.float64), SNAP_DECIMALS)
    scale = 10.0**decimals
    magnitude = np.abs(x)
    floored = np.floor(magnitude * scale)
    half_point = (floored + 0.5) / scale
    units = floored + (magnitude >= half_point)
    return np.copysign(units / scale, x)


def format_fixed(value: float, decimals: int = 2) -> str:
    """Display form: half-up rounded with exactly ``decimals`` places ('' for NaN)."""
    if value is None or value != value:
        return ""
    return f"{round_half_up(value, decimals):.{decimals}f}"
