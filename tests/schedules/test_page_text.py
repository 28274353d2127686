"""The schedule pages speak to officials, not developers: no codes (window kinds, states,
units, audit actions), no file names, no English sentences on the Korean pages — for the
officer with every kind of record on the page, and for an evaluated organisation."""

from __future__ import annotations

import datetime as dt
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from test_no_developer_text import developer_text

from seonggwa.accounts.models import Role
from seonggwa.schedules.domain import days_off, windows
from seonggwa.schedules.domain.schedules import ScheduleInput, set_schedule

from .factories import civic_round, officer, platform, user


@pytest.fixture
def pages(db):
    rnd = civic_round()
    subject = platform("성북구")
    boss = officer()
    set_schedule(rnd, subject, ScheduleInput(
        project_year=2, period_start=date(2017, 11, 1), period_end=date(2018, 7, 31),
        submission_due=date(2018, 8, 24), meeting_at=timezone.make_aware(
            dt.datetime(2018, 8, 30, 14)), place="거점 공간"), actor=boss)
    set_schedule(rnd, subject, ScheduleInput(
        project_year=2, period_start=date(2017, 11, 1), period_end=date(2018, 7, 31),
        submission_due=date(2018, 8, 24), meeting_at=timezone.make_aware(
            dt.datetime(2018, 8, 30, 14)), place="거점 공간", early=True,
        early_reason="사업 중도 포기"), actor=boss)
    windows.set_window(rnd, None, "submission", opens_on=date(2018, 8, 1),
                       due_on=date(2018, 8, 10), actor=boss)
    w = windows.open_rule_window(rnd, subject, "objection", start=date(2018, 8, 17),
                                 actor=boss)
    windows.record_notice(w, date(2018, 8, 20), actor=boss)
    days_off.add_day_off(date(2018, 8, 23), "임시공휴일", "국무회의 의결", actor=boss)
    windows.tick(timezone.make_aware(dt.datetime(2018, 8, 20, 0, 10)))
    own = user("own", Role.CONTRACTOR, subject.target)
    return {
        boss: [reverse("office:schedules_index"),
               reverse("office:schedules_round", args=[rnd.pk]),
               reverse("office:schedules_edit", args=[rnd.pk, subject.pk]),
               reverse("office:schedules_early", args=[rnd.pk, subject.pk]),
               reverse("office:schedules_days_off") + "?year=2018"],
        own: [reverse("office:schedules_index"),
              reverse("office:schedules_round", args=[rnd.pk])],
    }


@pytest.mark.parametrize("language", ["ko", "en"])
def test_no_developer_text_on_the_schedule_pages(pages, language):
    for who, urls in pages.items():
        client = Client()
        client.force_login(who)
        client.cookies["django_language"] = language
        for url in urls:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, url
            found = developer_text(response.content.decode(), korean=language == "ko")
            assert not found, (who.username, url, found)
