"""Area points and the total: not applicable is left out and rebased, never a zero."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seonggwa.engine import BatchInput, framework_from_dict, score_batch, score_subject

from .factories import DAY, MIXED, K, mixed_inputs


def test_not_applicable_is_left_out_and_the_total_rebased(mixed):
    ratings = {"R1": [5, 5, 5], "R2": [5, 5, 5], "SV": [100] * 3, "D": [10] * 3}
    actuals = {"H": 100, "L": 4}
    # F (10 points) not applicable: 90 earned of 90 counted -> rebased to 100, not 90
    result = score_subject(mixed, "S", ratings=ratings, actuals=actuals, not_applicable=["F"],
                           on_date=DAY)
    f = result.indicators[-1]
    assert f.points is None and f.status == "not_applicable"
    assert result.max_points == 90
    assert result.total == pytest.approx(100.0)
    zero = score_subject(mixed, "S", ratings=ratings, actuals={**actuals, "F": 1000},
                         on_date=DAY)
    assert zero.total == pytest.approx(90.0)  # a zero is a zero; N/A is not


def test_rebase_none_and_area(mixed_doc):
    mixed_doc["not_applicable"] = {"rebase": "none"}
    framework = framework_from_dict(mixed_doc)
    result = score_subject(framework, "S", actuals={"H": 100, "L": 4, "F": 50},
                           not_applicable=["R1", "R2", "SV", "D"])
    assert result.total == pytest.approx(40) and result.max_points == 40
    mixed_doc["not_applicable"] = {"rebase": "area"}
    framework = framework_from_dict(mixed_doc)
    result = score_subject(framework, "S", ratings={"R1": [5, 5, 5], "R2": [1, 1, 1]},
                           actuals={"H": 100, "L": 4, "F": 50}, not_applicable=["SV", "D"])
    # qual area: 20 of 40 counted -> rebased to 30 of 60; quant 40 -> total 70
    assert {a.code: a.points for a in result.areas} == pytest.approx({"qual": 30, "quant": 40})
    assert result.total == pytest.approx(70)


MIXED_POINTS = np.array([ind.points for ind in MIXED.indicators])


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_inputs(), st.integers(0, K - 1))
def test_not_applicable_is_never_counted_as_zero(batch, column):
    na = batch.not_applicable.copy()
    na[:, column] = True
    result = score_batch(MIXED, BatchInput(batch.subject_ids, batch.values, batch.actuals,
                                           not_applicable=na), DAY)
    assert np.all(np.isnan(result.indicator_points[:, column]))
    assert np.all(result.status[:, column] == 1)
    counted = ~np.isnan(result.indicator_points)
    expected_max = (counted * MIXED_POINTS).sum(axis=1)
    np.testing.assert_allclose(result.max_points, expected_max)
    earned = np.nansum(result.indicator_points, axis=1)
    has_any = counted.any(axis=1)
    np.testing.assert_allclose(result.total[has_any],
                               earned[has_any] / expected_max[has_any] * 100, rtol=1e-12,
                               atol=1e-9)
