"""Areas and indicators are checked, and points add up from the rows."""

from __future__ import annotations

from seonggwa.engine import framework_from_dict

from .factories import reject


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


def test_duplicate_indicator_codes(mixed_doc):
    mixed_doc["areas"][1]["indicators"][0]["code"] = "R1"
    reject(mixed_doc, "areas[1].indicators[0].code", "duplicate indicator code 'R1'",
           "areas[0].indicators[0]")


def test_duplicate_area_codes(mixed_doc):
    mixed_doc["areas"][1]["code"] = "qual"
    reject(mixed_doc, "areas[1].code", "duplicate area code")


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
