"""An extra day off moves a deadline, in a real browser (Debian's headless Chromium
through Playwright, against the live server): the officer reads a district's deadlines
on the round's schedule page, adds a 임시공휴일 on the days-off page, is told which
deadlines were counted again, and sees the due date one working day later on the
schedule page, with the day named in how it was counted. Each page is checked to fit
and photographed at 1280 and 375 CSS pixels (``SEONGGWA_SCREENSHOTS``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from browser.helpers import BROWSER, new_context
from browser.helpers import SCREENSHOTS as SHOTS
from browser.test_phone_width import LAYOUT_PROBLEMS

pytestmark = BROWSER

WIDTHS = (1280, 375)
DAY_OFF_NAME = "임시공휴일(시험)"


def _plain_monday(after: dt.date) -> dt.date:
    """The first Monday after ``after`` whose four weeks hold no public holiday: the
    meeting day, so that only the added day off changes the counting."""
    from seonggwa.schedules.domain import windows

    day = after + dt.timedelta(days=7 - after.weekday())
    while windows.days_off(day, day + dt.timedelta(days=28)):
        day += dt.timedelta(days=7)
    return day


@pytest.fixture
def world(transactional_db, live_server):
    """A civic round with one district whose panel meets on a plain Monday two weeks or
    more from today: its notification is due three working days later, a Thursday."""
    from appeals.factories import civic_round, officer, platform_org

    from seonggwa.evaluations.domain.subjects import subject_for
    from seonggwa.schedules.domain import windows
    from seonggwa.schedules.domain.schedules import ScheduleInput, set_schedule

    meeting = _plain_monday(windows.current_date() + dt.timedelta(days=14))
    rnd, boss = civic_round(year=meeting.year, number=1), officer()
    subject = subject_for("platform", platform_org("마포구"))
    set_schedule(rnd, subject, ScheduleInput(
        project_year=1, submission_due=meeting - dt.timedelta(days=7),
        meeting_at=dt.datetime(meeting.year, meeting.month, meeting.day, 14,
                               tzinfo=dt.timezone(dt.timedelta(hours=9))),
        place="서울시청 회의실"), actor=boss)
    return {"round": rnd, "subject": subject, "officer": boss, "meeting": meeting}


def _shots(page, step: str) -> None:
    from test_no_developer_text import developer_text

    html = page.content()
    assert page.locator("h1").count() >= 1, page.url
    assert "Traceback" not in html and developer_text(html) == [], page.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)  # the page relabels its wide tables 150 ms after a resize
        assert page.evaluate(LAYOUT_PROBLEMS) == [], (step, width)
        page.screenshot(path=str(SHOTS / f"schedules-{step}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def _notification(page) -> str:
    """The text of the district's notification deadline on the schedule page."""
    return page.locator("ul.windows li").filter(has_text="통보").first.inner_text()


def test_an_added_day_off_moves_a_due_date_on_the_schedule_page(world, browser, live_server):
    from seonggwa.schedules.domain import calendar, windows
    from seonggwa.schedules.models import DayOff, Window

    rnd, meeting = world["round"], world["meeting"]
    thursday, wednesday, friday = (meeting + dt.timedelta(days=n) for n in (3, 2, 4))
    window = windows.get_window(rnd, world["subject"], "notification")
    assert window.due_on == thursday  # Tue, Wed, Thu: three working days
    context = new_context(browser, live_server, world["officer"])
    try:
        page = context.new_page()
        schedule_url = live_server.url + reverse("office:schedules_round", args=[rnd.pk])
        page.goto(schedule_url)
        assert thursday.isoformat() in _notification(page)
        _shots(page, "01-before")

        with page.expect_navigation():
            page.get_by_role("link", name="추가 휴일(임시공휴일) 관리").click()
        page.fill("#id_date", wednesday.isoformat())
        page.fill("#id_name", DAY_OFF_NAME)
        page.fill("#id_reason", "국무회의 의결(관보 게재)")
        _shots(page, "02-day-off-form")
        with page.expect_navigation():
            page.get_by_role("button", name="등록").click()
        told = page.locator("body").inner_text()
        assert "추가 휴일로 지정했습니다" in told and "다시 계산했습니다" in told
        assert f"{calendar.format_date(thursday)} → {calendar.format_date(friday)}" in told
        _shots(page, "03-day-off-added")
        assert DayOff.objects.filter(date=wednesday, name=DAY_OFF_NAME).exists()

        page.goto(schedule_url)
        moved = _notification(page)
        assert friday.isoformat() in moved and thursday.isoformat() not in moved
        assert DAY_OFF_NAME in moved  # how it was counted names the day skipped
        _shots(page, "04-after")
        assert Window.objects.get(pk=window.pk).due_on == friday
    finally:
        context.close()
