"""Who may do what in the panels part, as a role × action matrix — including evaluators
outside their panel — and each rule's queryset twin agreeing with it on every object."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from panels.factories import civic_round

from seonggwa.access import panels as access
from seonggwa.panels.domain.conflicts import declare_conflict
from seonggwa.panels.domain.recusals import decide_challenge, file_challenge, recuse
from seonggwa.panels.domain.seats import seat
from seonggwa.panels.models import Challenge, DeclaredConflict, Recusal, Seat

WHO = ("anonymous", "no role", "officer", "seated member", "member elsewhere",
       "pool member on no panel", "evaluator outside the pool", "evaluated organisation",
       "other organisation", "department", "committee")


@pytest.fixture
def world(db):
    civic = civic_round()
    officer = civic["officer"]
    w = {
        "civic": civic,
        "seat": seat(civic.round, civic.subject, civic["expert1"], "expert", actor=officer),
        "elsewhere": seat(civic.round, civic.other_subject, civic["city1"], "city",
                          actor=officer),
    }
    w["recusal"] = recuse(civic.round, civic.subject, civic["city2"], reason="사정",
                          actor=civic["city2"])
    w["declaration"] = declare_conflict(civic["expert2"], subject=civic.subject,
                                        reason="자문", actor=civic["expert2"])
    w["filed"] = file_challenge(civic.round, civic.subject, civic["expert1"], reason="사유",
                                actor=civic["contractor"])
    w["decided"] = file_challenge(civic.round, civic.other_subject, civic["city1"],
                                  reason="사유", actor=civic["other_contractor"])
    w["decided"] = decide_challenge(w["decided"], accept=False, reason="기각", actor=officer)
    w["users"] = {
        "anonymous": AnonymousUser(),
        "no role": _no_role(),
        "officer": officer,
        "seated member": civic["expert1"],
        "member elsewhere": civic["city1"],
        "pool member on no panel": civic["expert2"],
        "evaluator outside the pool": civic["not_in_pool"],
        "evaluated organisation": civic["contractor"],
        "other organisation": civic["other_contractor"],
        "department": civic["department"],
        "committee": civic["committee"],
    }
    return w


def _no_role():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("norole")


def may(world, perm, obj=None) -> set[str]:
    return {who for who, u in world["users"].items() if u.has_perm(perm, obj)}


def test_managing_panels_is_the_officers(world):
    assert may(world, "panels.manage_panels") == {"officer"}


def test_the_members_page_is_for_evaluators_in_the_pool(world):
    assert may(world, "panels.act_as_member") == {
        "seated member", "member elsewhere", "pool member on no panel"}


def test_who_sees_a_seat(world):
    """The member on it, the evaluated organisation (to challenge), the officer — not an
    evaluator of another panel, not another organisation."""
    assert may(world, "panels.view_seat", world["seat"]) == {
        "officer", "seated member", "evaluated organisation"}
    assert may(world, "panels.view_seat", world["elsewhere"]) == {
        "officer", "member elsewhere", "other organisation"}


def test_only_the_seated_member_recuses_from_a_seat(world):
    assert may(world, "panels.recuse", world["seat"]) == {"seated member"}
    world["seat"].ended_at = world["seat"].seated_at  # an ended seat: nobody
    assert may(world, "panels.recuse", world["seat"]) == set()


def test_only_the_member_withdraws_their_recusal_or_declaration(world):
    civic = world["civic"]
    world["users"]["recused member"] = civic["city2"]
    assert may(world, "panels.withdraw_recusal", world["recusal"]) == {"recused member"}
    assert may(world, "panels.withdraw_declaration", world["declaration"]) == {
        "pool member on no panel"}


def test_only_the_evaluated_organisation_challenges_for_its_subject(world):
    civic = world["civic"]
    assert may(world, "panels.file_challenge", civic.subject) == {"evaluated organisation"}
    assert may(world, "panels.file_challenge", civic.other_subject) == {"other organisation"}


def test_who_sees_and_decides_a_challenge(world):
    assert may(world, "panels.view_challenge", world["filed"]) == {
        "officer", "evaluated organisation"}
    assert may(world, "panels.decide_challenge", world["filed"]) == {"officer"}
    assert may(world, "panels.decide_challenge", world["decided"]) == set()  # final


TWINS = {
    "panels.view_seat": (access.visible_seats, lambda: Seat.objects.all()),
    "panels.recuse": (access.recusable_seats, lambda: Seat.objects.all()),
    "panels.withdraw_recusal": (access.withdrawable_recusals, lambda: Recusal.objects.all()),
    "panels.withdraw_declaration": (access.withdrawable_declarations,
                                    lambda: DeclaredConflict.objects.all()),
    "panels.view_challenge": (access.visible_challenges, lambda: Challenge.objects.all()),
    "panels.decide_challenge": (access.decidable_challenges, lambda: Challenge.objects.all()),
}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("perm", list(TWINS))
def test_rule_and_twin_agree_on_every_object(world, who, perm):
    u = world["users"][who]
    twin, everything = TWINS[perm]
    ruled = {obj.pk for obj in everything() if u.has_perm(perm, obj)}
    assert set(twin(u, everything()).values_list("pk", flat=True)) == ruled, (who, perm)


@pytest.mark.parametrize("who", WHO)
def test_challengeable_subjects_twin(world, who):
    from seonggwa.evaluations.models import Subject

    u = world["users"][who]
    ruled = {s.pk for s in Subject.objects.all() if u.has_perm("panels.file_challenge", s)}
    assert set(access.challengeable_subjects(u).values_list("pk", flat=True)) == ruled
