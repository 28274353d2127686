"""Framework documents shared by the engine tests."""

from __future__ import annotations

import copy

import pytest


def mixed_document() -> dict:
    """A small framework with every indicator kind and direction (total 100)."""
    return {
        "schema": 1,
        "id": "test-mixed",
        "version": "1",
        "title": "mixed",
        "total": 100,
        "panel": {"method": "trimmed_mean", "min_panel": 3},
        "scales": {
            "five": {"min": 1, "max": 5, "step": 1, "conversion": "linear",
                     "labels": {5: "탁월", 4: "우수", 3: "보통", 2: "미흡", 1: "부진"}},
            "words": {"min": 1, "max": 5, "step": 1, "conversion": "table",
                      "table": {1: 0.0, 2: 0.4, 3: 0.6, 4: 0.8, 5: 1.0}},
        },
        "bands": [
            {"code": "low", "label": "미흡", "lower": 0, "upper": 60, "decision": "재검토"},
            {"code": "mid", "label": "보통", "lower": 60, "upper": 80},
            {"code": "high", "label": "우수", "lower": 80, "upper": 100},
        ],
        "policies": [
            {"id": "p60", "effective_from": "2018-01-01", "effective_to": "2021-12-31",
             "threshold": 60, "below": "배제", "otherwise": "유지"},
            {"id": "p75", "effective_from": "2022-01-01", "threshold": 75, "below": "배제",
             "otherwise": "유지"},
        ],
        "areas": [
            {"code": "qual", "name": "정성", "indicators": [
                {"code": "R1", "name": "rating linear", "kind": "rating", "points": 20,
                 "scale": "five"},
                {"code": "R2", "name": "rating table", "kind": "rating", "points": 20,
                 "scale": "words"},
                {"code": "SV", "name": "survey", "kind": "survey", "points": 10},
                {"code": "D", "name": "direct", "kind": "direct", "points": 10},
            ]},
            {"code": "quant", "name": "정량", "indicators": [
                {"code": "H", "name": "higher", "kind": "quantitative", "points": 15,
                 "direction": "higher", "target": 100},
                {"code": "L", "name": "lower", "kind": "quantitative", "points": 15,
                 "direction": "lower", "target": 4},
                {"code": "F", "name": "shortfall", "kind": "quantitative", "points": 10,
                 "direction": "shortfall", "target": 50},
            ]},
        ],
    }


@pytest.fixture
def mixed_doc() -> dict:
    return copy.deepcopy(mixed_document())


@pytest.fixture
def mixed(mixed_doc):
    from seonggwa.engine import framework_from_dict

    return framework_from_dict(mixed_doc, source="mixed.yaml")
