"""Decision labels and adverse decisions, read from the framework documents
(seonggwa.evaluations.domain.decisions): one label function in both languages, the
adverse mark derived from each document without naming a code."""

from __future__ import annotations

import pytest
from django.utils import translation

from evaluations.factories import draft_round, legacy_result, service
from seonggwa.evaluations.domain import decisions
from seonggwa.evaluations.domain.frameworks import bundled_preset, preset_version
from seonggwa.evaluations.models import Result

OUTSOURCING = "seoul-outsourcing"
CIVIC = "seoul-civic-platform-2018"


def test_the_adverse_decision_is_the_one_a_policy_gives_below_its_threshold():
    assert decisions.adverse_codes(bundled_preset(OUTSOURCING)) == {"exclude"}
    assert decisions.adverse_codes(decisions.outsourcing_framework()) == {"exclude"}
    assert decisions.is_adverse("exclude") and not decisions.is_adverse("eligible")
    assert not decisions.is_adverse("")


def test_the_adverse_decision_of_a_graded_framework_is_its_lowest_bands():
    civic = bundled_preset(CIVIC)  # 미흡 (0–81) → 지원 중단
    assert decisions.adverse_codes(civic) == {"discontinue"}
    assert decisions.decision_view(civic, "discontinue").adverse
    assert not decisions.is_adverse("discontinue")  # not a decision of outsourcing


def test_a_framework_without_decisions_has_no_adverse_one():
    assert decisions.adverse_codes(bundled_preset("national-joint-evaluation-2020")) == set()


def test_a_decision_view_is_labelled_and_marked_from_the_document():
    framework = bundled_preset(OUTSOURCING)
    excluded = decisions.decision_view(framework, "exclude")
    eligible = decisions.decision_view(framework, "eligible")
    assert excluded.adverse and not eligible.adverse
    assert excluded.label == "재계약 배제" and str(eligible) == "재계약 심의 가능"
    with translation.override("en"):
        assert excluded.label == "Excluded from re-contract"
        assert excluded.label_in("ko") == "재계약 배제"
    with pytest.raises(KeyError):
        decisions.decision_view(framework, "keep")


def test_a_policy_decides_an_adverse_decision_below_its_threshold():
    p75 = decisions.get_policy("recontract-75")
    assert p75.decide("74.99").adverse and not p75.decide("75.00").adverse


@pytest.mark.parametrize("language, exclude, discontinue", [
    ("ko", "재계약 배제", "지원 중단"),
    ("en", "Excluded from re-contract", "Support discontinued"),
])
def test_one_decision_label_in_the_active_language(language, exclude, discontinue):
    with translation.override(language):
        assert decisions.decision_label("exclude") == exclude
        assert decisions.decision_label("discontinue", bundled_preset(CIVIC)) == discontinue
        assert decisions.decision_label("") == ""
        assert decisions.decision_label("keep") == "keep"  # unknown: shown as it is


def test_a_text_that_must_stay_korean_says_so():
    with translation.override("en"):
        assert decisions.decision_label("exclude", lang="ko") == "재계약 배제"
    assert decisions.decision_label("exclude", lang="en") == "Excluded from re-contract"


def test_the_decision_choices_are_the_documents_in_the_active_language():
    assert decisions.decision_choices() == [("exclude", "재계약 배제"),
                                            ("eligible", "재계약 심의 가능")]
    with translation.override("en"):
        assert decisions.decision_choices() == [
            ("exclude", "Excluded from re-contract"),
            ("eligible", "Eligible for re-contract review")]
    assert [c for c, _label in decisions.decision_choices(bundled_preset(CIVIC))] == [
        "discontinue"]


def test_adverse_results_are_read_per_framework_version(db):
    rnd = draft_round(2024)
    low, high = service("svc-low"), service("svc-high")
    legacy_result(low, rnd, "60.00", status="draft")
    legacy_result(high, rnd, "90.00", status="draft")
    Result.objects.filter(service=low).update(decision_code="exclude")
    Result.objects.filter(service=high).update(decision_code="eligible")
    assert list(decisions.adverse_results(Result.objects.all())) == [
        Result.objects.get(service=low)]
    # "exclude" means nothing to a framework that does not declare it adverse
    civic = preset_version(CIVIC)
    Result.objects.filter(service=low).update(framework_version=civic)
    assert not decisions.adverse_results(Result.objects.all()).exists()
