"""A civic-platform round for the submissions tests: two districts' platforms (year 1 and
year 2), each with a schedule whose submission window runs to ``DUE``, and one user of every
kind the matrix asks about. Files go to a temporary media folder."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import AnonymousUser

from seonggwa import engine
from seonggwa.accounts.models import Profile, Role
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.domain.frameworks import import_framework_version, preset_version
from seonggwa.evaluations.domain.subjects import subject_for
from seonggwa.evaluations.models import Assignment, Scheme, SubjectKind
from seonggwa.registry.models import Organisation, OrganisationKind
from seonggwa.schedules.domain.schedules import ScheduleInput, set_schedule

OPENS = dt.date(2018, 6, 1)
#: The last day of the submission window (a Friday).
DUE = dt.date(2018, 6, 22)
CIVIC = "seoul-civic-platform-2018"


@dataclass
class World:
    round: object = None
    ours: object = None  # the year-1 subject
    theirs: object = None  # the year-2 subject
    users: dict = field(default_factory=dict)


def platform(name: str, district: str) -> Organisation:
    return Organisation.objects.create(kind=OrganisationKind.PLATFORM, name=name,
                                       district=district)


def with_actuals_version():
    """The civic preset with its desk-review score Q replaced by a quantitative indicator
    (a district framework agreed in workshops), so organisations submit actuals."""
    doc = copy.deepcopy(engine.load_preset(CIVIC).document)
    doc["version"] = "2018-district"
    doc["areas"][0]["indicators"] = [
        {"code": "Q1", "name": "주민 참여자 수", "kind": "quantitative", "points": 60,
         "unit": "명", "target": 1000, "direction": "higher"},
        {"code": "Q2", "name": "의제 발굴 건수", "kind": "quantitative", "points": 40,
         "unit": "건", "target": 20, "direction": "higher"}]
    return import_framework_version(doc, source="test")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def build_world(django_user_model, *, actuals: bool = False, opens=OPENS, due=DUE) -> World:
    version = with_actuals_version() if actuals else preset_version(CIVIC)
    w = World()
    w.round = workflow.open_round(2018, 1, scheme=Scheme.CIVIC_PLATFORM,
                                  framework_version=version, actor_label="test")
    ours_org = platform("은평구 민관협치 플랫폼", "은평구")
    theirs_org = platform("성북구 민관협치 플랫폼", "성북구")
    w.ours = subject_for(SubjectKind.PLATFORM, ours_org)
    w.theirs = subject_for(SubjectKind.PLATFORM, theirs_org)
    for subject, year in ((w.ours, 1), (w.theirs, 2)):
        set_schedule(w.round, subject, ScheduleInput(
            project_year=year, period_start=dt.date(2017, 9, 1), period_end=opens,
            submission_due=due), actor=None, actor_label="test")

    def user(name, role=None, organisation=None, **assigned):
        u = django_user_model.objects.create_user(name, password="pw")
        if role:
            Profile.objects.create(user=u, role=role, organisation=organisation)
        if assigned:
            Assignment.objects.create(user=u, round=w.round, **assigned)
        return u

    w.users = {
        "anonymous": AnonymousUser(),
        "no role": user("norole"),
        "officer": user("officer", Role.OFFICER),
        "contractor of the subject": user("firm", Role.CONTRACTOR, ours_org),
        "contractor of another subject": user("firm2", Role.CONTRACTOR, theirs_org),
        "contractor without organisation": user("firm3", Role.CONTRACTOR),
        "evaluator assigned to the subject": user("eval", Role.EVALUATOR, subject=w.ours),
        "evaluator assigned to the round": user("eval-round", Role.EVALUATOR, subject=None),
        "evaluator assigned only to another subject": user("eval-other", Role.EVALUATOR,
                                                           subject=w.theirs),
        "evaluator not assigned": user("eval-none", Role.EVALUATOR),
        "department": user("dept", Role.DEPARTMENT,
                           Organisation.objects.create(kind=OrganisationKind.DEPARTMENT,
                                                       name="민관협력담당관")),
        "committee assigned": user("comm", Role.COMMITTEE, subject=None),
    }
    return w


@pytest.fixture
def world(db, django_user_model) -> World:
    return build_world(django_user_model)


@pytest.fixture
def actuals_world(db, django_user_model) -> World:
    return build_world(django_user_model, actuals=True)
