"""Role × action matrix of the appeals permissions, each rule checked against its queryset
twin: a civic platform's released result and an outsourced service's (department and
contractor), seen from every kind of user."""

from __future__ import annotations

import copy
from datetime import date

import pytest
from appeals.factories import a_monday, officer, platform_org, scored_round, user
from django.contrib.auth.models import AnonymousUser
from evaluations.factories import contract, org, service

from seonggwa.access.appeals import officer_appeals, party_appeals, visible_appeals
from seonggwa.accounts.models import Role
from seonggwa.appeals.domain import process
from seonggwa.appeals.models import Appeal
from seonggwa.evaluations.domain import frameworks, workflow
from seonggwa.evaluations.models import Assignment
from seonggwa.registry.models import OrganisationKind
from seonggwa.schedules.domain import windows

PERMS = ["appeals.view_notices", "appeals.release_results", "appeals.view_appeal",
         "appeals.file_objection", "appeals.decide_appeal"]
TWINS = {"appeals.view_appeal": visible_appeals, "appeals.file_objection": party_appeals,
         "appeals.decide_appeal": officer_appeals}


def _outsourcing_version():
    document = copy.deepcopy(
        frameworks.bundled_preset("seoul-outsourcing-published-total").document)
    document["version"] = "matrix-with-appeal"
    document["process"] = {
        "deadlines": {"rules": [{"code": "objection", "label": "이의신청",
                                 "from": "meeting", "days": 7}]},
        "appeal": {"allowed": True, "window": "objection"}}
    return frameworks.import_framework_version(document)


@pytest.fixture
def m(db, monkeypatch):
    monkeypatch.setattr(windows, "current_date", a_monday)
    w = type("Matrix", (), {})()
    w.officer = officer()
    rnd, (platform_result,) = scored_round(("마포구",))
    process.release(rnd, expected=1, actor=w.officer, today=a_monday())
    dept, firm = org("문화정책과"), org("한빛문화재단", OrganisationKind.CONTRACTOR)
    svc = service("svc-matrix", dept="문화정책과")
    contract(svc, date(2021, 1, 1), date(2024, 12, 31), "한빛문화재단")
    out_round = workflow.open_round(2024, 1, framework_version=_outsourcing_version(),
                                    actor_label="test")
    service_result = workflow.record_result(service=svc, round=out_round, score="70",
                                            actor_label="test")  # names no contractor
    process.release(out_round, expected=1, actor=w.officer, today=a_monday())
    w.platform = Appeal.objects.get(result=platform_result)
    w.service = Appeal.objects.get(result=service_result)
    w.round = rnd
    w.users = {
        "anonymous": AnonymousUser(),
        "no role": user("norole"),
        "officer": w.officer,
        "platform user": user("mapo", Role.CONTRACTOR, platform_org("마포구")),
        "other platform user": user("jongno", Role.CONTRACTOR, platform_org("종로구")),
        "department of the service": user("dept", Role.DEPARTMENT, dept),
        "other department": user("dept2", Role.DEPARTMENT, org("남의과")),
        "contractor of the service": user("firm", Role.CONTRACTOR, firm),
        "other contractor": user("firm2", Role.CONTRACTOR,
                                 org("남의재단", OrganisationKind.CONTRACTOR)),
        "evaluator assigned": user("member", Role.EVALUATOR),
        "committee": user("comm", Role.COMMITTEE),
    }
    Assignment.objects.create(user=w.users["evaluator assigned"], round=rnd)
    return w


# who -> (notices, release, (view, object, decide) on the platform's, on the service's)
EXPECTED = {
    "anonymous": (False, False, (0, 0, 0), (0, 0, 0)),
    "no role": (True, False, (0, 0, 0), (0, 0, 0)),
    "officer": (True, True, (1, 0, 1), (1, 0, 1)),
    "platform user": (True, False, (1, 1, 0), (0, 0, 0)),
    "other platform user": (True, False, (0, 0, 0), (0, 0, 0)),
    "department of the service": (True, False, (0, 0, 0), (1, 1, 0)),
    "other department": (True, False, (0, 0, 0), (0, 0, 0)),
    "contractor of the service": (True, False, (0, 0, 0), (1, 1, 0)),
    "other contractor": (True, False, (0, 0, 0), (0, 0, 0)),
    "evaluator assigned": (True, False, (0, 0, 0), (0, 0, 0)),
    "committee": (True, False, (0, 0, 0), (0, 0, 0)),
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_role_action_matrix_and_twins(m, who):
    u = m.users[who]
    notices, release, on_platform, on_service = EXPECTED[who]
    assert u.has_perm("appeals.view_notices") is notices
    assert u.has_perm("appeals.release_results", m.round) is release
    for appeal, expected in ((m.platform, on_platform), (m.service, on_service)):
        for perm, allowed in zip(["appeals.view_appeal", "appeals.file_objection",
                                  "appeals.decide_appeal"], expected, strict=True):
            assert u.has_perm(perm, appeal) is bool(allowed), (who, perm, appeal)
            twin = TWINS[perm](u, Appeal.objects.all())
            assert twin.filter(pk=appeal.pk).exists() is bool(allowed), (who, perm, "twin")
