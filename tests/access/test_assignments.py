"""Assigning evaluators and committee members (the domain functions)."""

from __future__ import annotations

import pytest
from evaluations.factories import draft_round, service

from seonggwa.accounts.models import Profile, Role
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain.assignments import assign, unassign
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.domain.subjects import subject_for_service
from seonggwa.evaluations.models import Assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(django_user_model):
    def make(name, role):
        u = django_user_model.objects.create_user(name)
        Profile.objects.create(user=u, role=role)
        return u

    return {role: make(str(role), role) for role in Role}


def test_assign_and_unassign_are_audited(people):
    rnd = draft_round(2024)
    subject = subject_for_service(service("svc-a"))
    officer = people[Role.OFFICER]
    for role in (Role.EVALUATOR, Role.COMMITTEE):
        whole = assign(people[role], rnd, actor=officer)
        one = assign(people[role], rnd, subject, actor=officer)
        assert (whole.subject, one.subject) == (None, subject)
        assert whole.assigned_by == officer and whole.assigned_label == officer.username
    assert AuditEvent.objects.filter(action="assignment.add").count() == 4
    unassign(people[Role.EVALUATOR], rnd, actor=officer)
    assert list(Assignment.objects.filter(user=people[Role.EVALUATOR])
                .values_list("subject", flat=True)) == [subject.pk]
    event = AuditEvent.objects.get(action="assignment.remove")
    assert event.before["subject_id"] is None and event.actor == officer


def test_duplicates_and_missing_are_refused(people):
    rnd = draft_round(2024)
    subject = subject_for_service(service("svc-a"))
    evaluator, officer = people[Role.EVALUATOR], people[Role.OFFICER]
    assign(evaluator, rnd, actor=officer)
    assign(evaluator, rnd, subject, actor=officer)
    for args in ((), (subject,)):
        with pytest.raises(WorkflowError, match="이미 같은 배정이 있습니다"):
            assign(evaluator, rnd, *args, actor=officer)
    unassign(evaluator, rnd, subject, actor=officer)
    with pytest.raises(WorkflowError, match="해당 배정이 없습니다"):
        unassign(evaluator, rnd, subject, actor=officer)
    assert Assignment.objects.count() == 1


@pytest.mark.parametrize("role", [Role.OFFICER, Role.DEPARTMENT, Role.CONTRACTOR])
def test_only_evaluators_and_committee_are_assigned(people, role):
    rnd = draft_round(2024)
    with pytest.raises(WorkflowError, match="평가위원이나 위원회·의회 사용자만"):
        assign(people[role], rnd, actor=people[Role.OFFICER])
    assert not Assignment.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="assignment.").exists()
