"""Seating a panel: every refusal says why and changes nothing; a seat assigns the member
to that subject only; counts, the peer rule, the default composition and two officers
seating at once."""

from __future__ import annotations

import pytest

from panels.factories import framework_with_panel, round_under
from seonggwa.access.policy import assignments_of, visible_rounds
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.models import Assignment, Status
from seonggwa.panels.domain import seats as seat_domain
from seonggwa.panels.domain.conflicts import lift_conflict
from seonggwa.panels.domain.errors import PanelRefused
from seonggwa.panels.domain.seats import (
    add_to_template,
    apply_template,
    composition_status,
    panel_of,
    remove_from_template,
    seat,
    unseat,
)
from seonggwa.panels.models import Seat, TemplateEntry
from seonggwa.schedules.models import Schedule


def refused(civic, who, seat_code, match, subject=None, round_=None):
    before = (Seat.objects.count(), Assignment.objects.count(), AuditEvent.objects.count())
    with pytest.raises(PanelRefused, match=match):
        seat(round_ or civic.round, subject or civic.subject, civic[who], seat_code,
             actor=civic["officer"])
    assert (Seat.objects.count(), Assignment.objects.count(),
            AuditEvent.objects.count()) == before


def test_a_seat_assigns_the_member_to_that_subject_only(civic):
    officer = civic["officer"]
    new = seat(civic.round, civic.subject, civic["expert1"], "expert", actor=officer)
    assert (new.seat_code, new.position, new.seated_by) == ("expert", 1, officer)
    [assignment] = assignments_of(civic["expert1"])
    assert (assignment.round, assignment.subject) == (civic.round, civic.subject)
    assert list(visible_rounds(civic["expert1"])) == [civic.round]
    event = AuditEvent.objects.get(action="panels.seat")
    assert event.after["member"] == "한교수" and event.after["seat"] == "외부 전문가"
    assert AuditEvent.objects.filter(action="assignment.add").count() == 1


def test_the_full_panel_of_seven_in_the_frameworks_order(civic):
    officer = civic["officer"]
    for who, code in (("peer2", "peer_year2"), ("peer1", "peer_year1"), ("expert2", "expert"),
                      ("expert1", "expert"), ("district", "district"), ("city2", "city"),
                      ("city1", "city")):
        seat(civic.round, civic.subject, civic[who], code, actor=officer)
    assert [s.seat_code for s in panel_of(civic.round, civic.subject)] == [
        "city", "city", "district", "expert", "expert", "peer_year1", "peer_year2"]
    status = composition_status(civic.round, civic.subject)
    assert status.complete and (status.filled, status.size) == (7, 7)


def test_composition_status_shows_open_places(civic):
    seat(civic.round, civic.subject, civic["city1"], "city", actor=civic["officer"])
    status = composition_status(civic.round, civic.subject)
    opened = {s.rule.code: s.open for s in status.seats}
    assert opened == {"city": 1, "district": 1, "expert": 2, "peer_year1": 1, "peer_year2": 1}
    assert not status.complete and status.filled == 1


def test_a_seat_over_its_count_is_refused(civic):
    seat(civic.round, civic.subject, civic["city1"], "city", actor=civic["officer"])
    seat(civic.round, civic.subject, civic["city2"], "city", actor=civic["officer"])
    refused(civic, "expert1", "city", r"'서울시\(팀장·협치지원관\)' 자리가 모두 찼습니다\(2명 중 2명\)")


def test_a_conflicted_member_is_refused_with_every_reason(civic):
    refused(civic, "insider", "expert",
            "내부자 위원은 이해충돌로 배정할 수 없습니다: 같은 자치구: .*서대문구.* / "
            "평가 대상 기관 소속: 평가 대상 기관\\(서대문구 협치플랫폼\\) 소속입니다")


@pytest.mark.parametrize(("who", "code", "match"), [
    ("not_in_pool", "city", "평가위원 후보로 등록되지 않았습니다"),
    ("contractor", "city", "평가위원 역할의 사용자만"),
    ("officer2", "city", "평가위원 역할의 사용자만"),
    ("committee", "city", "평가위원 역할의 사용자만"),
    ("city1", "mayor", "평가틀에 없는 자리입니다"),
    ("city1", "../../etc", "평가틀에 없는 자리입니다"),
])
def test_who_and_where_cannot_be_seated(civic, who, code, match):
    refused(civic, who, code, match)


def test_the_same_member_twice_is_refused(civic):
    seat(civic.round, civic.subject, civic["expert1"], "expert", actor=civic["officer"])
    refused(civic, "expert1", "expert", "이미 이 평가단에 있습니다")


def test_a_member_assigned_to_the_whole_round_is_refused(civic):
    """They would see every subject, the conflicted ones too."""
    from seonggwa.evaluations.domain.assignments import assign

    assign(civic["expert1"], civic.round, actor=civic["officer"])
    refused(civic, "expert1", "expert", "차수 전체에 배정되어 있어 모든 평가 대상을 봅니다")


def test_a_subject_outside_the_round_is_refused(civic):
    Schedule.objects.filter(round=civic.round, subject=civic.other_subject).delete()
    refused(civic, "city1", "city", "평가 대상이 아닙니다", subject=civic.other_subject)


def test_a_finalised_round_is_refused(civic):
    workflow.finalise_round(civic.round, actor_label="test")
    civic.round.refresh_from_db()
    assert civic.round.status == Status.FINALISED
    refused(civic, "city1", "city", "확정 상태라 평가단을 바꿀 수 없습니다")


def test_a_round_without_a_panel_section_seats_nobody(civic):
    rnd = round_under(framework_with_panel(None), civic)
    refused(civic, "city1", "city", "평가단 구성\\(자리\\)이 정해져 있지 않습니다", round_=rnd)


# --- the peer rule -------------------------------------------------------------------

def test_peers_come_from_another_districts_platform_in_the_seats_year(civic):
    refused(civic, "peer2", "peer_year1",
            "1년차 플랫폼 몫인데, 소속 플랫폼\\(중구 협치플랫폼\\)은 2년차입니다")
    refused(civic, "peer1", "peer_year2", "2년차 플랫폼 몫인데.*1년차입니다")
    refused(civic, "expert1", "peer_year1", "소속 기관이 플랫폼이 아닙니다")
    assert seat(civic.round, civic.subject, civic["peer2b"], "peer_year2",
                actor=civic["officer"]).member == civic["peer2b"]


def test_a_peer_from_the_evaluated_district_is_refused_even_when_the_officer_lifted_it(civic):
    member = civic["same_district_peer"]  # another platform of 서대문구, year 2
    lift_conflict(civic.round, civic.subject, member, "same_district", reason="예외",
                  actor=civic["officer"])
    refused(civic, "same_district_peer", "peer_year2",
            "다른 자치구 플랫폼에서 와야 하는데, 평가 대상과 같은 자치구\\(서대문구\\)입니다")


def test_a_peer_whose_platform_has_no_project_year_is_refused(civic):
    Schedule.objects.filter(subject=civic.subjects["종로구 협치플랫폼"]).update(project_year=None)
    refused(civic, "peer1", "peer_year1", "사업 연차가 일정에 없어")


def test_a_peers_project_year_may_come_from_another_round_of_the_year(civic):
    rnd = round_under(civic.round.framework_version, civic)
    Schedule.objects.filter(round=rnd, subject=civic.subjects["종로구 협치플랫폼"]).delete()
    assert seat(rnd, civic.subject, civic["peer1"], "peer_year1",
                actor=civic["officer"]).member == civic["peer1"]


# --- unseating ------------------------------------------------------------------------

def test_unseat_needs_a_reason_and_removes_the_assignment(civic):
    officer = civic["officer"]
    placed = seat(civic.round, civic.subject, civic["city1"], "city", actor=officer)
    for blank in ("", " \n "):
        with pytest.raises(PanelRefused, match="해촉 사유"):
            unseat(placed, reason=blank, actor=officer)
    assert Assignment.objects.filter(user=civic["city1"]).exists()
    unseat(placed, reason="일정이 겹침", actor=officer)
    placed.refresh_from_db()
    assert placed.ended_at is not None and placed.ended_reason == "일정이 겹침"
    assert not Assignment.objects.filter(user=civic["city1"]).exists()
    assert panel_of(civic.round, civic.subject) == []
    assert AuditEvent.objects.get(action="panels.unseat").reason == "일정이 겹침"
    with pytest.raises(PanelRefused, match="이미 이 평가단에서 빠졌습니다"):
        unseat(placed, reason="다시", actor=officer)
    # the place is free again and the member may be seated again
    assert seat(civic.round, civic.subject, civic["city1"], "city", actor=officer).position == 1


def test_hostile_reasons_are_refused_with_a_message(civic):
    placed = seat(civic.round, civic.subject, civic["city1"], "city", actor=civic["officer"])
    for text, match in (("가" * 2001, "2000자 이내"), ("a\x00b", "제어 문자"),
                        ("\x07", "제어 문자")):
        with pytest.raises(PanelRefused, match=match):
            unseat(placed, reason=text, actor=civic["officer"])
    assert Seat.objects.get(pk=placed.pk).ended_at is None
    unseat(placed, reason="=SUM(A1:A9)\n<script>", actor=civic["officer"])  # kept as text
    assert Seat.objects.get(pk=placed.pk).ended_reason == "=SUM(A1:A9)\n<script>"


# --- the round's default composition --------------------------------------------------

def test_the_default_composition_applies_to_each_subject_with_its_own_check(civic):
    officer = civic["officer"]
    for who, code in (("city1", "city"), ("city2", "city"), ("expert1", "expert"),
                      ("peer1", "peer_year1")):
        add_to_template(civic.round, civic[who], code, actor=officer)
    applied = apply_template(civic.round, civic.subject, actor=officer)
    assert {s.member.username for s in applied.seated} == {"city1", "city2", "expert1",
                                                            "peer1"}
    # 종로구's panel: its own platform head is conflicted, so skipped with the reason
    applied = apply_template(civic.round, civic.other_subject, actor=officer)
    assert {s.member.username for s in applied.seated} == {"city1", "city2", "expert1"}
    [(entry, why)] = applied.skipped
    assert entry.member == civic["peer1"] and "같은 자치구" in why
    # applying again seats nobody twice
    again = apply_template(civic.round, civic.subject, actor=officer)
    assert again.seated == () and len(again.skipped) == 4
    assert all("이미 이 평가단에 있습니다" in why for _e, why in again.skipped)


def test_the_default_composition_keeps_to_the_counts_and_the_pool(civic):
    officer = civic["officer"]
    add_to_template(civic.round, civic["city1"], "city", actor=officer)
    add_to_template(civic.round, civic["city2"], "city", actor=officer)
    with pytest.raises(PanelRefused, match="기본 구성의 '서울시\\(팀장·협치지원관\\)' 자리가 모두"):
        add_to_template(civic.round, civic["expert1"], "city", actor=officer)
    with pytest.raises(PanelRefused, match="이미 기본 구성에 있습니다"):
        add_to_template(civic.round, civic["city1"], "expert", actor=officer)
    with pytest.raises(PanelRefused, match="후보로 등록되지 않았습니다"):
        add_to_template(civic.round, civic["not_in_pool"], "expert", actor=officer)
    entry = TemplateEntry.objects.get(member=civic["city2"])
    remove_from_template(entry, actor=officer)
    assert list(TemplateEntry.objects.values_list("member__username", flat=True)) == ["city1"]
    assert AuditEvent.objects.filter(action__startswith="panels.template_").count() == 3


# --- two officers at once ----------------------------------------------------------------

def test_two_officers_filling_the_last_place_at_once_the_database_keeps_one(civic, monkeypatch):
    """Both officers found place 1 of the district seat free; the second insert hits the
    partial unique constraint and is refused with a message, nothing changed."""
    seat(civic.round, civic.subject, civic["district"], "district", actor=civic["officer"])
    monkeypatch.setattr(seat_domain, "_free_position", lambda *args: 1)  # read before
    before = (Seat.objects.count(), Assignment.objects.count(), AuditEvent.objects.count())
    with pytest.raises(PanelRefused, match="그사이 다른 담당자가 같은 자리나 같은 위원을 먼저"):
        seat(civic.round, civic.subject, civic["expert1"], "district",
             actor=civic["officer2"])
    assert (Seat.objects.count(), Assignment.objects.count(),
            AuditEvent.objects.count()) == before
