"""The submissions permissions as a role × action matrix, each rule checked against its
queryset twin: the organisation acts only for its own subject, evaluators read what they are
assigned to, departments read their services' documents, officers do everything."""

from __future__ import annotations

import datetime as dt

import pytest
from evaluations.factories import contract, draft_round, org, service
from submissions.conftest import build_world

from seonggwa.access.submissions import (
    changeable_submissions,
    reopenable_submissions,
    visible_subjects,
    visible_submissions,
)
from seonggwa.accounts.models import Profile, Role
from seonggwa.evaluations.domain.subjects import subject_for_service
from seonggwa.evaluations.models import Subject
from seonggwa.registry.models import OrganisationKind
from seonggwa.submissions.domain import submitting
from seonggwa.submissions.models import Submission

pytestmark = pytest.mark.django_db

ACTIONS = ("view", "change", "reopen", "manage")
PERMS = {"view": "submissions.view_submission", "change": "submissions.change_submission",
         "reopen": "submissions.reopen_submission",
         "manage": "submissions.manage_submissions"}
TWINS = {"view": visible_submissions, "change": changeable_submissions,
         "reopen": reopenable_submissions}

#: who → the actions they may take on the year-1 subject's submission
EXPECTED = {
    "anonymous": set(),
    "no role": set(),
    "officer": {"view", "change", "reopen", "manage"},
    "contractor of the subject": {"view", "change"},
    "contractor of another subject": set(),
    "contractor without organisation": set(),
    "evaluator assigned to the subject": {"view"},
    "evaluator assigned to the round": {"view"},
    "evaluator assigned only to another subject": set(),
    "evaluator not assigned": set(),
    "department": set(),
    "committee assigned": set(),
}


@pytest.fixture
def sub_world(db, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world(django_user_model)


@pytest.mark.parametrize("saved", [False, True], ids=["nothing submitted yet", "saved"])
def test_role_action_matrix(sub_world, saved):
    w = sub_world
    if saved:
        Submission.objects.create(round=w.round, subject=w.ours)
        Submission.objects.create(round=w.round, subject=w.theirs)
    ours = submitting.submission_for(w.round, w.ours)
    assert (ours.pk is not None) == saved
    assert set(EXPECTED) == set(w.users)
    for who, user in w.users.items():
        allowed = {a for a in ACTIONS if user.has_perm(PERMS[a], ours)}
        assert allowed == EXPECTED[who], who


def test_each_rule_agrees_with_its_twin(sub_world):
    w = sub_world
    rows = [Submission.objects.create(round=w.round, subject=s) for s in (w.ours, w.theirs)]
    subjects = Subject.objects.filter(pk__in=[w.ours.pk, w.theirs.pk])
    for who, user in w.users.items():
        for action, twin in TWINS.items():
            listed = set(twin(user, Submission.objects.all()))
            ruled = {s for s in rows if user.has_perm(PERMS[action], s)}
            assert listed == ruled, (who, action)
        seen = set(visible_subjects(user, w.round, subjects))
        assert seen == {s.subject for s in rows
                        if user.has_perm(PERMS["view"], s)}, who


def test_outsourced_service_contractor_acts_and_department_reads(django_user_model):
    dept = org("우리과")
    firm = org("우리기관", OrganisationKind.CONTRACTOR)
    svc = service("svc-sub", dept="우리과")
    other_svc = service("svc-other", dept="남의과")
    contract(svc, dt.date(2022, 1, 1), dt.date(2024, 12, 31), "우리기관")
    rnd = draft_round(2024)
    ours = Submission(round=rnd, subject=subject_for_service(svc))
    theirs = Submission(round=rnd, subject=subject_for_service(other_svc))

    def user(name, role, organisation):
        u = django_user_model.objects.create_user(name)
        Profile.objects.create(user=u, role=role, organisation=organisation)
        return u

    department, contractor = user("d", Role.DEPARTMENT, dept), user("c", Role.CONTRACTOR, firm)
    assert department.has_perm("submissions.view_submission", ours)
    assert not department.has_perm("submissions.change_submission", ours)
    assert not department.has_perm("submissions.view_submission", theirs)
    assert contractor.has_perm("submissions.change_submission", ours)
    assert not contractor.has_perm("submissions.view_submission", theirs)
