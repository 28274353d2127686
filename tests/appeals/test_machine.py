"""Every transition of the appeal machine from every state: allowed where the machine
says so, refused (with the reason, nothing changed) everywhere else."""

from __future__ import annotations

import pytest

from appeals.helpers import appeal_of, object_, release
from seonggwa.appeals.domain.machine import APPEAL
from seonggwa.appeals.models import AppealState
from seonggwa.core.models import AuditEvent
from seonggwa.core.statemachine import TransitionRefused

ALLOWED = {
    (AppealState.NOTIFIED, "object"), (AppealState.NOTIFIED, "lapse"),
    (AppealState.OBJECTED, "uphold"), (AppealState.OBJECTED, "revise"),
}
STATES = [AppealState.NOTIFIED, AppealState.OBJECTED, AppealState.FINAL]
NAMES = ["object", "uphold", "revise", "lapse"]


def test_the_machine_is_as_drawn():
    table = {(s, t.name) for t in APPEAL.transitions for s in t.source}
    assert table == ALLOWED
    assert {t.name: t.target for t in APPEAL.transitions} == {
        "object": AppealState.OBJECTED, "uphold": AppealState.FINAL,
        "revise": AppealState.FINAL, "lapse": AppealState.FINAL}
    assert all(t.needs_reason for t in APPEAL.transitions if t.name != "lapse")


def _appeal_in(world, state):
    appeal = appeal_of(world.mapo)
    if state in (AppealState.OBJECTED, AppealState.FINAL):
        object_(world, appeal)
        appeal.refresh_from_db()
    if state == AppealState.FINAL:
        APPEAL.fire(appeal, "uphold", reason="원안 유지", actor=world.officer)
    assert appeal.state == state
    return appeal


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("name", NAMES)
def test_each_transition_from_each_state(world, state, name):
    release(world)
    appeal = _appeal_in(world, state)
    events = AuditEvent.objects.count()
    if (state, name) in ALLOWED:
        APPEAL.fire(appeal, name, reason="사유", actor=world.officer)
        appeal.refresh_from_db()
        assert appeal.state == APPEAL.transition(name).target
        event = AuditEvent.objects.order_by("-id").first()
        assert event.action == f"appeal.{name}"
        assert event.before["state"] == state and event.after["state"] == appeal.state
        assert event.actor == world.officer and event.reason == "사유"
    else:
        with pytest.raises(TransitionRefused) as exc:
            APPEAL.fire(appeal, name, reason="사유", actor=world.officer)
        assert "할 수 없습니다" in exc.value.messages[0]
        appeal.refresh_from_db()
        assert appeal.state == state
        assert AuditEvent.objects.count() == events


def test_a_re_review_needs_a_reason_and_an_objection(world):
    release(world)
    appeal = appeal_of(world.mapo)
    object_(world, appeal)
    appeal.refresh_from_db()
    assert APPEAL.refusal(appeal, "uphold", reason=" ") == "'원안 유지'에는 사유가 필요합니다."
    other = appeal_of(world.eunpyeong)
    other.state = AppealState.OBJECTED  # in memory only: no objection row exists
    assert APPEAL.refusal(other, "revise", reason="사유") == "접수된 이의신청이 없습니다."
