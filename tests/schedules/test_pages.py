"""The officer's schedule pages: a round's schedule with every deadline explained, editing
a subject's schedule (version guard), early evaluation, the extra days-off table — and
hostile input answered with a message, never a 500."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from seonggwa.core import concurrency
from seonggwa.core.models import AuditEvent
from seonggwa.schedules.domain import windows
from seonggwa.schedules.models import DayOff, Schedule, Window

from .factories import civic_round, officer, platform


@pytest.fixture
def rnd(db):
    return civic_round()


@pytest.fixture
def subject(db):
    return platform("성북구")


@pytest.fixture
def client_officer(client, db):
    client.force_login(officer())
    return client


def edit_url(rnd, subject):
    return reverse("office:schedules_edit", args=[rnd.pk, subject.pk])


def schedule_post(**extra):
    data = {"project_year": "2", "period_start": "2017-11-01", "period_end": "2018-07-31",
            "submission_due": "2018-08-17", "meeting_date": "2018-08-30",
            "meeting_time": "14:00", "place": "성북구 시민협력플랫폼 거점 공간", "reason": "",
            "version": "0"}
    data.update(extra)
    return data


def test_creating_a_schedule_counts_its_deadlines_and_shows_how(client_officer, rnd, subject):
    response = client_officer.post(edit_url(rnd, subject), schedule_post())
    assert response.status_code == 302
    schedule = Schedule.objects.get(round=rnd, subject=subject)
    assert schedule.place.startswith("성북구")
    codes = dict(Window.objects.filter(subject=subject).values_list("code", "due_on"))
    # Meeting Thursday 2018-08-30: notified within 3 working days → Tuesday 9/4;
    # the report within 15 working days → Thursday 9/20 (추석 begins 9/23).
    assert codes == {"submission": date(2018, 8, 17), "notification": date(2018, 9, 4),
                     "report": date(2018, 9, 20)}
    page = client_officer.get(reverse("office:schedules_round", args=[rnd.pk]))
    text = page.content.decode()
    assert "평가 회의일 2018-08-30(목) 다음 날부터 근무일 3일" in text
    assert "성북구 시민협력플랫폼" in text
    assert AuditEvent.objects.filter(action="schedule.create").count() == 1


def test_changing_a_schedule_needs_a_reason_and_moves_its_windows(client_officer, rnd,
                                                                  subject):
    client_officer.post(edit_url(rnd, subject), schedule_post())
    schedule = Schedule.objects.get()
    version = concurrency.version_of(schedule)
    response = client_officer.post(edit_url(rnd, subject), schedule_post(
        meeting_date="2018-08-31", version=str(version)))
    assert response.status_code == 400
    assert "변경 사유" in response.content.decode()
    response = client_officer.post(edit_url(rnd, subject), schedule_post(
        meeting_date="2018-08-31", version=str(version), reason="회의 장소 사정"))
    assert response.status_code == 302
    notification = Window.objects.get(subject=subject, code="notification")
    assert notification.opens_on == date(2018, 8, 31)
    assert notification.due_on == date(2018, 9, 5)


def test_a_second_officer_saving_the_same_schedule_is_refused(client_officer, rnd, subject):
    client_officer.post(edit_url(rnd, subject), schedule_post())
    stale = concurrency.version_of(Schedule.objects.get())
    client_officer.post(edit_url(rnd, subject), schedule_post(
        place="구청 회의실", version=str(stale), reason="장소 변경"))
    response = client_officer.post(edit_url(rnd, subject), schedule_post(
        place="다른 곳", version=str(stale), reason="장소 변경"))
    assert response.status_code == 400
    assert "변경했습니다. 다시 불러온 뒤 수정하세요" in response.content.decode()
    assert Schedule.objects.get().place == "구청 회의실"


def test_early_evaluation_moves_the_subjects_windows(client_officer, rnd, subject,
                                                    _today):
    # 서대문구 withdrew in spring 2018 and was evaluated in June instead of August.
    _today(date(2018, 5, 20))
    client_officer.post(edit_url(rnd, subject), schedule_post())
    schedule = Schedule.objects.get()
    response = client_officer.post(
        reverse("office:schedules_early", args=[rnd.pk, subject.pk]),
        {"reason": "사업 중도 포기", "submission_due": "2018-06-15",
         "meeting_date": "2018-06-25", "meeting_time": "10:00", "place": "",
         "version": str(concurrency.version_of(schedule))})
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert schedule.early and schedule.early_reason == "사업 중도 포기"
    assert Window.objects.get(subject=subject, code="submission").due_on == date(2018, 6, 15)
    assert Window.objects.get(subject=subject, code="notification").due_on == date(2018, 6, 28)
    assert AuditEvent.objects.filter(action="schedule.early",
                                     reason="사업 중도 포기").exists()


def test_early_evaluation_without_a_reason_is_refused(client_officer, rnd, subject):
    response = client_officer.post(
        reverse("office:schedules_early", args=[rnd.pk, subject.pk]),
        {"reason": "", "submission_due": "2018-06-15", "meeting_date": "2018-06-25",
         "version": "0"})
    assert response.status_code == 400
    assert not Schedule.objects.exists()


def test_adding_a_day_off_recounts_the_open_windows_it_falls_in(client_officer, rnd,
                                                                 subject):
    # Notified Friday 2018-08-17: 7 working days end on Tuesday 8/28.
    window = windows.open_rule_window(rnd, subject, "objection", start=date(2018, 8, 17),
                                      actor=None, actor_label="test")
    assert window.due_on == date(2018, 8, 28)
    response = client_officer.post(reverse("office:schedules_days_off"), {
        "date": "2018-08-22", "name": "임시공휴일", "reason": "국무회의 의결"}, follow=True)
    text = response.content.decode()
    assert "기한 1건을 다시 계산했습니다" in text
    window.refresh_from_db()
    assert window.due_on == date(2018, 8, 29)
    assert AuditEvent.objects.filter(action="window.recount",
                                     reason__contains="임시공휴일").exists()
    day_off = DayOff.objects.get()
    response = client_officer.post(
        reverse("office:schedules_day_off_remove", args=[day_off.pk]),
        {"reason": "잘못 입력", "version": str(concurrency.version_of(day_off))}, follow=True)
    window.refresh_from_db()
    assert window.due_on == date(2018, 8, 28)
    assert not DayOff.objects.exists()


def test_a_day_that_is_already_a_holiday_is_refused_with_its_name(client_officer):
    response = client_officer.post(reverse("office:schedules_days_off"), {
        "date": "2018-09-24", "name": "임시공휴일", "reason": "중복"})
    assert response.status_code == 400
    assert "이미 공휴일(추석" in response.content.decode()


@pytest.mark.parametrize("field,value", [
    ("period_start", "99999-01-01"), ("submission_due", "2018-02-30"),
    ("place", "장소\x00"), ("place", "가" * 201), ("meeting_date", "2218-08-30"),
    ("reason", "사유" * 600), ("period_end", "2017-01-01"), ("project_year", "3"),
    ("meeting_time", "25:61"),
])
def test_hostile_schedule_input_is_refused_with_a_message(client_officer, rnd, subject,
                                                          field, value):
    response = client_officer.post(edit_url(rnd, subject), schedule_post(**{field: value}))
    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode()
    assert not Schedule.objects.exists() and not Window.objects.exists()


@pytest.mark.parametrize("data", [
    {"date": "99999-01-01", "name": "x", "reason": "y"},
    {"date": "2018-09-05", "name": "x\x00", "reason": "y"},
    {"date": "2018-09-05", "name": "가" * 101, "reason": "y"},
    {"date": "2018-09-05", "name": "=cmd|' /C calc'!A0", "reason": ""},
    {"date": "2218-09-05", "name": "x", "reason": "y"},
])
def test_hostile_day_off_input_is_refused(client_officer, data):
    response = client_officer.post(reverse("office:schedules_days_off"), data)
    assert response.status_code == 400
    assert not DayOff.objects.exists()


def test_unknown_ids_are_not_found(client_officer, rnd):
    assert client_officer.get(reverse("office:schedules_round", args=[999999])).status_code == 404
    assert client_officer.get(edit_url(rnd, type("S", (), {"pk": 999999}))).status_code == 404


@pytest.mark.parametrize("data,message", [
    ({"sent_on": "99999-01-01"}, "날짜"),
    ({"sent_on": "2018-08-31"}, "오늘 이후"),
    ({"sent_on": "2018-08-17", "version": "abc"}, "불러온 시점을 알 수 없습니다"),
])
def test_hostile_notice_input_is_refused(client_officer, rnd, subject, data, message):
    window = windows.open_rule_window(rnd, subject, "objection", start=date(2018, 8, 17),
                                      actor=None, actor_label="test")
    data.setdefault("version", str(concurrency.version_of(window)))
    response = client_officer.post(reverse("office:schedules_notice", args=[window.pk]),
                                   data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    window.refresh_from_db()
    assert window.notice_sent_on is None


@pytest.mark.parametrize("data", [
    {"opens_on": "2018-08-10", "due_on": "2018-08-01"},
    {"opens_on": "2018-08-01", "due_on": "99999-12-31"},
    {"opens_on": "2018-08-01", "due_on": "2018-08-31", "reason": "가" * 1001},
    {"opens_on": "1899-08-01", "due_on": "2018-08-31"},
])
def test_hostile_round_window_input_is_refused(client_officer, rnd, data):
    response = client_officer.post(reverse("office:schedules_round", args=[rnd.pk]),
                                   {"version": "0", **data})
    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode()
    assert not Window.objects.exists()


def test_the_round_wide_submission_window_is_set_and_changed_with_a_reason(client_officer,
                                                                          rnd):
    url = reverse("office:schedules_round", args=[rnd.pk])
    assert client_officer.post(url, {"opens_on": "2018-08-01", "due_on": "2018-08-24",
                                     "version": "0"}).status_code == 302
    version = str(concurrency.version_of(Window.objects.get()))
    response = client_officer.post(url, {"opens_on": "2018-08-01", "due_on": "2018-08-31",
                                         "version": version})
    assert response.status_code == 400 and "사유가 필요합니다" in response.content.decode()
    assert client_officer.post(url, {"opens_on": "2018-08-01", "due_on": "2018-08-31",
                                     "reason": "자치구 요청", "version": version}
                               ).status_code == 302
    assert Window.objects.get().due_on == date(2018, 8, 31)
    event = AuditEvent.objects.filter(action="window.set").get()
    assert (event.before["due_on"], event.after["due_on"], event.reason) == (
        "2018-08-24", "2018-08-31", "자치구 요청")


def test_year_parameter_of_the_days_off_page_is_forgiving(client_officer):
    for year in ("abc", "99999999999999999999", "1800", "2018"):
        response = client_officer.get(reverse("office:schedules_days_off"), {"year": year})
        assert response.status_code == 200
