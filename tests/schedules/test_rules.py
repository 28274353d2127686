"""The framework's ``process.deadlines`` section is checked field by field on import, so
a rule that could never be counted never reaches a round."""

from __future__ import annotations

import pytest

from seonggwa.engine.presets import load_preset
from seonggwa.schedules.domain.rules import problems

GOOD = {"unit": "working", "rules": [
    {"code": "notification", "label": "평가결과 통보", "from": "meeting", "days": 3},
    {"code": "objection", "label": "이의 제기", "from": "notification", "days": 7,
     "unit": "calendar"}]}


def test_the_civic_platform_preset_is_valid_and_counts_working_days():
    section = load_preset("seoul-civic-platform-2018").process["deadlines"]
    assert problems(section) == []
    assert section["unit"] == "working"
    assert {r["code"]: r["days"] for r in section["rules"]} == {
        "notification": 3, "objection": 7, "report": 15}


def test_a_good_section_has_no_problems():
    assert problems(GOOD) == []


def rule(**changes):
    r = {"code": "x", "label": "가", "from": "meeting", "days": 3}
    r.update(changes)
    return {"rules": [r]}


@pytest.mark.parametrize("section,path", [
    ([], ""),
    ({"units": "working"}, "units"),
    ({"unit": "weeks"}, "unit"),
    ({"rules": {"code": "x"}}, "rules"),
    ({"rules": ["x"]}, "rules[0]"),
    (rule(days=0), "rules[0].days"),
    (rule(days=3661), "rules[0].days"),
    (rule(days="3"), "rules[0].days"),
    (rule(days=True), "rules[0].days"),
    (rule(unit="hours"), "rules[0].unit"),
    (rule(code="a b"), "rules[0].code"),
    (rule(code="x" * 41), "rules[0].code"),
    (rule(label=""), "rules[0].label"),
    (rule(label="가" * 201), "rules[0].label"),
    (rule(**{"from": "nowhere"}), "rules[0].from"),
    (rule(**{"from": "x"}), "rules[0].from"),
    (rule(extra=1), "rules[0].extra"),
    ({"rules": [{"code": "a", "label": "가", "from": "b", "days": 1},
                {"code": "b", "label": "나", "from": "a", "days": 1}]}, "rules[0].from"),
    ({"rules": [{"code": "a", "label": "가", "from": "meeting", "days": 1},
                {"code": "a", "label": "나", "from": "meeting", "days": 1}]}, "rules[1].code"),
])
def test_each_wrong_field_is_named(section, path):
    assert path in [p for p, _ in problems(section)]
