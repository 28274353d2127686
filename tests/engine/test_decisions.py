"""Grade bands and decisions: half-open bands, the policy by date, rounded or raw totals,
the decision order, decisions for totals computed elsewhere."""

from __future__ import annotations

import copy
import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from seonggwa.engine import (
    BatchInput,
    FrameworkError,
    framework_from_dict,
    load_preset,
    score_batch,
    score_subject,
)
from seonggwa.engine.decisions import band_indices

from .factories import DAY, MARCH_DAY, MIXED, NAN, K, full_batch


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


def decision_for(doc, total, decide_on, day=DAY):
    doc["rounding"] = {"decimals": 2, "mode": "half_up", "decide_on": decide_on}
    doc.pop("bands")
    doc["areas"] = [{"code": "a", "name": "a", "indicators": [
        {"code": "x", "name": "x", "kind": "direct", "points": 100}]}]
    framework = framework_from_dict(doc)
    return score_subject(framework, "S", ratings={"x": [total, total, total]}, on_date=day)


def test_decide_on_rounded_versus_raw(mixed_doc):

    rounded = decision_for(copy.deepcopy(mixed_doc), 74.995, "rounded")
    assert rounded.total_rounded == 75.00
    assert rounded.decision == "유지"  # 75.00 is not below 75
    raw = decision_for(copy.deepcopy(mixed_doc), 74.995, "raw")
    assert raw.total_rounded == 75.00
    assert raw.decision == "배제"  # the raw 74.995 is below 75


def test_policy_follows_the_date(mixed_doc):

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


def test_decide_totals_matches_score_batch():
    from seonggwa.engine import decide_totals

    framework = load_preset("seoul-outsourcing-published-total")
    totals = [70.0, 74.995, 74.99, 59.99]
    codes = [framework.decision_codes[i]
             for i in decide_totals(framework, totals, on_date=MARCH_DAY).tolist()]
    assert codes == ["exclude", "eligible", "exclude", "exclude"]
    old = decide_totals(framework, totals, on_date=dt.date(2020, 1, 1))
    assert [framework.decision_codes[i] for i in old.tolist()] == [
        "eligible", "eligible", "eligible", "exclude"]
    values = np.array(totals)[:, None, None]
    scored = score_batch(framework, BatchInput(["a", "b", "c", "d"], values), MARCH_DAY)
    assert scored.decision_codes() == codes
