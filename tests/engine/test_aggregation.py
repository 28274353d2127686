"""Panel aggregation registry: mean, median, trimmed mean, and the sd beside them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from seonggwa.engine import aggregation_names, get_aggregation, register_aggregation
from seonggwa.engine.aggregation import panel_count, panel_sd

NAN = np.nan


def combine(name, rows):
    values = np.array(rows, dtype=np.float64)
    return get_aggregation(name).func(values, panel_count(values))


def test_registry_holds_the_declared_methods():
    assert {"mean", "median", "trimmed_mean"} <= set(aggregation_names())
    assert get_aggregation("trimmed_mean").min_count == 3
    with pytest.raises(KeyError, match="unknown aggregation method 'mode'"):
        get_aggregation("mode")


def test_hand_worked_values():
    # 7 members: 5 4 4 3 5 4 2 -> mean 27/7; median 4; trimmed drops one 5 and the 2: 20/5 = 4
    rows = [[5, 4, 4, 3, 5, 4, 2]]
    assert combine("mean", rows)[0] == pytest.approx(27 / 7)
    assert combine("median", rows)[0] == 4
    assert combine("trimmed_mean", rows)[0] == 4
    # even count median = mean of the two middle ratings
    assert combine("median", [[1, 2, 4, 5]])[0] == 3


def test_missing_ratings_are_skipped_not_zero():
    rows = [[5, NAN, 5, NAN, 5]]
    assert combine("mean", rows)[0] == 5
    assert combine("median", rows)[0] == 5
    assert combine("trimmed_mean", rows)[0] == 5


def test_too_few_ratings_give_nan():
    assert np.isnan(combine("trimmed_mean", [[4, 5, NAN]])[0])
    assert np.isnan(combine("mean", [[NAN, NAN]])[0])
    assert np.isnan(combine("median", [[NAN, NAN]])[0])


def test_sd_population_and_sample():
    values = np.array([[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]])
    count = panel_count(values)
    assert panel_sd(values, count)[0] == pytest.approx(2.0)
    assert panel_sd(values, count, ddof=1)[0] == pytest.approx(np.std(values, ddof=1))
    assert np.isnan(panel_sd(np.array([[3.0, NAN]]), np.array([1]), ddof=1)[0])


def test_a_registered_method_is_usable_by_frameworks():
    from seonggwa.engine import framework_from_dict, score_subject

    register_aggregation("maximum", lambda v, c: np.where(c > 0, np.fmax.reduce(v, axis=-1),
                                                          np.nan), description="highest")
    framework = framework_from_dict({
        "id": "max", "version": "1", "title": "max", "total": 10,
        "panel": {"method": "maximum"},
        "areas": [{"code": "a", "name": "a", "indicators": [
            {"code": "x", "name": "x", "kind": "rating", "points": 10,
             "scale": {"min": 0, "max": 10, "conversion": "ratio"}}]}]})
    assert score_subject(framework, "s", ratings={"x": [3, 9, 4]}).total == 9


panels = hnp.arrays(
    np.float64, st.tuples(st.integers(1, 6), st.integers(3, 9)),
    elements=st.one_of(st.just(NAN), st.integers(1, 5).map(float),
                       st.floats(0, 100, allow_nan=False)),
)


@given(panels)
def test_every_method_stays_within_min_and_max(values):
    count = panel_count(values)
    lowest = np.where(count > 0, np.fmin.reduce(values, axis=-1), NAN)
    highest = np.where(count > 0, np.fmax.reduce(values, axis=-1), NAN)
    for name in ("mean", "median", "trimmed_mean"):
        result = get_aggregation(name).func(values, count)
        defined = ~np.isnan(result)
        assert np.all(result[defined] >= lowest[defined] - 1e-9)
        assert np.all(result[defined] <= highest[defined] + 1e-9)
        assert np.all(defined == (count >= get_aggregation(name).min_count))


@given(panels, st.randoms(use_true_random=False))
def test_permutation_invariance(values, rnd):
    order = list(range(values.shape[1]))
    rnd.shuffle(order)
    shuffled = values[:, order]
    for name in ("mean", "median", "trimmed_mean"):
        func = get_aggregation(name).func
        # equal up to float rounding of the sum (sum - max - min cancels absolutely)
        np.testing.assert_allclose(func(values, panel_count(values)),
                                   func(shuffled, panel_count(shuffled)), rtol=1e-12,
                                   atol=1e-12)
    np.testing.assert_allclose(panel_sd(values, panel_count(values)),
                               panel_sd(shuffled, panel_count(shuffled)), rtol=1e-9, atol=1e-12)


@given(st.floats(0, 100, allow_nan=False), st.integers(3, 9))
def test_constant_panel_combines_to_the_constant_with_zero_sd(value, size):
    values = np.full((1, size), value)
    count = panel_count(values)
    for name in ("mean", "median", "trimmed_mean"):
        assert get_aggregation(name).func(values, count)[0] == pytest.approx(value, abs=1e-12)
    assert panel_sd(values, count)[0] == pytest.approx(0.0, abs=1e-9)


def test_float32_input_accumulates_in_float64():
    values = np.full((1, 7), 0.1, dtype=np.float32)
    result = get_aggregation("mean").func(values, panel_count(values))
    assert result.dtype == np.float64
    assert result[0] == pytest.approx(float(np.float32(0.1)), rel=1e-12)
