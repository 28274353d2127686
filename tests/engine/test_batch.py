"""score_batch end to end, and what a BatchResult reads back."""

from __future__ import annotations

import numpy as np
import pytest

from seonggwa.engine import BatchInput, framework_from_dict, score_batch, score_subject

from .factories import DAY, MARCH_DAY, NAN, K, coded


def test_hand_worked_mixed_subject(mixed):
    # R1 ratings 5,4,3,4 -> trimmed mean (4+4)/2 = 4 -> (4-1)/4 * 20 = 15
    # R2 ratings 5,5,3   -> table 1.0,1.0,0.6 -> trimmed 1.0 -> 20
    # SV survey 80,90,70 -> trimmed 80 -> 80/100 * 10 = 8
    # D direct 7,8,9     -> trimmed 8 -> 8
    # H 90 of 100 -> 0.9 * 15 = 13.5;  L actual 5 vs 4 -> 0.8 * 15 = 12
    # F shortfall actual 60 vs 50 -> 2 - 1.2 = 0.8 * 10 = 8
    # total = 15 + 20 + 8 + 8 + 13.5 + 12 + 8 = 84.5 -> band 우수; 2023 policy p75: 유지
    result = score_subject(
        mixed, "S1",
        ratings={"R1": [5, 4, 3, 4], "R2": ["5", 5, 3], "SV": [80, 90, 70], "D": [7, 8, 9]},
        actuals={"H": 90, "L": 5, "F": 60}, on_date=DAY)
    points = {ind.code: ind.points for ind in result.indicators}
    assert points == pytest.approx({"R1": 15, "R2": 20, "SV": 8, "D": 8, "H": 13.5, "L": 12,
                                    "F": 8})
    assert result.total == pytest.approx(84.5)
    assert result.band_label == "우수"
    assert result.decision == "유지"
    assert result.policy_id == "p75"
    assert (result.framework_id, result.framework_version) == ("test-mixed", "1")
    area = {a.code: a.points for a in result.areas}
    assert area == pytest.approx({"qual": 51, "quant": 33.5})


def test_results_carry_the_code_and_both_labels(mixed_doc):
    framework = framework_from_dict(coded(mixed_doc))
    values = np.full((3, len(framework.indicators), 3), np.nan)
    d = framework.indicator_index["D"]
    values[:, d, :] = np.array([5.0, 7.0, 9.0])[:, None]
    na = np.ones((3, len(framework.indicators)), dtype=bool)
    na[:, d] = False
    result = score_batch(framework, BatchInput(["a", "b", "c"], values, not_applicable=na),
                         MARCH_DAY)
    assert result.decision_codes() == ["exclude", "exclude", "keep"]
    assert result.decision_labels() == ["배제", "배제", "유지"]
    assert result.decision_labels("en") == ["Excluded", "Excluded", "유지"]
    subject = result.subject(0)
    assert (subject.decision, subject.decision_label, subject.decision_label_en) == (
        "exclude", "배제", "Excluded")
    data = subject.to_dict()
    assert (data["decision"], data["decision_label"], data["decision_label_en"]) == (
        "exclude", "배제", "Excluded")
    assert data["policy_id"] == "p75" and data["policy_threshold"] == 75
    assert "decision 배제 (exclude)" in subject.explain()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_large_batch_is_vectorised_and_dtype_agnostic(mixed, dtype):
    rng = np.random.default_rng(7)
    n, p = 2000, 7
    values = np.full((n, K, p), NAN, dtype=dtype)
    values[:, :2, :] = rng.integers(1, 6, size=(n, 2, p))
    values[:, 2, :] = rng.integers(0, 101, size=(n, p))
    values[:, 3, :] = rng.integers(0, 11, size=(n, p))
    actuals = np.full((n, K), NAN)
    actuals[:, 4:] = rng.uniform(1, 150, size=(n, 3))
    result = score_batch(mixed, BatchInput([str(i) for i in range(n)], values, actuals), DAY)
    assert result.total.shape == (n,) and result.indicator_points.shape == (n, K)
    assert result.area_points.shape == (n, 2)
    assert np.all((result.total >= 0) & (result.total <= 100))
    assert np.all(result.band_index >= 0)
    reference = score_batch(mixed, BatchInput([str(i) for i in range(n)],
                                              values.astype(np.float64), actuals), DAY)
    np.testing.assert_allclose(result.total, reference.total, rtol=1e-6)
