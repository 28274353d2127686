"""Manual classifications need a reason; the missing-data rules."""

from __future__ import annotations

import pytest

from seonggwa.engine import (
    BatchInput,
    ClassOverride,
    ScoringError,
    framework_from_dict,
    score_batch,
    score_subject,
)

from .factories import full_batch


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
