"""Rating scales are checked: bounds, steps, conversions, labels, tables."""

from __future__ import annotations

import pytest

from .factories import reject


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
