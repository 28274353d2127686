"""A subject's result: provenance, JSON, explanation, the scale of the total."""

from __future__ import annotations

import pytest

from seonggwa.engine import load_preset, score_subject

from .factories import DAY, MARCH_DAY


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


def test_rescaled_total_states_its_scale():
    # Outsourcing: the survey does not apply -> 24 + 40 = 64 of 80 -> 80.00 of 100
    framework = load_preset("seoul-outsourcing")
    result = score_subject(framework, "svc", ratings={"C": [24], "I": [40.15]},
                           not_applicable=["S"], on_date=MARCH_DAY)
    assert result.total_rounded == pytest.approx(80.19, abs=1e-9)  # 64.15 / 80 x 100
    assert (result.scale_max, result.counted_max, result.rescaled) == (100, 80, True)
    assert result.counted_points == pytest.approx(64.15)
    assert result.max_points == result.counted_max
    line = result.explain().splitlines()[0]
    assert "80.19 of 100 (rescaled from 64.15 of 80 applicable points)" in line
    assert "of 80.00" not in line
    data = result.to_dict()
    assert (data["scale_max"], data["counted_max"], data["rescaled"]) == (100, 80, True)
    whole = score_subject(framework, "svc", ratings={"C": [24], "I": [40], "S": [85]},
                          on_date=MARCH_DAY)
    assert (whole.counted_max, whole.rescaled) == (100, False)
    assert whole.explain().splitlines()[0].startswith("svc: 81.00 of 100, decision")
