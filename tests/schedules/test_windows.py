"""Windows counted from the framework's rules, enforced, prolonged by a late notice and
moved by the scheduler — the deadline edges an organisation relies on."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from seonggwa.core.models import AuditEvent
from seonggwa.schedules import signals
from seonggwa.schedules.domain import windows
from seonggwa.schedules.domain.windows import DeadlineRefused, ScheduleRefused
from seonggwa.schedules.models import DayOff, Window, WindowState

from .factories import civic_round, platform

SEOUL = ZoneInfo("Asia/Seoul")


def at(day: date, hour: int = 0, minute: int = 5) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SEOUL)


@pytest.fixture
def rnd(db):
    return civic_round()


@pytest.fixture
def subject(db):
    return platform("성북구")


def test_objection_counts_seven_working_days_from_the_day_after_notification(rnd, subject):
    # 2018-08-31 is a Friday: two weekends are skipped.
    w = windows.open_rule_window(rnd, subject, "objection", start=date(2018, 8, 31),
                                 actor=None, actor_label="test")
    assert w.due_on == date(2018, 9, 11)
    assert w.opens_on == date(2018, 8, 31)
    text = windows.explain(w, "ko")
    assert "통보일 2018-08-31(금) 다음 날부터 근무일 7일" in text
    assert "9월 1~2일 주말" in text and "초일 불산입" in text
    assert text.endswith("마감 2018-09-11(화)")


def test_last_day_in_time_and_the_day_after_refused(rnd, subject):
    windows.open_rule_window(rnd, subject, "objection", start=date(2018, 8, 31),
                             actor=None, actor_label="test")
    assert windows.require_open(rnd, subject, "objection", today=date(2018, 9, 11))
    with pytest.raises(DeadlineRefused) as refused:
        windows.require_open(rnd, subject, "objection", today=date(2018, 9, 12))
    message = refused.value.messages[0]
    assert "2018-09-11(화)에 끝났습니다" in message and "근무일 7일" in message


def test_not_open_yet_and_no_window_are_refused_with_the_reason(rnd, subject):
    with pytest.raises(DeadlineRefused, match="기한이 아직 정해지지 않았습니다"):
        windows.require_open(rnd, subject, "objection", today=date(2018, 9, 1))
    windows.set_window(rnd, None, "submission", opens_on=date(2018, 8, 1),
                       due_on=date(2018, 8, 17), actor=None, actor_label="test")
    with pytest.raises(DeadlineRefused, match="2018-08-01\\(수\\)부터 할 수 있습니다"):
        windows.require_open(rnd, subject, "submission", today=date(2018, 7, 31))


def test_across_chuseok_the_notification_skips_the_holidays(rnd, subject):
    # Meeting on Thursday 2018-09-20; 9/22-9/26 are a weekend and 추석 with its
    # substitute holiday: three working days end on Friday 9/28.
    w = windows.open_rule_window(rnd, subject, "notification", start=date(2018, 9, 20),
                                 actor=None, actor_label="test")
    assert w.due_on == date(2018, 9, 28)
    assert "추석 대체 휴일" in windows.explain(w, "ko")


def test_an_added_day_off_moves_the_due_date(rnd, subject):
    w = windows.open_rule_window(rnd, subject, "objection", start=date(2018, 8, 31),
                                 actor=None, actor_label="test")
    DayOff.objects.create(date=date(2018, 9, 5), name="임시공휴일", reason="test")
    w = windows.open_rule_window(rnd, subject, "objection", start=date(2018, 8, 31),
                                 actor=None, actor_label="test")
    assert w.due_on == date(2018, 9, 12)
    assert "임시공휴일" in windows.explain(w, "ko")


def test_a_late_notice_extends_the_window_by_the_delay(rnd, subject, _today):
    _today(date(2018, 9, 4))
    w = windows.open_rule_window(rnd, subject, "objection", start=date(2018, 8, 31),
                                 actor=None, actor_label="test")
    # Due to go out on Friday 8/31, sent on Tuesday 9/4: two working days late.
    w = windows.record_notice(w, date(2018, 9, 4), actor=None, actor_label="test")
    assert w.due_on == date(2018, 9, 13)
    assert "2근무일 늦은" in windows.explain(w, "ko")
    event = AuditEvent.objects.filter(action="window.notice").get()
    assert event.before["due_on"] == "2018-09-11" and event.after["due_on"] == "2018-09-13"


def test_tick_opens_and_closes_once_and_signals(rnd, subject):
    w = windows.set_window(rnd, subject, "submission", opens_on=date(2030, 3, 2),
                           due_on=date(2030, 3, 4), actor=None, actor_label="test")
    assert w.state == WindowState.SCHEDULED
    seen = []
    def opened(sender, window, **kw):
        seen.append(("opened", window.pk))
    def closed(sender, window, **kw):
        seen.append(("closed", window.pk))
    signals.window_opened.connect(opened)
    signals.window_closed.connect(closed)
    try:
        assert len(windows.tick(at(date(2030, 3, 1))).opened) == 0
        report = windows.tick(at(date(2030, 3, 2)))
        assert [x.pk for x in report.opened] == [w.pk]
        assert windows.tick(at(date(2030, 3, 2))).opened == []
        assert windows.tick(at(date(2030, 3, 4), 23, 59)).closed == []
        report = windows.tick(at(date(2030, 3, 5)))
        assert [x.pk for x in report.closed] == [w.pk]
        assert windows.tick(at(date(2030, 3, 5))).closed == []
    finally:
        signals.window_opened.disconnect(opened)
        signals.window_closed.disconnect(closed)
    assert seen == [("opened", w.pk), ("closed", w.pk)]
    w.refresh_from_db()
    assert w.state == WindowState.CLOSED and w.closed_at is not None
    assert AuditEvent.objects.filter(action="window.close", actor_label="기한 자동 처리").count() == 1


def test_bad_dates_are_refused(rnd, subject):
    with pytest.raises(ScheduleRefused, match="2100"):
        windows.open_rule_window(rnd, subject, "objection", start=date(9999, 12, 30),
                                 actor=None, actor_label="test")
    with pytest.raises(ScheduleRefused, match="앞설 수 없습니다"):
        windows.set_window(rnd, subject, "submission", opens_on=date(2018, 8, 2),
                           due_on=date(2018, 8, 1), actor=None, actor_label="test")
    assert not Window.objects.exists()


def test_the_explanation_in_english_names_the_holidays_in_english(rnd, subject):
    w = windows.open_rule_window(rnd, subject, "notification", start=date(2018, 9, 20),
                                 actor=None, actor_label="test")
    text = windows.explain(w, "en")
    assert text.startswith("3 working days from the day after the panel meeting 2018-09-20")
    assert "Chuseok" in text and "추석" not in text
    assert text.endswith("due 2018-09-28 (Fri)")
