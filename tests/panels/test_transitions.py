"""Every allowed and forbidden transition of recusals (회피), challenges (기피) and
declared conflicts; each change audited, each refusal explained and changing nothing."""

from __future__ import annotations

import pytest

from seonggwa.core.models import AuditEvent
from seonggwa.core.statemachine import TransitionRefused
from seonggwa.evaluations.models import Assignment
from seonggwa.panels.domain.conflicts import check_conflicts, declare_conflict, withdraw_declaration
from seonggwa.panels.domain.errors import PanelRefused
from seonggwa.panels.domain.machines import CHALLENGE, RECUSAL
from seonggwa.panels.domain.recusals import (
    decide_challenge,
    file_challenge,
    recuse,
    withdraw_recusal,
)
from seonggwa.panels.domain.seats import add_to_template, seat
from seonggwa.panels.models import Challenge, ChallengeState, Recusal, RecusalState, Seat


def test_the_machines_as_data():
    assert [(t["from"], t["to"]) for t in RECUSAL.table()] == [(["회피 중"], "회피 철회")]
    assert [(t["transition"], t["to"], t["needs_reason"]) for t in CHALLENGE.table()] == [
        ("기피 인용", "인용", True), ("기피 기각", "기각", True)]


# --- recusal ----------------------------------------------------------------------------

def test_a_seated_member_recuses_and_leaves_the_panel(civic):
    member = civic["expert1"]
    placed = seat(civic.round, civic.subject, member, "expert", actor=civic["officer"])
    recusal = recuse(civic.round, civic.subject, member, reason="지난해 자문", actor=member)
    assert recusal.state == RecusalState.ACTIVE
    placed.refresh_from_db()
    assert placed.ended_at is not None and placed.ended_reason == "회피: 지난해 자문"
    assert not Assignment.objects.filter(user=member).exists()
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="panels.")
            .exclude(action="panels.member_enrol").order_by("id")] == [
        "panels.seat", "panels.recusal", "panels.unseat"]


def test_a_recusal_before_being_seated_keeps_the_member_off(civic):
    member = civic["expert1"]
    recuse(civic.round, civic.subject, member, reason="개인 사정", actor=member)
    with pytest.raises(PanelRefused, match="회피: 본인이 회피를 신청했습니다: 개인 사정"):
        seat(civic.round, civic.subject, member, "expert", actor=civic["officer"])


def test_recusing_twice_or_without_a_reason_is_refused(civic):
    member = civic["expert1"]
    with pytest.raises(PanelRefused, match="회피 사유을\\(를\\) 적어"):
        recuse(civic.round, civic.subject, member, reason=" ", actor=member)
    recuse(civic.round, civic.subject, member, reason="사정", actor=member)
    with pytest.raises(PanelRefused, match="이미 회피를 신청했습니다"):
        recuse(civic.round, civic.subject, member, reason="사정", actor=member)
    assert Recusal.objects.count() == 1


def test_only_pool_members_recuse(civic):
    for who in ("not_in_pool", "contractor", "officer"):
        with pytest.raises(PanelRefused, match="평가위원 후보로 등록된 평가위원만"):
            recuse(civic.round, civic.subject, civic[who], reason="사정", actor=civic[who])
    assert not Recusal.objects.exists()


def test_withdrawing_a_recusal_needs_a_reason_happens_once_and_frees_the_member(civic):
    member = civic["expert1"]
    recusal = recuse(civic.round, civic.subject, member, reason="사정", actor=member)
    with pytest.raises(PanelRefused, match="철회 사유"):
        withdraw_recusal(recusal, reason="", actor=member)
    withdraw_recusal(recusal, reason="사정이 해소됨", actor=member)
    recusal.refresh_from_db()
    assert recusal.state == RecusalState.WITHDRAWN
    event = AuditEvent.objects.get(action="panels.recusal_withdraw")
    assert event.before["state"] == "active" and event.after["state"] == "withdrawn"
    assert event.reason == "사정이 해소됨"
    with pytest.raises(TransitionRefused, match="회피 철회 상태에서는"):
        withdraw_recusal(recusal, reason="또", actor=member)
    assert check_conflicts(civic.round, civic.subject, member) == []
    seat(civic.round, civic.subject, member, "expert", actor=civic["officer"])
    # and may recuse again later
    recuse(civic.round, civic.subject, member, reason="새 사정", actor=member)
    assert Recusal.objects.filter(state=RecusalState.ACTIVE).count() == 1


# --- challenge ---------------------------------------------------------------------------

@pytest.fixture
def seated(civic):
    seat(civic.round, civic.subject, civic["expert1"], "expert", actor=civic["officer"])
    return civic


def file(civic, who="contractor", member="expert1", reason="사업을 공개 비판해 왔음"):
    return file_challenge(civic.round, civic.subject, civic[member], reason=reason,
                          actor=civic[who])


def test_the_evaluated_organisation_challenges_a_seated_member(seated):
    challenge = file(seated)
    assert challenge.state == ChallengeState.FILED
    assert challenge.organisation == seated.platforms["서대문구 협치플랫폼"]
    assert AuditEvent.objects.get(action="panels.challenge_file").actor == seated["contractor"]


def test_a_proposed_member_of_the_default_composition_may_be_challenged(civic):
    add_to_template(civic.round, civic["city1"], "city", actor=civic["officer"])
    assert file(civic, member="city1").state == ChallengeState.FILED


@pytest.mark.parametrize(("who", "member", "message"), [
    ("other_contractor", "expert1", "자기 기관이 평가받는 대상에 대해서만"),
    ("department", "expert1", "자기 기관이 평가받는 대상에 대해서만"),
    ("expert2", "expert1", "자기 기관이 평가받는 대상에 대해서만"),
    ("contractor", "expert2", "배정되거나 제안된 위원이 아닙니다"),
])
def test_who_may_not_challenge_whom(seated, who, member, message):
    with pytest.raises(PanelRefused, match=message):
        file(seated, who=who, member=member)
    assert not Challenge.objects.exists()


def test_one_challenge_per_member_and_a_reason(seated):
    with pytest.raises(PanelRefused, match="기피 사유을\\(를\\) 적어"):
        file(seated, reason="")
    file(seated)
    with pytest.raises(PanelRefused, match="이미 있습니다\\(위원마다 한 번\\)"):
        file(seated, reason="다른 사유")
    assert Challenge.objects.count() == 1


def test_accepted_the_member_leaves_the_panel_and_cannot_return(seated):
    challenge = file(seated)
    with pytest.raises(TransitionRefused, match="'기피 인용'에는 사유가 필요합니다"):
        decide_challenge(challenge, accept=True, reason="", actor=seated["officer"])
    assert Challenge.objects.get().state == ChallengeState.FILED
    decide_challenge(challenge, accept=True, reason="공정성 우려 인정", actor=seated["officer"])
    challenge.refresh_from_db()
    assert (challenge.state, challenge.decided_by, challenge.decision_reason) == (
        ChallengeState.ACCEPTED, seated["officer"], "공정성 우려 인정")
    assert not Seat.objects.filter(ended_at__isnull=True).exists()
    assert not Assignment.objects.filter(user=seated["expert1"]).exists()
    with pytest.raises(PanelRefused, match="기피 신청이 인용되었습니다"):
        seat(seated.round, seated.subject, seated["expert1"], "expert",
             actor=seated["officer"])


def test_rejected_the_member_stays(seated):
    challenge = file(seated)
    decide_challenge(challenge, accept=False, reason="사유가 구체적이지 않음",
                     actor=seated["officer"])
    challenge.refresh_from_db()
    assert challenge.state == ChallengeState.REJECTED
    assert Seat.objects.filter(member=seated["expert1"], ended_at__isnull=True).exists()
    assert check_conflicts(seated.round, seated.subject, seated["expert1"]) == []
    event = AuditEvent.objects.get(action="panels.challenge_reject")
    assert event.reason == "사유가 구체적이지 않음" and event.before["state"] == "filed"


@pytest.mark.parametrize("first", [True, False])
def test_a_decided_challenge_is_final(seated, first):
    challenge = file(seated)
    decide_challenge(challenge, accept=first, reason="결정", actor=seated["officer"])
    for again in (True, False):
        with pytest.raises(TransitionRefused, match="상태에서는"):
            decide_challenge(challenge, accept=again, reason="번복", actor=seated["officer"])
    challenge.refresh_from_db()
    assert challenge.decision_reason == "결정"


def test_a_pending_challenge_keeps_a_proposed_member_off_until_decided(civic):
    add_to_template(civic.round, civic["city1"], "city", actor=civic["officer"])
    challenge = file(civic, member="city1")
    with pytest.raises(PanelRefused, match="결정을 기다리고 있습니다"):
        seat(civic.round, civic.subject, civic["city1"], "city", actor=civic["officer"])
    decide_challenge(challenge, accept=False, reason="기각", actor=civic["officer"])
    assert seat(civic.round, civic.subject, civic["city1"], "city", actor=civic["officer"])


# --- declarations ------------------------------------------------------------------------

def test_declare_and_withdraw(civic):
    member = civic["expert1"]
    declaration = declare_conflict(member, subject=civic.subject, reason="자문", actor=member)
    with pytest.raises(PanelRefused, match="이미 신고되어 있습니다"):
        declare_conflict(member, subject=civic.subject, reason="자문", actor=member)
    withdraw_declaration(declaration, actor=member)
    assert check_conflicts(civic.round, civic.subject, member) == []
    with pytest.raises(PanelRefused, match="이미 철회한 신고"):
        withdraw_declaration(declaration, actor=member)
    assert [e.action for e in AuditEvent.objects.filter(
        action__startswith="panels.conflict_").order_by("id")] == [
        "panels.conflict_declare", "panels.conflict_withdraw"]


def test_a_second_declaration_in_force_is_refused_by_the_database_too(civic):
    from django.db import IntegrityError, transaction

    from seonggwa.panels.models import DeclaredConflict

    member = civic["expert1"]
    declare_conflict(member, subject=civic.subject, reason="자문", actor=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        DeclaredConflict.objects.create(member=member, subject=civic.subject, reason="또")


def test_a_recusal_names_a_subject_of_the_round(civic):
    from seonggwa.schedules.models import Schedule

    Schedule.objects.filter(round=civic.round, subject=civic.other_subject).delete()
    with pytest.raises(PanelRefused, match="평가 대상이 아닙니다"):
        recuse(civic.round, civic.other_subject, civic["expert1"], reason="사정",
               actor=civic["expert1"])


def test_a_declaration_names_exactly_one_target(civic):
    member = civic["expert1"]
    for kwargs in ({}, {"subject": civic.subject,
                        "organisation": civic.platforms["종로구 협치플랫폼"]}):
        with pytest.raises(PanelRefused, match="하나를 고르십시오"):
            declare_conflict(member, reason="자문", actor=member, **kwargs)
    with pytest.raises(PanelRefused, match="평가위원 후보로 등록된 평가위원만"):
        declare_conflict(civic["not_in_pool"], subject=civic.subject, reason="자문",
                         actor=civic["not_in_pool"])
