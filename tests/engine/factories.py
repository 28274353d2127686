"""Framework documents, batches and checks shared by the engine test modules."""

from __future__ import annotations

import copy
import datetime as dt

import numpy as np
import pytest
from hypothesis import strategies as st

from seonggwa.engine import BatchInput, FrameworkError, framework_from_dict

NAN = np.nan
DAY = dt.date(2023, 1, 1)
MARCH_DAY = dt.date(2023, 3, 1)


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


MIXED = framework_from_dict(mixed_document())


K = len(MIXED.indicators)


def full_batch(n, p=3):
    values = np.full((n, K, p), NAN)
    actuals = np.full((n, K), NAN)
    return values, actuals


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


VOCABULARY = [{"code": "review", "label": "재검토", "label_en": "Review"},
              {"code": "exclude", "label": "배제", "label_en": "Excluded"},
              {"code": "keep", "label": "유지"}]


def coded(doc: dict) -> dict:
    doc = copy.deepcopy(doc)
    doc["decisions"] = copy.deepcopy(VOCABULARY)
    doc["bands"][0]["decision"] = "review"
    for policy in doc["policies"]:
        policy["below"], policy["otherwise"] = "exclude", "keep"
    return doc


OUTPUTS = ("indicator_points", "indicator_sd", "panel_count", "achievement", "classification",
           "class_overridden", "status", "area_points", "area_max", "total", "total_rounded",
           "max_points", "band_index", "decision", "rank")


def integer_document() -> dict:
    """Every panel scale in whole steps of 1 (the exact integer path applies): a linear
    1-5 rating, a table 1-5 rating and a 0-100 survey in whole points; three directions."""
    doc = copy.deepcopy(mixed_document())
    doc["scales"]["survey100"] = {"min": 0, "max": 100, "step": 1, "conversion": "ratio"}
    qual = doc["areas"][0]["indicators"]
    qual[2].update(scale="survey100", points=20)  # SV
    del qual[3]  # D (direct points are continuous)
    return doc


INTEGER = framework_from_dict(integer_document())


def assert_same(a, b) -> None:
    for name in OUTPUTS:
        x, y = getattr(a, name), getattr(b, name)
        assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), name
    assert a.override_reasons == b.override_reasons


def as_values(framework, ratings: np.ndarray, marker: int | None) -> np.ndarray:
    """The float [n, k, p] form of compact ratings (NaN for the marker)."""
    n, _, p = ratings.shape
    values = np.full((n, len(framework.indicators), p), NAN)
    panel = [framework.indicator_index[code] for code in framework.panel_codes]
    floats = ratings.astype(np.float64)
    if marker is not None:
        floats[ratings == marker] = NAN
    values[:, panel, :] = floats
    return values


def widen(framework, compact: np.ndarray) -> np.ndarray:
    """[n, kq] quantities -> [n, k] with NaN in the panel columns."""
    wide = np.full((len(compact), len(framework.indicators)), NAN)
    columns = [framework.indicator_index[code] for code in framework.quantitative_codes]
    wide[:, columns] = compact
    return wide


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
