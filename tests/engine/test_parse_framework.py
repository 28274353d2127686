"""The top level of a document: panel, rounding, and loading a YAML file."""

from __future__ import annotations

import pytest

from seonggwa.engine import FrameworkError, load_framework

from .factories import reject


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
