"""The framework's ``process.appeal``: validated field by field; a framework without it
(the outsourcing presets) allows no objection and a release makes the results final;
a variant that allows it gives the department and the contractor the same objection."""

from __future__ import annotations

import copy
from datetime import date

import pytest
from evaluations.factories import contract, org, service

from appeals.factories import user
from appeals.helpers import appeal_of
from seonggwa.accounts.models import Role
from seonggwa.appeals.domain import process
from seonggwa.appeals.domain.rules import appeal_rule, problems
from seonggwa.appeals.models import AppealState, Notice, Outcome, ResultLock
from seonggwa.evaluations.domain import frameworks, workflow
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.models import Status
from seonggwa.registry.models import OrganisationKind


@pytest.mark.parametrize("section, expected", [
    ({"allowed": True, "times": 1, "window": "objection"}, []),
    ({"allowed": False}, []),
    ([], [("", "expected a mapping")]),
    ({"allowed": "yes", "window": "objection"}, [("allowed", "required: true or false")]),
    ({"allowed": True}, [("window", "required when allowed: the code of the "
                                    "process.deadlines rule that counts the objection period")]),
    ({"allowed": True, "times": 2, "window": "objection"},
     [("times", "must be 1: the process runs one objection, re-reviewed once, then the "
                "result is final")]),
    ({"allowed": True, "window": "objection", "grace": 3},
     [("grace", "unknown field (allowed: allowed, times, window)")]),
])
def test_the_section_is_checked_field_by_field(section, expected):
    assert problems(section) == expected


def test_a_wrong_section_refuses_the_framework_import(db):
    document = copy.deepcopy(frameworks.bundled_preset("seoul-civic-platform-2018").document)
    document["version"] = "2018-bad-appeal"
    document["process"]["appeal"]["times"] = 3
    with pytest.raises(WorkflowError, match=r"process\.appeal\.times"):
        frameworks.import_framework_version(document)


def test_the_civic_preset_allows_one_objection_and_outsourcing_none():
    assert appeal_rule(frameworks.bundled_preset("seoul-civic-platform-2018")).window == "objection"
    for name in ("seoul-outsourcing", "seoul-outsourcing-published-total"):
        assert not appeal_rule(frameworks.bundled_preset(name)).allowed


def _outsourcing_world(version=None):
    dept = org("문화정책과")
    firm = org("한빛문화재단", OrganisationKind.CONTRACTOR)
    svc = service("svc-culture", "문화센터 운영", dept="문화정책과")
    contract(svc, date(2021, 1, 1), date(2024, 12, 31), "한빛문화재단")
    rnd = workflow.open_round(2024, 1, framework_version=version, actor_label="test")
    result = workflow.record_result(service=svc, round=rnd, score="72.50", contractors=[firm],
                                    actor_label="test")
    return rnd, result, user("dept", Role.DEPARTMENT, dept), user("firm", Role.CONTRACTOR, firm)


def test_outsourcing_results_are_final_and_locked_on_release(world):
    rnd, result, dept_user, firm_user = _outsourcing_world()
    process.release(rnd, expected=1, actor=world.officer, today=world.clock)
    appeal = appeal_of(result)
    result.refresh_from_db()
    assert (appeal.state, appeal.outcome) == (AppealState.FINAL, Outcome.NOT_ALLOWED)
    assert result.status == Status.FINALISED and ResultLock.objects.filter(result=result).exists()
    # the department and the contractor were both told, without an objection deadline
    for u in (dept_user, firm_user):
        assert "이의신청 절차가 없어" in Notice.objects.get(user=u).body
    with pytest.raises(WorkflowError, match="이의신청 절차가 없습니다"):
        process.file_objection(appeal, firm_user, "이의", today=world.clock)


def _with_appeal():
    document = copy.deepcopy(
        frameworks.bundled_preset("seoul-outsourcing-published-total").document)
    document["version"] = "published-total-with-appeal"
    document["process"] = {
        "deadlines": {"unit": "calendar", "rules": [
            {"code": "notification", "label": "결과 통보", "from": "meeting", "days": 3},
            {"code": "objection", "label": "이의신청", "from": "notification", "days": 14}]},
        "appeal": {"allowed": True, "times": 1, "window": "objection"},
    }
    return frameworks.import_framework_version(document, source="test variant")


@pytest.mark.parametrize("who", ["department", "contractor"])
def test_a_framework_that_allows_it_gives_department_and_contractor_the_objection(world, who):
    rnd, result, dept_user, firm_user = _outsourcing_world(_with_appeal())
    process.release(rnd, expected=1, actor=world.officer, today=world.clock)
    appeal = appeal_of(result)
    assert appeal.message["deadline"] == "2018-07-09"  # 14 calendar days, then Monday
    filer = dept_user if who == "department" else firm_user
    objection = process.file_objection(appeal, filer, "만족도 조사 표본에 이의",
                                       today=date(2018, 7, 9))
    assert objection.organisation == filer.profile.organisation
    with pytest.raises(WorkflowError, match="한 번만"):
        process.file_objection(appeal, firm_user if who == "department" else dept_user,
                               "두 번째", today=date(2018, 7, 9))
    # an unrelated department may not object in their name
    stranger = user("other-dept", Role.DEPARTMENT, org("남의과"))
    assert process.parties.acting_organisation(stranger, result) is None


def test_a_round_with_ratings_keeps_its_framework_version(world):
    """The scale and weights a result was notified under cannot change under it: once any
    rating exists, the round's framework version is fixed (a new version is a new round)."""
    other = _with_appeal()
    with pytest.raises(WorkflowError, match="이미 점수가 있어 평가틀 버전"):
        frameworks.set_round_framework(world.round, other, actor=world.officer)
    world.round.refresh_from_db()
    assert world.round.framework_version.framework_id == "seoul-civic-platform-2018"
