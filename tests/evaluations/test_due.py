import datetime as dt

import pytest

from evaluations.factories import contract, service
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.domain.due import due_list
from seonggwa.evaluations.domain.workflow import WorkflowError

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def registry():
    a = service("svc-a", cost=500_000_000)  # exactly the line: due
    contract(a, D(2021, 3, 1), D(2024, 2, 28), "갑")
    b = service("svc-b", cost=499_999_999)  # below the line
    contract(b, D(2021, 6, 1), D(2024, 5, 31), "을")
    c = service("svc-c", cost=900_000_000, statutory=True)
    contract(c, D(2021, 7, 1), D(2024, 6, 30), "병")
    d = service("svc-d", cost=None)  # cost unknown: needs review, not guessed
    contract(d, D(2021, 1, 1), D(2024, 10, 31), "정")
    e = service("svc-e", cost=2_000_000_000)
    contract(e, D(2021, 9, 1), D(2024, 9, 30), "무")
    f = service("svc-f", cost=2_000_000_000)  # contract ends next year
    contract(f, D(2022, 1, 1), D(2025, 1, 31), "기")
    return {s.key: s for s in (a, b, c, d, e, f)}


def keys(entries):
    return [e.service.key for e in entries]


def test_due_services_and_their_rounds(registry):
    due = due_list(2024)
    assert keys(due.entries) == ["svc-a", "svc-e"]
    assert {k: keys(v) for k, v in due.by_round().items()} == {1: ["svc-a"], 3: ["svc-e"]}
    assert keys(due.not_due) == ["svc-b", "svc-c"]
    assert keys(due.needs_review) == ["svc-d"]
    assert any("500,000,000" in r for r in due.entries[0].reasons)


def test_cost_line_and_round_windows_are_configurable(registry, settings):
    settings.SEONGGWA_DUE = {"cost_line": 100_000_000, "round_windows": [(1, 1, 6), (2, 7, 12)]}
    due = due_list(2024)
    assert keys(due.entries) == ["svc-a", "svc-b", "svc-e"]
    assert {k: keys(v) for k, v in due.by_round().items()} == {1: ["svc-a", "svc-b"],
                                                               2: ["svc-e"]}


def test_officer_adjustments_keep_reason_and_actor(registry, django_user_model):
    officer = django_user_model.objects.create_user("o")
    with pytest.raises(WorkflowError, match="사유"):
        workflow.adjust_due(year=2024, service=registry["svc-a"], action="exclude", reason="")
    workflow.adjust_due(year=2024, service=registry["svc-a"], action="exclude",
                        reason="사무 폐지 예정", actor=officer)
    workflow.adjust_due(year=2024, service=registry["svc-e"], action="move", round_number=2,
                        reason="평가기관 일정", actor=officer)
    workflow.adjust_due(year=2024, service=registry["svc-f"], action="include", round_number=3,
                        reason="조기 재계약", actor=officer)
    workflow.adjust_due(year=2024, service=registry["svc-d"], action="include",
                        reason="사업비 확인 (7억)", actor=officer)
    due = due_list(2024)
    assert {k: keys(v) for k, v in due.by_round().items()} == {
        2: ["svc-e"], 3: ["svc-d", "svc-f"]}
    assert keys(due.excluded) == ["svc-a"]
    assert due.excluded[0].adjustment.actor == officer
    assert "사무 폐지 예정" in due.excluded[0].reasons[-1]
    workflow.adjust_due(year=2024, service=registry["svc-a"], action="reset", reason="재검토")
    assert "svc-a" in keys(due_list(2024).entries)
