"""The office due list reads one page at a time from the database (``DueRows``); it must
show exactly the rows, tables, rounds, reasons and order of the whole-year list."""

from __future__ import annotations

import datetime as dt

import pytest

from evaluations.factories import contract, service
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.domain.due import (
    EXCLUDED,
    INCLUDED,
    NEEDS_REVIEW,
    NOT_DUE,
    DueRows,
    due_list,
)
from seonggwa.examples.synthetic import generate_registry
from seonggwa.registry.models import ContractPeriod

pytestmark = pytest.mark.django_db
D = dt.date


def whole(year: int, **options) -> list[tuple[int, str, int | None, tuple[str, ...]]]:
    due = due_list(year, **options)
    tables = [(INCLUDED, e) for group in due.by_round().values() for e in group]
    tables += [(EXCLUDED, e) for e in due.excluded]
    tables += [(NEEDS_REVIEW, e) for e in due.needs_review]
    tables += [(NOT_DUE, e) for e in due.not_due]
    return [(s, e.service.key, e.round_number, tuple(e.reasons)) for s, e in tables]


def paged(year: int, size: int = 7, **options):
    rows = DueRows(year, **options)
    out = []
    for start in range(0, rows.count(), size):
        out += [(s, e.service.key, e.round_number, tuple(e.reasons))
                for s, e in rows[start:start + size]]
    return out, rows.counts


def check_same(year: int, size: int = 7, **options):
    expected = whole(year, **options)
    got, counts = paged(year, size, **options)
    assert got == expected
    assert counts.total == len(expected)
    for section in (EXCLUDED, NEEDS_REVIEW, NOT_DUE):
        assert counts.others.get(section, 0) == sum(1 for s, *_ in expected if s == section)
    rounds = [r for s, _k, r, _ in expected if s == INCLUDED]
    assert counts.by_round == {r: rounds.count(r) for r in dict.fromkeys(sorted(
        rounds, key=lambda r: (r is None, r or 0)))}
    return expected


def test_the_seoul_data_with_a_generated_registry_shows_the_same_rows(seoul):
    # the Seoul data carry no contract periods; the generated registry beside it does
    generate_registry(400, (2018, 2020), seed=5, allow_mixed=True)
    years = sorted({p.end.year for p in ContractPeriod.objects.all()})
    assert len(years) > 3
    shown = 0
    for year in years:
        shown += len(check_same(year, size=37))
    assert shown > 300  # every service's contracts, on some year's list


@pytest.fixture
def registry(django_user_model):
    made = {}
    for key, cost, statutory, end in [
            ("svc-a", 500_000_000, False, D(2024, 2, 28)),  # due, round 1
            ("svc-b", 499_999_999, False, D(2024, 5, 31)),  # below the line
            ("svc-c", 900_000_000, True, D(2024, 6, 30)),  # statutory
            ("svc-d", None, False, D(2024, 10, 31)),  # cost unknown
            ("svc-e", 2_000_000_000, False, D(2024, 9, 30)),
            ("svc-f", 2_000_000_000, False, D(2025, 1, 31)),  # ends next year
            ("svc-g", None, False, D(2024, 3, 1)),  # cost unknown, moved: stays in review
            ("svc-h", 700_000_000, False, D(2024, 12, 31)),
            ("svc-i", 700_000_000, False, D(2024, 12, 31))]:  # same end: ordered by name
        made[key] = service(key, f"사무 {key[-1]}", cost=cost, statutory=statutory)
        contract(made[key], D(2021, 1, 1), end, "갑")
    # two periods ending in the year: the later one decides the round
    contract(made["svc-h"], D(2023, 1, 1), D(2024, 1, 31), "을")
    made["officer"] = django_user_model.objects.create_user("o")
    return made


def adjust(registry, key, action, round_number=None):
    workflow.adjust_due(year=2024, service=registry[key], action=action,
                        round_number=round_number, reason="사유", actor=registry["officer"])


def test_rules_without_adjustments(registry):
    rows = check_same(2024)
    assert [(s, k) for s, k, *_ in rows] == [
        (INCLUDED, "svc-a"), (INCLUDED, "svc-e"), (INCLUDED, "svc-h"), (INCLUDED, "svc-i"),
        (NEEDS_REVIEW, "svc-g"), (NEEDS_REVIEW, "svc-d"),
        (NOT_DUE, "svc-b"), (NOT_DUE, "svc-c")]


def test_every_kind_of_adjustment(registry):
    adjust(registry, "svc-a", "exclude")
    adjust(registry, "svc-e", "move", 2)
    adjust(registry, "svc-f", "include", 3)  # no contract ending this year
    adjust(registry, "svc-d", "include")  # cost unknown, included: keeps its rule round
    adjust(registry, "svc-g", "move", 1)  # cost unknown: a move does not include it
    adjust(registry, "svc-b", "include", 1)
    adjust(registry, "svc-c", "exclude")  # not due anyway
    adjust(registry, "svc-i", "exclude")
    adjust(registry, "svc-i", "reset")  # back to the rule
    rows = check_same(2024)
    assert {k: (s, r) for s, k, r, _ in rows} == {
        "svc-b": (INCLUDED, 1), "svc-e": (INCLUDED, 2), "svc-d": (INCLUDED, 3),
        "svc-f": (INCLUDED, 3), "svc-h": (INCLUDED, 3), "svc-i": (INCLUDED, 3),
        "svc-a": (EXCLUDED, 1), "svc-g": (NEEDS_REVIEW, 1), "svc-c": (NOT_DUE, 2)}


def test_an_inclusion_without_a_round_is_its_own_table_after_the_rounds(registry):
    adjust(registry, "svc-f", "include")
    rows = check_same(2024)
    assert [k for s, k, r, _ in rows if s == INCLUDED][-1] == "svc-f"
    assert DueRows(2024).counts.by_round[None] == 1


def test_configured_line_and_windows(registry):
    check_same(2024, cost_line=100_000_000, round_windows=[(1, 1, 6), (2, 7, 12)])
    check_same(2024, round_windows=[(1, 1, 2)])  # months outside every window: no round
