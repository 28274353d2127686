"""Every field is read with its path: required fields and typos are errors."""

from __future__ import annotations

from .factories import reject


def test_missing_required_field(mixed_doc):
    del mixed_doc["areas"][0]["indicators"][3]["points"]
    reject(mixed_doc, "areas[0].indicators[3].points", "required")


def test_unknown_field_is_a_typo_not_ignored(mixed_doc):
    mixed_doc["areas"][0]["indicators"][0]["pionts"] = 20
    reject(mixed_doc, "areas[0].indicators[0].pionts", "unknown field")
