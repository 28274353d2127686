"""Schedules and deadline windows as a role × action matrix: each rule, its queryset twin,
and the pages. Only officers change schedules, windows and days off; everyone else sees
only the schedules and windows of subjects they may see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from schedules.factories import civic_round, platform, user

from seonggwa.access import schedules as access
from seonggwa.accounts.models import Role
from seonggwa.evaluations.domain.assignments import assign
from seonggwa.schedules.domain import windows
from seonggwa.schedules.domain.schedules import ScheduleInput, set_schedule
from seonggwa.schedules.models import Schedule, Window

pytestmark = pytest.mark.django_db

OFFICER = "officer"
OWN = "contractor of the evaluated platform"
OTHER_ORG = "contractor of the other platform"
STRANGER = "contractor of a platform not in the round"
DEPARTMENT = "department"
SUBJECT_EVAL = "evaluator assigned to the subject"
WHOLE = "evaluator assigned to the whole round"
OTHER_EVAL = "evaluator assigned only to the other subject"
UNASSIGNED = "evaluator not assigned"
COMMITTEE = "committee assigned to the round"
ANON, NOROLE = "anonymous", "no role"

ROUND_SEERS = {OFFICER, OWN, OTHER_ORG, SUBJECT_EVAL, WHOLE, OTHER_EVAL, COMMITTEE}
SUBJECT_SEERS = {OFFICER, OWN, SUBJECT_EVAL, WHOLE, COMMITTEE}
OTHER_SEERS = {OFFICER, OTHER_ORG, WHOLE, OTHER_EVAL, COMMITTEE}


@pytest.fixture
def world(db):
    rnd = civic_round()
    subject, other, outside = platform("성북구"), platform("도봉구"), platform("은평구")
    officer = user("officer", Role.OFFICER)
    users = {
        ANON: AnonymousUser(), NOROLE: user("norole", None), OFFICER: officer,
        OWN: user("own", Role.CONTRACTOR, subject.target),
        OTHER_ORG: user("otherorg", Role.CONTRACTOR, other.target),
        STRANGER: user("stranger", Role.CONTRACTOR, outside.target),
        DEPARTMENT: user("dept", Role.DEPARTMENT),
        SUBJECT_EVAL: user("subj", Role.EVALUATOR), WHOLE: user("whole", Role.EVALUATOR),
        OTHER_EVAL: user("othereval", Role.EVALUATOR), UNASSIGNED: user("none", Role.EVALUATOR),
        COMMITTEE: user("comm", Role.COMMITTEE),
    }
    assign(users[SUBJECT_EVAL], rnd, subject, actor=officer)
    assign(users[WHOLE], rnd, actor=officer)
    assign(users[OTHER_EVAL], rnd, other, actor=officer)
    assign(users[COMMITTEE], rnd, actor=officer)
    meeting = timezone.make_aware(dt.datetime(2018, 8, 30, 14))
    for s in (subject, other):
        set_schedule(rnd, s, ScheduleInput(submission_due=dt.date(2018, 8, 24),
                                           meeting_at=meeting, place=f"{s.name} 거점"),
                     actor=officer)
    roundwide = windows.set_window(rnd, None, "submission", opens_on=dt.date(2018, 8, 1),
                                   due_on=dt.date(2018, 8, 24), actor=officer)
    return {"round": rnd, "subject": subject, "other": other, "users": users,
            "officer": officer, "roundwide": roundwide}


def objects(world):
    rnd, subject, other = world["round"], world["subject"], world["other"]
    return {
        ("schedules.view_schedule", "own schedule"):
            (Schedule.objects.get(round=rnd, subject=subject), SUBJECT_SEERS),
        ("schedules.view_schedule", "other schedule"):
            (Schedule.objects.get(round=rnd, subject=other), OTHER_SEERS),
        ("schedules.view_window", "own window"):
            (Window.objects.get(subject=subject, code="notification"), SUBJECT_SEERS),
        ("schedules.view_window", "other window"):
            (Window.objects.get(subject=other, code="report"), OTHER_SEERS),
        ("schedules.view_window", "round-wide window"): (world["roundwide"], ROUND_SEERS),
    }


def test_view_rules(world):
    for (perm, what), (obj, allowed) in objects(world).items():
        for name, u in world["users"].items():
            assert u.has_perm(perm, obj) == (name in allowed), (perm, what, name)


@pytest.mark.parametrize("perm", ["schedules.change_schedule", "schedules.manage_days_off"])
def test_only_officers_change_schedules_and_days_off(world, perm):
    for name, u in world["users"].items():
        assert u.has_perm(perm) == (name == OFFICER), (perm, name)


def test_queryset_twins_agree_with_the_rules(world):
    for name, u in world["users"].items():
        seen_schedules = set(access.visible_schedules(u))
        assert seen_schedules == {s for s in Schedule.objects.all()
                                  if u.has_perm("schedules.view_schedule", s)}, name
        seen_windows = set(access.visible_windows(u))
        assert seen_windows == {w for w in Window.objects.all()
                                if u.has_perm("schedules.view_window", w)}, name
        assert set(access.changeable_schedules(u)) == (
            set(Schedule.objects.all()) if name == OFFICER else set()), name


def _client(u):
    c = Client()
    if u.is_authenticated:
        c.force_login(u)
    return c


def test_only_officers_open_the_editing_pages(world):
    rnd, subject = world["round"], world["subject"]
    pages = [reverse("office:schedules_edit", args=[rnd.pk, subject.pk]),
             reverse("office:schedules_early", args=[rnd.pk, subject.pk]),
             reverse("office:schedules_days_off")]
    for name, u in world["users"].items():
        for url in pages:
            status = _client(u).get(url).status_code
            expected = 200 if name == OFFICER else 302 if name == ANON else 403
            assert status == expected, (name, url)


def test_non_officers_cannot_change_anything_by_posting(world):
    rnd, subject = world["round"], world["subject"]
    window = Window.objects.get(subject=subject, code="notification")
    before = list(Window.objects.values_list("pk", "due_on", "state"))
    for name, u in world["users"].items():
        if name == OFFICER:
            continue
        c = _client(u)
        posts = [
            (reverse("office:schedules_edit", args=[rnd.pk, subject.pk]),
             {"submission_due": "2018-09-30", "reason": "x", "version": "0"}),
            (reverse("office:schedules_round", args=[rnd.pk]),
             {"opens_on": "2018-08-01", "due_on": "2018-09-30", "reason": "x"}),
            (reverse("office:schedules_notice", args=[window.pk]), {"sent_on": "2018-08-20"}),
            (reverse("office:schedules_days_off"),
             {"date": "2018-08-22", "name": "x", "reason": "y"}),
        ]
        for url, data in posts:
            assert c.post(url, data).status_code in (302, 403), (name, url)
    assert list(Window.objects.values_list("pk", "due_on", "state")) == before


def test_the_round_page_shows_each_user_only_what_they_may_see(world):
    url = reverse("office:schedules_round", args=[world["round"].pk])
    users = world["users"]
    own = _client(users[OWN]).get(url)
    assert own.status_code == 200
    text = own.content.decode()
    assert "성북구 시민협력플랫폼 거점" in text and "도봉구" not in text
    assert "일정 수정" not in text and "안내 발송일 기록" not in text
    whole = _client(users[WHOLE]).get(url).content.decode()
    assert "성북구" in whole and "도봉구" in whole
    for name in (STRANGER, DEPARTMENT, UNASSIGNED, NOROLE):
        assert _client(users[name]).get(url).status_code == 403, name
    index = _client(users[STRANGER]).get(reverse("office:schedules_index")).content.decode()
    assert str(world["round"]) not in index


def test_a_services_department_and_contractor_see_its_schedule(db):
    from evaluations.factories import contract, org, service

    from seonggwa.evaluations.domain import workflow
    from seonggwa.evaluations.domain.subjects import subject_for_service
    from seonggwa.registry.models import OrganisationKind

    rnd = workflow.open_round(2018, 1, actor_label="test")
    svc = service("svc-own", dept="우리과")
    contract(svc, dt.date(2016, 1, 1), dt.date(2018, 12, 31), "우리기관")
    other = subject_for_service(service("svc-other", dept="남의과"))
    mine = subject_for_service(svc)
    boss = user("officer", Role.OFFICER)
    for s in (mine, other):
        set_schedule(rnd, s, ScheduleInput(submission_due=dt.date(2018, 8, 24)), actor=boss)
    dept = user("dept", Role.DEPARTMENT, org("우리과"))
    firm = user("firm", Role.CONTRACTOR, org("우리기관", OrganisationKind.CONTRACTOR))
    stranger = user("stranger", Role.DEPARTMENT, org("남의과"))
    for u, expected in ((dept, {mine}), (firm, {mine}), (stranger, {other})):
        assert {s.subject for s in access.visible_schedules(u)} == expected, u.username
        assert {w.subject for w in access.visible_windows(u)} == expected, u.username
        for schedule in Schedule.objects.all():
            assert u.has_perm("schedules.view_schedule", schedule) == (
                schedule.subject in expected)
