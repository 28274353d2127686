"""Achievement against targets, per direction, and the 3-level classification."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from seonggwa.engine import achievement, classify

positive = st.floats(min_value=0.01, max_value=1e6, allow_nan=False)


def one(direction, actual, target, high=None, cap=None):
    return float(achievement(direction, np.array([actual]), np.array([target]),
                             None if high is None else np.array([high]), cap)[0])


def test_higher_lower_range_shortfall_by_hand():
    assert one("higher", 8400, 10500) == pytest.approx(0.8)
    assert one("lower", 4.5, 3.97) == pytest.approx(3.97 / 4.5)
    assert one("lower", 0, 3.97, cap=1.0) == 1.0  # zero delays: best possible
    assert one("range", 15, 10, 20) == 1.0
    assert one("range", 5, 10, 20) == pytest.approx(0.5)
    assert one("range", 40, 10, 20) == pytest.approx(0.5)
    # should-fall indicator 32.1 % above its target -> 67.9 % (the 2019 report's GHG value)
    assert one("shortfall", 132.1, 100) == pytest.approx(0.679)
    assert one("shortfall", 250, 100) == 0.0  # floored at 0


def test_cap_limits_over_achievement():
    assert one("higher", 150, 100, cap=1.2) == pytest.approx(1.2)
    assert one("higher", 150, 100, cap=1.0) == 1.0
    assert one("higher", 150, 100) == pytest.approx(1.5)


def test_missing_actual_is_nan_not_zero():
    assert np.isnan(one("higher", np.nan, 100))
    assert np.isnan(one("lower", np.nan, 100))


@given(positive, positive, positive)
def test_higher_direction_is_monotone(a, b, target):
    low, high = sorted((a, b))
    assert one("higher", low, target, cap=1.2) <= one("higher", high, target, cap=1.2)


@given(positive, positive, positive)
def test_lower_and_shortfall_reward_a_smaller_actual(a, b, target):
    small, large = sorted((a, b))
    for direction in ("lower", "shortfall"):
        assert one(direction, small, target, cap=1.0) >= one(direction, large, target, cap=1.0)


def test_three_level_classification_boundaries():
    minimums = [1.0, 0.5, 0.0]
    ratios = np.array([1.0, 1.3, 0.999, 0.5, 0.4999, 0.0, np.nan])
    assert classify(ratios, minimums).tolist() == [0, 0, 1, 1, 2, 2, -1]
