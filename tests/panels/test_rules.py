"""The ``process.panel`` section: every field checked, the wrong one named; a framework
without it has no panel."""

from __future__ import annotations

import pytest

from seonggwa.evaluations.domain.frameworks import bundled_preset
from seonggwa.panels.domain import rules

SEAT = {"code": "city", "label": "서울시", "group": "administration", "count": 2}


def section(*seats, **extra):
    return {"seats": list(seats) or [dict(SEAT)], **extra}


def test_the_civic_preset_reads_as_the_source_says():
    panel = rules.read(bundled_preset("seoul-civic-platform-2018").process["panel"])
    assert rules.problems(bundled_preset("seoul-civic-platform-2018").process["panel"]) == []
    assert panel.size == 7  # about 7 per district (seed 003 §5)
    groups = {}
    for seat in panel.seats:
        groups[seat.group] = groups.get(seat.group, 0) + seat.count
    assert groups == {"administration": 3, "external": 2, "civil": 2}
    peers = {s.code: s.peer_project_year for s in panel.seats if s.is_peer}
    assert peers == {"peer_year1": 1, "peer_year2": 2}
    assert panel.conflicts == rules.CONFLICT_KINDS


def test_no_section_means_no_panel_and_every_check():
    assert rules.read(None) == rules.NO_PANEL
    assert rules.NO_PANEL.seats == () and rules.NO_PANEL.conflicts == rules.CONFLICT_KINDS


def test_conflicts_omitted_runs_every_check_and_listed_ones_keep_their_order():
    assert rules.read(section()).conflicts == rules.CONFLICT_KINDS
    assert rules.read(section(conflicts=["challenge", "declared"])).conflicts == (
        "declared", "challenge")


@pytest.mark.parametrize(("bad", "path", "message"), [
    ([], "", "expected a mapping"),
    ({"seats": [SEAT], "size": 7}, "size", "unknown field"),
    ({}, "seats", "required field is missing"),
    ({"seats": "city"}, "seats", "expected a list"),
    ({"seats": []}, "seats", "must not be empty"),
    (section("city"), "seats[0]", "expected a mapping"),
    (section({**SEAT, "colour": "red"}), "seats[0].colour", "unknown field"),
    (section({k: v for k, v in SEAT.items() if k != "code"}), "seats[0].code",
     "required field is missing"),
    (section({**SEAT, "code": "a/b"}), "seats[0].code", "invalid code"),
    (section({**SEAT, "code": "City"}), "seats[0].code", "invalid code"),
    (section({**SEAT, "code": 7}), "seats[0].code", "invalid code"),
    (section({**SEAT, "code": "x" * 41}), "seats[0].code", "invalid code"),
    (section(SEAT, dict(SEAT)), "seats[1].code", "duplicate seat code"),
    (section({**SEAT, "label": ""}), "seats[0].label", "must not be empty"),
    (section({**SEAT, "label": "가" * 101}), "seats[0].label", "at most 100"),
    (section({**SEAT, "label": "a\x00b"}), "seats[0].label", "NUL"),
    (section({**SEAT, "label": ["x"]}), "seats[0].label", "expected text"),
    (section({**SEAT, "label_en": 3}), "seats[0].label_en", "expected text"),
    (section({k: v for k, v in SEAT.items() if k != "group"}), "seats[0].group",
     "required field is missing"),
    (section({**SEAT, "group": "행정"}), "seats[0].group", "unknown group"),
    (section({**SEAT, "group": ["civil"]}), "seats[0].group", "unknown group"),
    (section({k: v for k, v in SEAT.items() if k != "count"}), "seats[0].count",
     "required field is missing"),
    (section({**SEAT, "count": 0}), "seats[0].count", "whole number from 1 to 50"),
    (section({**SEAT, "count": 51}), "seats[0].count", "whole number from 1 to 50"),
    (section({**SEAT, "count": 1e30}), "seats[0].count", "whole number"),
    (section({**SEAT, "count": 2.5}), "seats[0].count", "whole number"),
    (section({**SEAT, "count": True}), "seats[0].count", "whole number"),
    (section({**SEAT, "count": "2"}), "seats[0].count", "whole number"),
    (section({**SEAT, "peer_project_year": 0}), "seats[0].peer_project_year", "project year"),
    (section({**SEAT, "peer_project_year": "1"}), "seats[0].peer_project_year",
     "project year"),
    (section({**SEAT, "peer_project_year": 10}), "seats[0].peer_project_year",
     "project year"),
    (section(conflicts="all"), "conflicts", "expected a list"),
    (section(conflicts=["bribery"]), "conflicts[0]", "unknown check"),
    (section(conflicts=["declared", "declared"]), "conflicts[1]", "duplicate check"),
])
def test_every_wrong_field_is_named(bad, path, message):
    found = rules.problems(bad)
    assert any(p == path and message in m for p, m in found), found


def test_a_wrong_section_is_refused_on_import_naming_the_field(db):
    from panels.factories import framework_with_panel
    from seonggwa.evaluations.domain.errors import WorkflowError

    with pytest.raises(WorkflowError, match=r"process\.panel\.seats\[0\]\.count"):
        framework_with_panel({"seats": [{**SEAT, "count": -1}]})
