"""Releasing a round's results: the reviewed messages, sent together, recorded on the
schedule, the objection window opened from the notified date; refused when stale."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from appeals.helpers import release
from seonggwa.appeals.domain import process
from seonggwa.appeals.models import Appeal, AppealState, Notice, Release
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.models import Status
from seonggwa.schedules.domain import windows


def test_each_pending_result_has_one_message_with_grade_total_decision_and_deadline(world):
    messages = process.outgoing(world.round, today=world.day)
    assert [m.result for m in messages] == [world.mapo, world.eunpyeong]
    mapo = messages[0]
    assert (mapo.total, mapo.scale_max, mapo.grade) == ("160.00", "200.00", "양호")
    # 7 working days from the day after Monday 25 June 2018: the weekend is skipped
    assert mapo.deadline == date(2018, 7, 4)
    assert "근무일 7일" in mapo.deadline_how
    assert mapo.recipients == [world.mapo_user, world.mapo_user2]
    text = mapo.text(world.round)
    assert "총점: 160.00점 (만점 200.00점)" in text and "등급: 양호" in text
    assert "2018-07-04까지 한 번 신청할 수 있습니다" in text


def test_release_notifies_every_organisation_user_once_and_opens_the_window(
        world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appeals = release(world)
    assert [a.state for a in appeals] == [AppealState.NOTIFIED] * 2
    assert Release.objects.get().count == 2
    assert Notice.objects.filter(user=world.mapo_user).count() == 1
    assert Notice.objects.filter(user=world.mapo_user2).count() == 1
    assert Notice.objects.filter(user=world.eunpyeong_user).count() == 1
    assert not Notice.objects.filter(user__in=[world.outsider, world.officer]).exists()
    notice = Notice.objects.get(user=world.mapo_user)
    assert notice.title == "[평가 결과 통보] 마포구 시민협력플랫폼"
    assert notice.url == f"/office/appeals/{appeals[0].pk}/"
    # e-mail only to users with an address, through the configured backend
    assert [m.to for m in mail.outbox] == [["mapo@example.org"]]
    assert "총점: 160.00점" in mail.outbox[0].body
    assert Notice.objects.get(pk=notice.pk).emailed
    window = windows.get_window(world.round, world.mapo.subject, "objection")
    assert (window.opens_on, window.due_on) == (world.day, date(2018, 7, 4))
    assert appeals[0].message["deadline"] == "2018-07-04"
    assert AuditEvent.objects.filter(action="appeal.release").count() == 2


def test_the_notice_is_recorded_on_the_notification_window(world):
    windows.set_window(world.round, world.mapo.subject, "notification",
                       opens_on=date(2018, 6, 20), due_on=date(2018, 6, 22),
                       actor=world.officer)
    release(world)
    window = windows.get_window(world.round, world.mapo.subject, "notification")
    assert window.notice_sent_on == world.day


def test_a_release_that_no_longer_matches_what_was_reviewed_changes_nothing(world):
    with pytest.raises(process.StaleRelease) as exc:
        process.release(world.round, expected=3, actor=world.officer, today=world.day)
    assert "3건에서 2건으로" in exc.value.messages[0]
    assert not Appeal.objects.exists() and not Notice.objects.exists()
    assert windows.get_window(world.round, world.mapo.subject, "objection") is None


def test_nothing_left_to_release_is_said(world):
    release(world)
    with pytest.raises(WorkflowError, match="통보할 결과가 없습니다"):
        process.release(world.round, expected=0, actor=world.officer, today=world.day)


def test_a_notified_result_cannot_be_rescored_or_finalised_by_hand(world):
    release(world)
    with pytest.raises(WorkflowError) as exc:
        workflow.rescore(world.round, [world.mapo.subject], actor=world.officer)
    assert "이의신청 기간 중입니다" in exc.value.messages[0]
    with pytest.raises(WorkflowError, match="이의신청 기간 중입니다"):
        workflow.finalise_result(world.mapo, world.officer)
    with pytest.raises(WorkflowError, match="이의신청 기간 중입니다"):
        workflow.finalise_round(world.round, world.officer)
    world.mapo.refresh_from_db()
    assert world.mapo.status == Status.DRAFT


def test_a_round_wide_notification_window_records_the_notice_once(world):
    windows.set_window(world.round, None, "notification", opens_on=date(2018, 6, 20),
                       due_on=date(2018, 6, 22), actor=world.officer)
    release(world)
    window = windows.get_window(world.round, None, "notification")
    assert window.notice_sent_on == world.day
    assert AuditEvent.objects.filter(action="window.notice").count() == 1
