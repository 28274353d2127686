"""Batch scoring over arrays; the single-subject call is the batch call with one row."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seonggwa.engine import (
    BatchInput,
    ClassOverride,
    FrameworkError,
    ScoringError,
    framework_from_dict,
    score_batch,
    score_subject,
)
from seonggwa.engine.decisions import band_indices

from .conftest import mixed_document

NAN = np.nan
DAY = dt.date(2023, 1, 1)
MIXED = framework_from_dict(mixed_document())
K = len(MIXED.indicators)


def full_batch(n, p=3):
    values = np.full((n, K, p), NAN)
    actuals = np.full((n, K), NAN)
    return values, actuals


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


def test_labels_are_accepted_for_ratings(mixed):
    by_label = score_subject(mixed, "S", ratings={"R1": ["탁월", "우수", "보통"]})
    by_value = score_subject(mixed, "S", ratings={"R1": [5, 4, 3]})
    assert by_label.total == by_value.total


def test_sd_is_reported_in_points_beside_the_combined_score(mixed):
    result = score_subject(mixed, "S", ratings={"R1": [1, 3, 5]})
    r1 = result.indicators[0]
    # ratings 1,3,5: population sd = sqrt(8/3) scale units; 1 unit = 20/4 = 5 points
    assert r1.sd == pytest.approx(np.sqrt(8 / 3) * 5)
    assert r1.panel_count == 3


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


def test_missing_rules(mixed_doc):
    data = {"ratings": {"R1": [5, 5, 5], "R2": [5, 5], "SV": [100] * 3, "D": [10] * 3},
            "actuals": {"H": 100, "L": 4, "F": 50}}
    # R2 has 2 ratings, fewer than min_panel 3
    excluded = score_subject(framework_from_dict(mixed_doc), "S", **data)
    assert excluded.indicators[1].status == "missing_excluded"
    assert excluded.total == pytest.approx(100)
    mixed_doc["missing"] = "zero"
    zero = score_subject(framework_from_dict(mixed_doc), "S", **data)
    assert zero.indicators[1].status == "missing_zero" and zero.total == pytest.approx(80)
    mixed_doc["missing"] = "error"
    with pytest.raises(ScoringError) as info:
        score_subject(framework_from_dict(mixed_doc), "S", **data)
    assert info.value.subject == "S" and info.value.indicator == "R2"


def decision_for(doc, total, decide_on, day=DAY):
    doc["rounding"] = {"decimals": 2, "mode": "half_up", "decide_on": decide_on}
    doc.pop("bands")
    doc["areas"] = [{"code": "a", "name": "a", "indicators": [
        {"code": "x", "name": "x", "kind": "direct", "points": 100}]}]
    framework = framework_from_dict(doc)
    return score_subject(framework, "S", ratings={"x": [total, total, total]}, on_date=day)


def test_decide_on_rounded_versus_raw(mixed_doc):
    import copy

    rounded = decision_for(copy.deepcopy(mixed_doc), 74.995, "rounded")
    assert rounded.total_rounded == 75.00
    assert rounded.decision == "유지"  # 75.00 is not below 75
    raw = decision_for(copy.deepcopy(mixed_doc), 74.995, "raw")
    assert raw.total_rounded == 75.00
    assert raw.decision == "배제"  # the raw 74.995 is below 75


def test_policy_follows_the_date(mixed_doc):
    import copy

    for day, policy, decision in [(dt.date(2019, 5, 1), "p60", "유지"),
                                  (dt.date(2021, 12, 31), "p60", "유지"),
                                  (dt.date(2022, 1, 1), "p75", "배제")]:
        result = decision_for(copy.deepcopy(mixed_doc), 70, "rounded", day)
        assert (result.policy_id, result.decision) == (policy, decision)
    with pytest.raises(FrameworkError, match="no policy in force on 2017-01-01"):
        decision_for(copy.deepcopy(mixed_doc), 70, "rounded", dt.date(2017, 1, 1))


def test_policy_threshold_wins_over_band_decision_and_otherwise_fills_in(mixed):
    values, actuals = full_batch(3)
    values[:, 3, :] = np.array([5.0, 7.0, 9.0])[:, None]  # direct D only (others N/A)
    na = np.ones((3, K), dtype=bool)
    na[:, 3] = False
    result = score_batch(mixed, BatchInput(["a", "b", "c"], values, actuals, not_applicable=na),
                         DAY)
    # D alone, rebased: 50, 70, 90 -> bands 미흡(재검토) / 보통 / 우수; policy p75 below 75 -> 배제
    assert result.total.tolist() == pytest.approx([50, 70, 90])
    assert result.band_labels() == ["미흡", "보통", "우수"]
    assert result.decision_labels() == ["배제", "배제", "유지"]
    assert result.rank.tolist() == [3, 2, 1]


def test_classification_override_needs_a_reason(mixed):
    _, actuals = full_batch(1)
    actuals[0, 4] = 40  # H at 40 % -> 미달성
    batch = BatchInput(["S"], None, actuals)
    assert score_batch(mixed, batch).subject(0).indicators[4].classification == "미달성"
    override = BatchInput(["S"], None, actuals,
                          overrides=(ClassOverride(0, "H", "달성", "조기달성: '17년에 100% 달성"),))
    h = score_batch(mixed, override).subject(0).indicators[4]
    assert (h.classification, h.classification_reason) == ("달성", "조기달성: '17년에 100% 달성")
    assert h.points == pytest.approx(6.0)  # classification does not change proportional points
    for reason in ("", "   "):
        with pytest.raises(ScoringError, match="non-empty reason"):
            score_batch(mixed, BatchInput(["S"], None, actuals,
                                          overrides=(ClassOverride(0, "H", "달성", reason),)))


def test_array_errors_name_subject_and_indicator(mixed):
    values, actuals = full_batch(2)
    values[1, 0, 2] = 6  # R1 scale is 1-5
    with pytest.raises(ScoringError) as info:
        score_batch(mixed, BatchInput(["a", "b"], values, actuals))
    assert (info.value.subject, info.value.indicator, info.value.member) == ("b", "R1", 2)
    values[1, 0, 2] = 3.5  # off the steps
    with pytest.raises(ScoringError, match="steps of 1"):
        score_batch(mixed, BatchInput(["a", "b"], values, actuals))
    values[1, 0, 2] = NAN
    values[0, 4, 0] = 3  # a panel value for a quantitative indicator
    with pytest.raises(ScoringError, match="quantitative"):
        score_batch(mixed, BatchInput(["a", "b"], values, actuals))
    with pytest.raises(ScoringError, match="shape"):
        score_batch(mixed, BatchInput(["a", "b"], values, actuals[:, :3]))


def test_results_carry_provenance_and_explain(mixed):
    result = score_subject(mixed, "S", ratings={"R1": [4, 4, 4]}, on_date=DAY)
    data = result.to_dict()
    assert data["framework_id"] == "test-mixed" and data["policy_id"] == "p75"
    assert data["framework_fingerprint"] == mixed.fingerprint
    assert [i["code"] for i in data["indicators"]] == list(mixed.indicator_codes)
    assert data["indicators"][2]["points"] is None  # JSON-ready: no NaN
    text = result.explain()
    assert "test-mixed v1" in text and "policy p75" in text and "R1 rating linear" in text
    assert "(value - 1) / (5 - 1) x points" in text


# --------------------------------------------------------------------------- properties

rating = st.one_of(st.just(NAN), st.integers(1, 5).map(float))


@st.composite
def mixed_inputs(draw):
    n = draw(st.integers(1, 5))
    p = draw(st.integers(1, 5))
    values = np.full((n, K, p), NAN)
    for column, kind in enumerate(ind.kind for ind in MIXED.indicators):
        for row in range(n):
            for slot in range(p):
                if kind == "rating":
                    values[row, column, slot] = draw(rating)
                elif kind == "survey":
                    values[row, column, slot] = draw(st.one_of(st.just(NAN), st.floats(0, 100)))
                elif kind == "direct":
                    values[row, column, slot] = draw(st.one_of(st.just(NAN), st.floats(0, 10)))
    actuals = np.array(draw(st.lists(st.lists(st.one_of(st.just(NAN), st.floats(0.1, 500)),
                                              min_size=K, max_size=K),
                                     min_size=n, max_size=n)))
    actuals[:, :4] = NAN
    na = np.array(draw(st.lists(st.lists(st.booleans(), min_size=K, max_size=K),
                                min_size=n, max_size=n)))
    return BatchInput([f"s{i}" for i in range(n)], values, actuals, not_applicable=na)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_inputs())
def test_batch_equals_single_subject(batch):
    result = score_batch(MIXED, batch, DAY)
    for row, subject in enumerate(batch.subject_ids):
        ratings = {code: [v for v in batch.values[row, c].tolist() if not np.isnan(v)]
                   for c, code in enumerate(MIXED.indicator_codes) if c < 4}
        actuals = {code: batch.actuals[row, c] for c, code in enumerate(MIXED.indicator_codes)
                   if c >= 4}
        na = [code for c, code in enumerate(MIXED.indicator_codes)
              if batch.not_applicable[row, c]]
        single = score_subject(MIXED, subject, ratings=ratings, actuals=actuals,
                               not_applicable=na, on_date=DAY)
        batched = result.subject(row)
        assert single.total == batched.total or (single.total is None and batched.total is None)
        assert single.total_rounded == batched.total_rounded
        assert single.band == batched.band and single.decision == batched.decision
        assert [i.points for i in single.indicators] == [i.points for i in batched.indicators]


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


MIXED_POINTS = np.array([ind.points for ind in MIXED.indicators])


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


@given(st.floats(0, 100))
def test_every_score_in_range_maps_to_exactly_one_band(score):
    index = int(band_indices(MIXED, np.array([score]))[0])
    containing = [i for i, band in enumerate(MIXED.bands)
                  if band.lower <= score < band.upper
                  or (i == len(MIXED.bands) - 1 and score == band.upper)]
    assert containing == [index]


def test_band_edges_are_half_open(mixed):
    scores = np.array([0, 59.99, 60, 79.999, 80, 100, 100.01, NAN])
    assert band_indices(mixed, scores).tolist() == [0, 0, 1, 1, 2, 2, -1, -1]


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
