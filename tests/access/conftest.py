"""A small world for the access policy: one service evaluated in a draft round (2024)
and a published round (2023), another service in the draft round, and one user of every
kind the matrix asks about."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import AnonymousUser
from evaluations.factories import draft_round, org, service

from seonggwa.accounts.models import Profile, Role
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.domain.subjects import subject_for_service
from seonggwa.evaluations.models import Assignment
from seonggwa.registry.models import OrganisationKind


@dataclass
class World:
    users: dict = field(default_factory=dict)
    draft: object = None  # the service's result in the draft round
    published: object = None  # the service's result in the published round
    other_draft: object = None  # another service's result in the draft round
    draft_round: object = None
    published_round: object = None


@pytest.fixture
def world(db, django_user_model):
    ours = org("우리과")
    theirs = org("남의과")
    mine = org("우리기관", OrganisationKind.CONTRACTOR)
    other_firm = org("남의기관", OrganisationKind.CONTRACTOR)
    svc = service("svc-own", dept="우리과")
    other_svc = service("svc-other", dept="남의과")

    w = World()
    w.published_round = draft_round(2023)
    w.published = workflow.record_result(service=svc, round=w.published_round, score="90",
                                         contractors=[mine], actor_label="test")
    workflow.finalise_round(w.published_round, actor_label="test")
    workflow.publish_round(w.published_round, actor_label="test")
    w.published.refresh_from_db()
    w.published_round.refresh_from_db()

    w.draft_round = draft_round(2024)
    w.draft = workflow.record_result(service=svc, round=w.draft_round, score="80",
                                     contractors=[mine], actor_label="test")
    w.other_draft = workflow.record_result(service=other_svc, round=w.draft_round,
                                           score="70", contractors=[other_firm],
                                           actor_label="test")

    def user(name, role=None, organisation=None, **assigned):
        u = django_user_model.objects.create_user(name)
        if role:
            Profile.objects.create(user=u, role=role, organisation=organisation)
        if assigned:
            Assignment.objects.create(user=u, **assigned)
        return u

    w.users = {
        "anonymous": AnonymousUser(),
        "no role": user("norole"),
        "officer": user("officer", Role.OFFICER),
        "department of the service": user("dept", Role.DEPARTMENT, ours),
        "other department": user("dept2", Role.DEPARTMENT, theirs),
        "contractor of the result": user("firm", Role.CONTRACTOR, mine),
        "other contractor": user("firm2", Role.CONTRACTOR, other_firm),
        "evaluator assigned to the round": user("eval-round", Role.EVALUATOR,
                                                round=w.draft_round),
        "evaluator assigned to the subject": user("eval-subject", Role.EVALUATOR,
                                                  round=w.draft_round,
                                                  subject=subject_for_service(svc)),
        "evaluator assigned only to another subject": user(
            "eval-other", Role.EVALUATOR, round=w.draft_round,
            subject=subject_for_service(other_svc)),
        "evaluator not assigned": user("eval-none", Role.EVALUATOR),
        "committee assigned": user("comm", Role.COMMITTEE, round=w.draft_round),
        "committee not assigned": user("comm-none", Role.COMMITTEE),
    }
    return w
