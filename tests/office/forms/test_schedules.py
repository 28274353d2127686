"""The schedules forms: a meeting time needs its date; the meeting is a local time."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from seonggwa.office.forms.schedules import EarlyForm, ScheduleForm


def test_a_meeting_time_needs_its_date():
    form = ScheduleForm({"meeting_time": "14:00"})
    assert not form.is_valid() and "meeting_date" in form.errors


def test_the_meeting_is_the_date_and_time_in_the_local_zone():
    form = ScheduleForm({"meeting_date": "2018-06-29", "meeting_time": "14:00"})
    assert form.is_valid()
    at = form.meeting_at()
    assert timezone.localtime(at).replace(tzinfo=None) == dt.datetime(2018, 6, 29, 14, 0)
    assert form.schedule_input().meeting_at == at
    early = EarlyForm({"reason": "협약 해지", "submission_due": "2018-06-01",
                       "meeting_date": "2018-06-10"})
    assert early.is_valid()
    assert timezone.localtime(early.meeting_at()).replace(tzinfo=None) == \
        dt.datetime(2018, 6, 10, 0, 0)


def test_far_dates_are_refused_on_the_field():
    form = ScheduleForm({"period_end": "9999-12-31"})
    assert not form.is_valid() and "2100-12-31" in form.errors["period_end"][0]
