"""Scoring sheets as a role × action matrix: each rule, its queryset twin, and the pages.

Only evaluators assigned to a subject (or its whole round) rate it; a sheet is seen by its
author and officers, changed by its author while assigned, re-opened by officers; the
officer alone manages scoring (progress, desk review, compute, aggregation)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from sheets.builders import civic_round, make_user, platform

from seonggwa.access import sheets as access
from seonggwa.accounts.models import Role
from seonggwa.evaluations.domain.assignments import assign
from seonggwa.evaluations.models import Round
from seonggwa.registry.models import Organisation, OrganisationKind
from seonggwa.sheets.domain import sheets as domain
from seonggwa.sheets.models import Sheet

pytestmark = pytest.mark.django_db

AUTHOR = "evaluator assigned to the subject (author)"
WHOLE = "evaluator assigned to the whole round"
OTHER = "evaluator assigned only to another subject"
NONE = "evaluator not assigned"
OFFICER = "officer"
COMMITTEE = "committee assigned to the round"

#: who may do what (everyone not listed: no)
EXPECTED = {
    "sheets.rate_subject": {AUTHOR, WHOLE},
    "sheets.view_sheet": {OFFICER, AUTHOR},
    "sheets.edit_sheet": {AUTHOR},
    "sheets.reopen_sheet": {OFFICER},
    "sheets.manage_scoring": {OFFICER},
}


@pytest.fixture
def world(db, django_user_model):
    rnd = civic_round()
    subject, other = platform("가구 시민협력플랫폼"), platform("나구 시민협력플랫폼")
    officer = make_user(django_user_model, "officer", Role.OFFICER, "김담당")
    org = Organisation.objects.create(kind=OrganisationKind.PLATFORM, name="가구 단체")
    users = {
        "anonymous": AnonymousUser(),
        "no role": django_user_model.objects.create_user("norole"),
        OFFICER: officer,
        "department": make_user(django_user_model, "dept", Role.DEPARTMENT, "부서"),
        "contractor of the platform": make_user(django_user_model, "firm", Role.CONTRACTOR,
                                                "단체", organisation=org),
        COMMITTEE: make_user(django_user_model, "comm", Role.COMMITTEE, "위원회"),
        AUTHOR: make_user(django_user_model, "author", Role.EVALUATOR, "위원1"),
        WHOLE: make_user(django_user_model, "whole", Role.EVALUATOR, "기관"),
        OTHER: make_user(django_user_model, "other", Role.EVALUATOR, "남위원"),
        NONE: make_user(django_user_model, "none", Role.EVALUATOR, "무배정"),
    }
    assign(users[AUTHOR], rnd, subject, actor=officer)
    assign(users[WHOLE], rnd, actor=officer)
    assign(users[OTHER], rnd, other, actor=officer)
    assign(users[COMMITTEE], rnd, actor=officer)
    sheet = domain.open_sheet(rnd, subject, users[AUTHOR])
    return {"round": rnd, "subject": subject, "other": other, "sheet": sheet, "users": users}


def _object(world, perm):
    if perm == "sheets.rate_subject":
        return access.Target(world["round"], world["subject"])
    if perm == "sheets.manage_scoring":
        return world["round"]
    return world["sheet"]


def _in_twin(world, perm, user) -> bool:
    rnd, sheet = world["round"], world["sheet"]
    if perm == "sheets.rate_subject":
        return access.rateable_subjects(user, rnd).filter(pk=world["subject"].pk).exists()
    twin = {"sheets.view_sheet": access.visible_sheets,
            "sheets.edit_sheet": access.editable_sheets,
            "sheets.reopen_sheet": access.reopenable_sheets}.get(perm)
    if twin is not None:
        return twin(user, Sheet.objects.all()).filter(pk=sheet.pk).exists()
    return access.scoring_rounds(user, Round.objects.all()).filter(pk=rnd.pk).exists()


@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_the_matrix_and_its_twins(world, perm):
    for name, user in world["users"].items():
        expected = name in EXPECTED[perm]
        assert user.has_perm(perm, _object(world, perm)) is expected, (perm, name)
        assert _in_twin(world, perm, user) is expected, (perm, name)


def test_an_unassigned_author_keeps_reading_but_no_longer_edits(world):
    from seonggwa.evaluations.domain.assignments import unassign

    author = world["users"][AUTHOR]
    unassign(author, world["round"], world["subject"], actor=world["users"][OFFICER])
    assert author.has_perm("sheets.view_sheet", world["sheet"])
    assert not author.has_perm("sheets.edit_sheet", world["sheet"])
    assert not access.editable_sheets(author).exists()
    assert not author.has_perm("sheets.rate_subject",
                               access.Target(world["round"], world["subject"]))


def test_the_whole_round_evaluator_rates_every_subject_of_the_round(world):
    whole = world["users"][WHOLE]
    for subject in (world["subject"], world["other"]):
        assert whole.has_perm("sheets.rate_subject", access.Target(world["round"], subject))
    other_round = civic_round(2019)
    assert not whole.has_perm("sheets.rate_subject", access.Target(other_round,
                                                                   world["subject"]))
    assert not access.rateable_subjects(whole, other_round).exists()


def _status(world, name, url, method="get", data=None) -> int:
    client = Client()
    user = world["users"][name]
    if name != "anonymous":
        client.force_login(user)
    return getattr(client, method)(url, data or {}).status_code


@pytest.mark.parametrize("page, allowed, denied", [
    ("edit", {AUTHOR: 200, WHOLE: 200},
     {OTHER: 403, NONE: 403, OFFICER: 403, COMMITTEE: 403, "department": 403,
      "contractor of the platform": 403, "no role": 403, "anonymous": 302}),
    ("detail", {AUTHOR: 200, OFFICER: 200},
     {WHOLE: 404, OTHER: 404, NONE: 404, COMMITTEE: 404, "department": 404,
      "contractor of the platform": 404, "no role": 404, "anonymous": 302}),
    ("mine", {AUTHOR: 200, WHOLE: 200, OTHER: 200, NONE: 200, OFFICER: 200},
     {COMMITTEE: 403, "department": 403, "contractor of the platform": 403, "no role": 403,
      "anonymous": 302}),
    ("round", {OFFICER: 200},
     {AUTHOR: 403, WHOLE: 403, COMMITTEE: 403, "department": 403, "anonymous": 302}),
    ("desk", {OFFICER: 200}, {AUTHOR: 403, WHOLE: 403, COMMITTEE: 403, "anonymous": 302}),
    ("aggregation", {OFFICER: 200}, {AUTHOR: 403, WHOLE: 403, COMMITTEE: 403}),
])
def test_pages_by_role(world, page, allowed, denied):
    rnd, subject, sheet = world["round"], world["subject"], world["sheet"]
    url = {"edit": reverse("office:sheets_edit", args=[rnd.pk, subject.pk]),
           "detail": reverse("office:sheets_detail", args=[sheet.pk]),
           "mine": reverse("office:sheets_mine"),
           "round": reverse("office:sheets_round", args=[rnd.pk]),
           "desk": reverse("office:sheets_desk", args=[rnd.pk]),
           "aggregation": reverse("office:sheets_aggregation", args=[rnd.pk, subject.pk])}[page]
    for name, status in {**allowed, **denied}.items():
        assert _status(world, name, url) == status, (page, name)


def test_posts_by_anyone_but_the_officer_are_refused_and_change_nothing(world):
    rnd, subject, sheet = world["round"], world["subject"], world["sheet"]
    posts = [reverse("office:sheets_compute", args=[rnd.pk]),
             reverse("office:sheets_desk", args=[rnd.pk]),
             reverse("office:sheets_reopen", args=[sheet.pk])]
    for name in (AUTHOR, WHOLE, COMMITTEE, "department"):
        for url in posts:
            assert _status(world, name, url, "post", {"subject": subject.pk,
                                                      f"{subject.pk}-Q": "90"}) in (403, 404)
    # another evaluator posting into the author's sheet address edits only their own
    assert _status(world, OTHER, reverse("office:sheets_edit", args=[rnd.pk, subject.pk]),
                   "post", {"action": "save", "G1-value": "1"}) == 403
    assert not Sheet.objects.exclude(pk=sheet.pk).exists()
    assert sheet.entries.filter(value__isnull=False).count() == 0
