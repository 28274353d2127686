"""A conflict the officer lifted: said by its kind's label (never its code), and revoked
by the officer with a reason — audited, the conflict in force again, the revoked waiver
kept as history — through the waiver's state machine and the panel page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain import workflow
from seonggwa.panels.domain.conflicts import (
    KIND_LABELS,
    check_conflicts,
    lift_conflict,
    revoke_waiver,
)
from seonggwa.panels.domain.errors import PanelRefused
from seonggwa.panels.domain.machines import WAIVER
from seonggwa.panels.domain.seats import seat, unseat
from seonggwa.panels.models import ConflictKind, ConflictWaiver, WaiverState

REASON = "구청 협치 담당으로 구 몫 위원 위촉"


@pytest.fixture
def lifted(civic):
    return lift_conflict(civic.round, civic.subject, civic["same_district"], "same_district",
                         reason=REASON, actor=civic["officer"])


def test_a_waiver_s_kind_is_one_of_the_conflict_kinds_and_said_in_korean(civic, lifted):
    field = ConflictWaiver._meta.get_field("kind")
    assert dict(field.choices) == dict(ConflictKind.choices) == KIND_LABELS
    assert lifted.get_kind_display() == "같은 자치구"
    text = str(lifted)
    assert "같은 자치구" in text and "이해충돌 해제" in text
    assert "same_district" not in text and "sdm-official" not in text


def test_the_machine_revokes_only_a_lifted_waiver_and_always_with_a_reason():
    assert [(t["transition"], t["from"], t["to"], t["needs_reason"]) for t in WAIVER.table()] == [
        ("이해충돌 해제 취소", ["해제됨"], "해제 취소됨", True)]


def test_the_officer_revokes_a_lifted_conflict_audited_and_it_applies_again(civic, lifted):
    member, officer = civic["same_district"], civic["officer"]
    assert check_conflicts(civic.round, civic.subject, member) == []
    revoked = revoke_waiver(lifted, reason="위촉 근거가 확인되지 않음", actor=officer)
    assert revoked.state == WaiverState.REVOKED and revoked.revoked_by == officer
    assert revoked.revoke_reason == "위촉 근거가 확인되지 않음" and revoked.revoked_at
    assert [c.kind for c in check_conflicts(civic.round, civic.subject, member)] == [
        "same_district"]
    event = AuditEvent.objects.get(action="panels.conflict_revoke")
    assert (event.actor, event.reason) == (officer, "위촉 근거가 확인되지 않음")
    assert (event.before["state"], event.after["state"]) == ("lifted", "revoked")
    assert event.after["kind"] == "same_district" and event.object_id == str(lifted.pk)
    with pytest.raises(PanelRefused, match="같은 자치구"):
        seat(civic.round, civic.subject, member, "district", actor=officer)
    # the revoked waiver stays as history; the conflict may be lifted anew
    again = lift_conflict(civic.round, civic.subject, member, "same_district",
                          reason="새 위촉 근거 확인", actor=officer)
    assert ConflictWaiver.objects.filter(state=WaiverState.REVOKED).get() == lifted
    assert again.state == WaiverState.LIFTED and check_conflicts(
        civic.round, civic.subject, member) == []


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_a_revocation_needs_its_reason(civic, lifted, blank):
    with pytest.raises(PanelRefused, match="해제 취소 사유"):
        revoke_waiver(lifted, reason=blank, actor=civic["officer"])
    lifted.refresh_from_db()
    assert lifted.state == WaiverState.LIFTED
    assert not AuditEvent.objects.filter(action="panels.conflict_revoke").exists()


def test_a_waiver_is_revoked_once(civic, lifted):
    revoke_waiver(lifted, reason="근거 없음", actor=civic["officer"])
    with pytest.raises(PanelRefused, match="이미 취소했습니다"):
        revoke_waiver(lifted, reason="근거 없음", actor=civic["officer"])
    assert AuditEvent.objects.filter(action="panels.conflict_revoke").count() == 1


def test_a_seated_member_is_taken_off_the_panel_before_the_revocation(civic, lifted):
    officer = civic["officer"]
    placed = seat(civic.round, civic.subject, civic["same_district"], "district", actor=officer)
    with pytest.raises(PanelRefused, match="먼저 평가단에서 제외한 뒤"):
        revoke_waiver(lifted, reason="근거 없음", actor=officer)
    lifted.refresh_from_db()
    assert lifted.state == WaiverState.LIFTED
    unseat(placed, reason="이해충돌 재검토", actor=officer)
    assert revoke_waiver(lifted, reason="근거 없음", actor=officer).state == WaiverState.REVOKED


def test_a_finalised_round_keeps_its_waivers(civic, lifted):
    workflow.finalise_round(civic.round, actor_label="test")
    with pytest.raises(PanelRefused, match="평가단을 바꿀 수 없습니다"):
        revoke_waiver(lifted, reason="근거 없음", actor=civic["officer"])


def test_the_officer_revokes_through_the_panel_page(civic, lifted):
    c = Client()
    c.force_login(civic["officer"])
    url = reverse("office:panels_subject", args=[civic.round.pk, civic.subject.pk])
    page = c.get(url)
    assert "해제 취소 사유" in page.content.decode()
    refused = c.post(url, {"action": "revoke", "waiver": lifted.pk, "reason": " ",
                           "version": page.context["version"]})
    assert refused.status_code == 400 and 'role="alert"' in refused.content.decode()
    for hostile in ("abc", "1/2", "99999999999999999999"):
        response = c.post(url, {"action": "revoke", "waiver": hostile, "reason": "근거 없음",
                                "version": c.get(url).context["version"]})
        assert response.status_code == 400
    lifted.refresh_from_db()
    assert lifted.state == WaiverState.LIFTED
    done = c.post(url, {"action": "revoke", "waiver": lifted.pk, "reason": "근거 없음",
                        "version": c.get(url).context["version"]}, follow=True)
    html = done.content.decode()
    assert "이해충돌 해제를 취소했습니다" in html and "이해충돌 해제 취소" in html  # the trail
    lifted.refresh_from_db()
    assert lifted.state == WaiverState.REVOKED
