"""Bands, policies and the decision vocabulary are checked, each error naming the field."""

from __future__ import annotations

from seonggwa.engine import DecisionDef, score_subject

from .factories import MARCH_DAY, coded, reject


def test_overlapping_bands(mixed_doc):
    mixed_doc["bands"][1]["lower"] = 55
    reject(mixed_doc, "bands[1].lower", "overlaps", "'low'")


def test_gapped_bands(mixed_doc):
    mixed_doc["bands"][2]["lower"] = 81
    reject(mixed_doc, "bands[2].lower", "gap between 80 and 81")


def test_bands_must_cover_the_whole_range(mixed_doc):
    mixed_doc["bands"][2]["upper"] = 90
    reject(mixed_doc, "bands[2].upper", "scores reach 100")
    mixed_doc["bands"][2]["upper"] = 100
    mixed_doc["bands"][0]["lower"] = 10
    reject(mixed_doc, "bands[0].lower", "starts at 10")


def test_empty_band(mixed_doc):
    mixed_doc["bands"][0]["upper"] = 0
    reject(mixed_doc, "bands[0].upper", "must exceed lower")


def test_policies_with_overlapping_effective_dates(mixed_doc):
    mixed_doc["policies"][1]["effective_from"] = "2021-06-01"
    reject(mixed_doc, "policies[1].effective_from", "overlaps policy 'p60'")


def test_open_ended_policy_followed_by_another_overlaps(mixed_doc):
    del mixed_doc["policies"][0]["effective_to"]
    reject(mixed_doc, "policies[1].effective_from", "open-ended")


def test_policy_threshold_needs_a_decision_and_a_date(mixed_doc):
    del mixed_doc["policies"][0]["below"]
    reject(mixed_doc, "policies[0].below", "needs the decision")
    mixed_doc["policies"][0]["below"] = "배제"
    mixed_doc["policies"][0]["effective_from"] = "2018-13-01"
    reject(mixed_doc, "policies[0].effective_from", "YYYY-MM-DD")


def test_unknown_decision_codes_are_refused_with_the_field(mixed_doc):
    doc = coded(mixed_doc)
    doc["policies"][0]["below"] = "foo"
    reject(doc, "policies[0].below", "unknown decision code 'foo'",
           "(declared: review, exclude, keep)")
    doc = coded(mixed_doc)
    doc["policies"][1]["otherwise"] = "유지"  # a label is not a code
    reject(doc, "policies[1].otherwise", "unknown decision code '유지'")
    doc = coded(mixed_doc)
    doc["bands"][0]["decision"] = "재검토"
    reject(doc, "bands[0].decision", "unknown decision code '재검토'")


def test_decision_entries_are_checked(mixed_doc):
    doc = coded(mixed_doc)
    doc["decisions"].append({"code": "keep", "label": "또 유지"})
    reject(doc, "decisions[3].code", "duplicate decision code 'keep'", "decisions[2]")
    doc = coded(mixed_doc)
    del doc["decisions"][0]["label"]
    reject(doc, "decisions[0].label", "required")
    doc = coded(mixed_doc)
    doc["decisions"][0]["code"] = "no spaces"
    reject(doc, "decisions[0].code", "invalid code")
    doc = coded(mixed_doc)
    doc["decisions"][0]["colour"] = "red"
    reject(doc, "decisions[0].colour", "unknown field")
    doc = coded(mixed_doc)
    doc["decisions"] = {"keep": "유지"}
    reject(doc, "decisions", "expected a list")


def test_legacy_documents_use_each_text_as_code_and_label(mixed):
    assert mixed.decision_codes == ("", "재검토", "배제", "유지")
    assert mixed.decision_labels == mixed.decision_codes
    assert mixed.decisions[1] == DecisionDef("배제", "배제", None)
    result = score_subject(mixed, "S", ratings={"D": [5, 5, 5]}, not_applicable=[
        c for c in mixed.indicator_codes if c != "D"], on_date=MARCH_DAY)
    assert (result.decision, result.decision_label, result.decision_label_en) == (
        "배제", "배제", "배제")
