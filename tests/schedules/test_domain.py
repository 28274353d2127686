"""The windows' write paths: notices (late ones extend), fixed dates, days off, the
schedule's windows following it, and the scheduler's transaction — each change audited,
each refusal explained and changing nothing."""

from __future__ import annotations

import datetime as dt
from datetime import date

import pytest
from django.utils import timezone

from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain import workflow
from seonggwa.schedules import signals
from seonggwa.schedules.domain import days_off, windows
from seonggwa.schedules.domain.schedules import ScheduleInput, set_schedule
from seonggwa.schedules.domain.windows import DeadlineRefused, ScheduleRefused
from seonggwa.schedules.models import DayOff, Window, WindowState

from .factories import civic_round, officer, platform


@pytest.fixture
def rnd(db):
    return civic_round()


@pytest.fixture
def subject(db):
    return platform("성북구")


def objection(rnd, subject, start=date(2018, 8, 17)):
    return windows.open_rule_window(rnd, subject, "objection", start=start, actor=None,
                                    actor_label="test")


def test_recording_the_notification_itself_moves_nothing(rnd, subject):
    # The notification is the notice the objection window counts from: recording the
    # day it went out marks it done; the objection window is opened from that day.
    w = windows.open_rule_window(rnd, subject, "notification", start=date(2018, 8, 14),
                                 actor=None, actor_label="test")
    due = w.due_on
    w = windows.record_notice(w, date(2018, 8, 20), actor=None, actor_label="test")
    assert (w.due_on, w.notice_sent_on) == (due, date(2018, 8, 20))
    assert AuditEvent.objects.get(action="window.notice").reason == "안내 발송 기록"


def test_a_late_notice_of_a_fixed_window_extends_it_by_calendar_days(rnd, subject):
    w = windows.set_window(rnd, subject, "submission", opens_on=date(2018, 8, 13),
                           due_on=date(2018, 8, 24), actor=None, actor_label="test")
    w = windows.record_notice(w, date(2018, 8, 16), actor=None, actor_label="test")
    assert w.due_on == date(2018, 8, 27)
    assert "3일 늦은 2018-08-16(목)에 발송" in windows.explain(w, "ko")


def test_a_notice_sent_in_the_future_is_refused(rnd, subject):
    w = objection(rnd, subject)
    with pytest.raises(ScheduleRefused, match="오늘 이후"):
        windows.record_notice(w, date(2018, 8, 21), actor=None, actor_label="test")
    w.refresh_from_db()
    assert w.notice_sent_on is None


def test_an_extension_past_today_reopens_a_closed_window(rnd, subject, _today):
    w = windows.set_window(rnd, subject, "submission", opens_on=date(2018, 8, 6),
                           due_on=date(2018, 8, 10), actor=None, actor_label="test")
    assert w.state == WindowState.CLOSED
    w = windows.record_notice(w, date(2018, 8, 16), actor=None, actor_label="test")
    assert w.due_on == date(2018, 8, 20) and w.state == WindowState.OPEN
    assert AuditEvent.objects.filter(action="window.reopen").exists()
    assert windows.require_open(rnd, subject, "submission")


def test_changing_a_fixed_window_needs_a_reason(rnd, subject):
    windows.set_window(rnd, subject, "submission", opens_on=date(2018, 8, 13),
                       due_on=date(2018, 8, 24), actor=None, actor_label="test")
    with pytest.raises(ScheduleRefused, match="사유가 필요합니다"):
        windows.set_window(rnd, subject, "submission", opens_on=date(2018, 8, 13),
                           due_on=date(2018, 8, 31), actor=None, actor_label="test")
    assert Window.objects.get().due_on == date(2018, 8, 24)


def test_a_window_nobody_named_is_refused(rnd, subject):
    with pytest.raises(ScheduleRefused, match="기한 이름이 필요합니다"):
        windows.set_window(rnd, subject, "site_visit", opens_on=date(2018, 8, 13),
                           due_on=date(2018, 8, 24), actor=None, actor_label="test")


def test_a_round_without_deadline_rules_has_only_fixed_windows(db):
    rnd = workflow.open_round(2018, 1, actor_label="test")  # outsourcing: no rules
    subject = platform("성북구")
    with pytest.raises(ScheduleRefused, match="'이의 제기' 기한 규칙이 없습니다"):
        windows.open_rule_window(rnd, subject, "objection", start=date(2018, 8, 17),
                                 actor=None, actor_label="test")
    w = windows.set_window(rnd, None, "submission", opens_on=date(2018, 8, 1),
                           due_on=date(2018, 8, 31), actor=None, actor_label="test")
    assert windows.require_open(rnd, subject, "submission") == w  # the round-wide window


def test_a_subject_window_wins_over_the_round_wide_one(rnd, subject):
    windows.set_window(rnd, None, "submission", opens_on=date(2018, 8, 1),
                       due_on=date(2018, 8, 10), actor=None, actor_label="test")
    own = windows.set_window(rnd, subject, "submission", opens_on=date(2018, 8, 1),
                             due_on=date(2018, 8, 31), actor=None, actor_label="test")
    assert windows.get_window(rnd, subject, "submission") == own
    assert windows.require_open(rnd, subject, "submission") == own
    with pytest.raises(DeadlineRefused):
        windows.require_open(rnd, platform("도봉구"), "submission")


def test_days_off_on_weekends_holidays_and_twice_are_refused(db):
    boss = officer()
    with pytest.raises(ScheduleRefused, match="토요일이라"):
        days_off.add_day_off(date(2018, 9, 1), "임시", "사유", actor=boss)
    with pytest.raises(ScheduleRefused, match="광복절"):
        days_off.add_day_off(date(2018, 8, 15), "임시", "사유", actor=boss)
    days_off.add_day_off(date(2018, 8, 22), "임시공휴일", "국무회의 의결", actor=boss)
    with pytest.raises(ScheduleRefused, match="이미 추가 휴일"):
        days_off.add_day_off(date(2018, 8, 22), "또", "사유", actor=boss)
    with pytest.raises(ScheduleRefused, match="사유을\\(를\\) 적어"):
        days_off.add_day_off(date(2018, 8, 23), "임시", "  ", actor=boss)
    assert DayOff.objects.count() == 1
    assert AuditEvent.objects.filter(action="day_off.add").count() == 1


def test_a_day_off_keeps_a_late_notice_extension_and_spares_closed_windows(rnd, subject,
                                                                          _today):
    _today(date(2018, 8, 21))
    w = objection(rnd, subject)  # due 2018-08-28
    w = windows.record_notice(w, date(2018, 8, 21), actor=None, actor_label="test")
    assert w.due_on == date(2018, 8, 30)  # two working days late
    closed = windows.set_window(rnd, subject, "submission", opens_on=date(2018, 8, 1),
                                due_on=date(2018, 8, 10), actor=None, actor_label="test")
    _day_off, moved = days_off.add_day_off(date(2018, 8, 23), "임시공휴일", "의결",
                                           actor=officer())
    assert [(m.before, m.after) for m in moved] == [(date(2018, 8, 30), date(2018, 8, 31))]
    w.refresh_from_db()
    assert "늦은" in windows.explain(w, "ko") and "임시공휴일" in windows.explain(w, "ko")
    closed.refresh_from_db()
    assert closed.due_on == date(2018, 8, 10)


def test_changing_the_meeting_recounts_only_windows_not_closed(rnd, subject, _today):
    boss = officer()
    meeting = timezone.make_aware(dt.datetime(2018, 8, 27, 14))
    set_schedule(rnd, subject, ScheduleInput(submission_due=date(2018, 8, 24),
                                             meeting_at=meeting), actor=boss)
    _today(date(2018, 8, 31))  # notification (due 8/30) has closed, report is open
    windows.tick(timezone.make_aware(dt.datetime(2018, 8, 31, 0, 10)))
    set_schedule(rnd, subject, ScheduleInput(submission_due=date(2018, 8, 24),
                                             meeting_at=meeting + dt.timedelta(days=1)),
                 actor=boss, reason="회의 하루 연기")
    by_code = {w.code: w for w in Window.objects.filter(subject=subject)}
    assert by_code["notification"].opens_on == date(2018, 8, 27)
    assert by_code["report"].opens_on == date(2018, 8, 28)
    assert AuditEvent.objects.filter(action="window.recount", reason="회의 하루 연기").count() == 1


def test_a_failing_receiver_rolls_the_sweep_back_and_the_next_one_retries(rnd, subject):
    windows.set_window(rnd, subject, "submission", opens_on=date(2018, 8, 13),
                       due_on=date(2018, 8, 24), actor=None, actor_label="test")
    now = timezone.make_aware(dt.datetime(2018, 8, 25, 0, 10))

    def broken(sender, window, **kwargs):
        raise RuntimeError("receiver bug")
    signals.window_closed.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            windows.tick(now)
    finally:
        signals.window_closed.disconnect(broken)
    assert Window.objects.get().state == WindowState.OPEN
    assert not AuditEvent.objects.filter(action="window.close").exists()
    assert len(windows.tick(now).closed) == 1
