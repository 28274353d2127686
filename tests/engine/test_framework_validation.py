"""Framework documents are validated and every error names the field and the reason."""

from __future__ import annotations

import pytest

from seonggwa.engine import FrameworkError, framework_from_dict, load_framework


def reject(doc, field, *reason_parts):
    with pytest.raises(FrameworkError) as info:
        framework_from_dict(doc, source="plan.yaml")
    error = info.value
    assert error.field == field, str(error)
    for part in reason_parts:
        assert part in error.reason, str(error)
    assert str(error).startswith(f"plan.yaml: {field}: ")
    assert isinstance(error, ValueError)
    return error


def test_valid_document_builds_indicators_in_document_order(mixed):
    assert mixed.indicator_codes == ("R1", "R2", "SV", "D", "H", "L", "F")
    assert mixed.area_codes == ("qual", "quant")
    assert mixed.score_range == (0.0, 100.0)
    assert mixed.decision_labels == ("", "재검토", "배제", "유지")


def test_points_not_summing_to_total(mixed_doc):
    mixed_doc["areas"][1]["indicators"][2]["points"] = 5
    reject(mixed_doc, "areas", "sum to 95", "expected 100")


def test_weights_not_summing_to_weight_total():
    doc = {"id": "w", "version": "1", "title": "w", "total": 100, "weighting": "weights",
           "areas": [{"code": "a", "name": "a", "indicators": [
               {"code": "x", "name": "x", "kind": "quantitative", "direction": "higher",
                "weight": 60},
               {"code": "y", "name": "y", "kind": "quantitative", "direction": "lower",
                "weight": 30}]}]}
    reject(doc, "areas", "weights sum to 90", "expected 100")


def test_total_check_can_be_declared_off(mixed_doc):
    mixed_doc["areas"][1]["indicators"][2]["points"] = 5
    mixed_doc["validate_total"] = False
    mixed_doc.pop("bands")  # bands must still cover the (now 95-point) range
    assert framework_from_dict(mixed_doc).score_range == (0.0, 95.0)


def test_declared_area_points_must_match_indicators(mixed_doc):
    mixed_doc["areas"][0]["points"] = 55
    reject(mixed_doc, "areas[0].points", "declared 55", "give 60")


def test_unknown_kind(mixed_doc):
    mixed_doc["areas"][1]["indicators"][3 - 1]["kind"] = "guess"
    reject(mixed_doc, "areas[1].indicators[2].kind", "unknown value 'guess'", "quantitative")


def test_missing_required_field(mixed_doc):
    del mixed_doc["areas"][0]["indicators"][3]["points"]
    reject(mixed_doc, "areas[0].indicators[3].points", "required")


def test_unknown_field_is_a_typo_not_ignored(mixed_doc):
    mixed_doc["areas"][0]["indicators"][0]["pionts"] = 20
    reject(mixed_doc, "areas[0].indicators[0].pionts", "unknown field")


def test_duplicate_indicator_codes(mixed_doc):
    mixed_doc["areas"][1]["indicators"][0]["code"] = "R1"
    reject(mixed_doc, "areas[1].indicators[0].code", "duplicate indicator code 'R1'",
           "areas[0].indicators[0]")


def test_duplicate_area_codes(mixed_doc):
    mixed_doc["areas"][1]["code"] = "qual"
    reject(mixed_doc, "areas[1].code", "duplicate area code")


@pytest.mark.parametrize("scale, field, reason", [
    ({"min": 5, "max": 1}, "scales.five.max", "must exceed min"),
    ({"min": 1, "max": 5, "step": 3}, "scales.five.step", "does not divide"),
    ({"min": 1, "max": 5, "conversion": "cubic"}, "scales.five.conversion", "unknown value"),
    ({"min": 1, "max": 5, "step": 1, "labels": {7: "대박"}}, "scales.five.labels.7",
     "not on the scale"),
    ({"min": 1, "max": 5, "conversion": "table", "table": {1: 0.5, 2: 0.2}},
     "scales.five.table", "must not decrease"),
    ({"min": 1, "max": 5, "conversion": "table", "table": {1: 0, 5: 1.5}},
     "scales.five.table.5", "[0, 1]"),
])
def test_scale_problems(mixed_doc, scale, field, reason):
    mixed_doc["scales"]["five"] = scale
    reject(mixed_doc, field, reason)


def test_rating_without_scale_and_unknown_named_scale(mixed_doc):
    mixed_doc["areas"][0]["indicators"][0]["scale"] = "seven"
    reject(mixed_doc, "areas[0].indicators[0].scale", "unknown scale 'seven'")
    del mixed_doc["areas"][0]["indicators"][0]["scale"]
    reject(mixed_doc, "areas[0].indicators[0].scale", "needs a scale")


def test_quantitative_needs_direction_and_positive_target(mixed_doc):
    del mixed_doc["areas"][1]["indicators"][0]["direction"]
    reject(mixed_doc, "areas[1].indicators[0].direction", "required")
    mixed_doc["areas"][1]["indicators"][0]["direction"] = "higher"
    mixed_doc["areas"][1]["indicators"][0]["target"] = 0
    reject(mixed_doc, "areas[1].indicators[0].target", "greater than 0")


def test_cap_below_one_is_rejected(mixed_doc):
    mixed_doc["areas"][1]["indicators"][0]["cap"] = 0.9
    reject(mixed_doc, "areas[1].indicators[0].cap", "unreachable")


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


def test_min_panel_too_small_for_trimmed_mean(mixed_doc):
    mixed_doc["panel"]["min_panel"] = 2
    reject(mixed_doc, "panel.min_panel", "trimmed_mean needs at least 3")


def test_unknown_aggregation_method(mixed_doc):
    mixed_doc["panel"]["method"] = "mode"
    reject(mixed_doc, "panel.method", "unknown value 'mode'", "trimmed_mean")


def test_decide_on_and_rounding_values(mixed_doc):
    mixed_doc["rounding"] = {"decimals": 2, "decide_on": "display"}
    reject(mixed_doc, "rounding.decide_on", "rounded")
    mixed_doc["rounding"] = {"decimals": 2, "mode": "half_even"}
    reject(mixed_doc, "rounding.mode", "half_up")


def test_mean_rules_need_equal_points():
    doc = {"id": "m", "version": "1", "title": "m", "total": 100,
           "combine": {"area": "mean", "total": "mean_of_areas"},
           "areas": [{"code": "a", "name": "a", "indicators": [
               {"code": "x", "name": "x", "kind": "quantitative", "direction": "higher"},
               {"code": "y", "name": "y", "kind": "quantitative", "direction": "higher",
                "points": 50}]}]}
    reject(doc, "areas[0].indicators[1].points", "needs equal points")


def test_applies_to_unknown_group():
    doc = {"id": "g", "version": "1", "title": "g", "total": 100, "groups": ["시부"],
           "areas": [{"code": "a", "name": "a", "indicators": [
               {"code": "x", "name": "x", "kind": "direct", "points": 100,
                "applies_to": ["군부"]}]}]}
    reject(doc, "areas[0].indicators[0].applies_to[0]", "unknown group '군부'")


def test_load_framework_reports_file_and_yaml_position(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\nareas: [\n", encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_framework(path)
    assert info.value.source == str(path)
    assert "not valid YAML" in info.value.reason and "line" in info.value.reason
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(FrameworkError, match="empty"):
        load_framework(empty)


def test_fingerprint_identifies_the_document(mixed_doc):
    first = framework_from_dict(mixed_doc)
    same = framework_from_dict(mixed_doc)
    mixed_doc["bands"][0]["decision"] = "다른 결정"
    changed = framework_from_dict(mixed_doc)
    assert first.fingerprint == same.fingerprint != changed.fingerprint
