"""The framework model: indicator order, the decision vocabulary, the fingerprint."""

from __future__ import annotations

import pytest

from seonggwa.engine import DecisionDef, framework_from_dict

from .factories import coded


def test_valid_document_builds_indicators_in_document_order(mixed):
    assert mixed.indicator_codes == ("R1", "R2", "SV", "D", "H", "L", "F")
    assert mixed.area_codes == ("qual", "quant")
    assert mixed.score_range == (0.0, 100.0)
    assert mixed.decision_labels == ("", "재검토", "배제", "유지")


def test_declared_vocabulary(mixed_doc):
    framework = framework_from_dict(coded(mixed_doc))
    assert framework.decisions == (DecisionDef("review", "재검토", "Review"),
                                   DecisionDef("exclude", "배제", "Excluded"),
                                   DecisionDef("keep", "유지", None))
    assert framework.decision_codes == ("", "review", "exclude", "keep")
    assert framework.decision_labels == ("", "재검토", "배제", "유지")
    assert framework.decision_def("exclude").label_en == "Excluded"
    assert framework.decision_label("exclude") == "배제"
    assert framework.decision_label("exclude", lang="en") == "Excluded"
    assert framework.decision_label("keep", lang="en") == "유지"  # falls back to Korean
    assert framework.decision_label("") == ""
    with pytest.raises(KeyError, match="unknown decision code 'nope'"):
        framework.decision_def("nope")


def test_fingerprint_identifies_the_document(mixed_doc):
    first = framework_from_dict(mixed_doc)
    same = framework_from_dict(mixed_doc)
    mixed_doc["bands"][0]["decision"] = "다른 결정"
    changed = framework_from_dict(mixed_doc)
    assert first.fingerprint == same.fingerprint != changed.fingerprint
