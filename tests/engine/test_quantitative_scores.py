"""Quantitative indicators: achievement against targets, in either input form."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from seonggwa.engine import BatchInput, score_batch

from .factories import DAY, INTEGER, MIXED, NAN, assert_same, full_batch, widen


@given(st.floats(0.01, 1000), st.floats(0.01, 1000))
def test_a_better_actual_never_lowers_the_total(a, b):
    small, large = sorted((a, b))
    _, actuals = full_batch(2)
    actuals[:, 4] = [small, large]  # H: higher is better
    actuals[:, 5] = [large, small]  # L: lower is better
    actuals[:, 6] = [large, small]  # F: should fall
    result = score_batch(MIXED, BatchInput(["worse", "better"], None, actuals), DAY)
    assert result.total[0] <= result.total[1] + 1e-12
    assert np.all(result.indicator_points[0, 4:] <= result.indicator_points[1, 4:] + 1e-12)


def test_compact_quantities_equal_the_wide_form():
    ratings = np.full((2, 3, 3), 4, dtype=np.int16)
    actuals = np.array([[90.0, 5.0, 60.0], [120.0, 0.0, NAN]])
    targets = np.array([[100.0, 4.0, 50.0], [NAN, 4.0, 50.0]])
    compact = score_batch(INTEGER, BatchInput(["a", "b"], actuals=actuals, targets=targets,
                                              ratings=ratings, no_rating=-1), DAY)
    wide = score_batch(INTEGER, BatchInput(["a", "b"], actuals=widen(INTEGER, actuals),
                                           targets=widen(INTEGER, targets), ratings=ratings,
                                           no_rating=-1), DAY)
    assert_same(compact, wide)
    assert compact.achievement[1, 4] == 1.0  # zero delays: the best result, capped
