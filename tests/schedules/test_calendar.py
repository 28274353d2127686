"""Counting days as Korean administration does (pure: no database): the first day is not
counted, working days skip weekends and holidays, a calendar period ending on a day off
ends on the next working day, and every due date says how it was counted."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from seonggwa.schedules.domain.calendar import (
    CALENDAR,
    MAX_DAYS,
    WORKING,
    Counted,
    count_days,
    delay_between,
    extend,
    is_day_off,
)

KR = {d: n for d, n in holidays.country_holidays("KR", years=range(2017, 2032),
                                                  language="ko").items()}


def test_the_first_day_is_not_counted():
    # Notified Monday 2018-08-20: one working day is Tuesday, never the Monday itself.
    assert count_days(date(2018, 8, 20), 1, unit=WORKING, days_off=KR).due == date(2018, 8, 21)
    assert count_days(date(2018, 8, 20), 1, unit=CALENDAR, days_off=KR).due == date(2018, 8, 21)


def test_working_days_skip_weekends_and_say_so():
    c = count_days(date(2018, 8, 31), 7, unit=WORKING, days_off=KR, start_label="통보일")
    assert c.due == date(2018, 9, 11)
    assert [d for d, _ in c.skipped] == [date(2018, 9, 1), date(2018, 9, 2),
                                        date(2018, 9, 8), date(2018, 9, 9)]
    assert c.explain() == ("통보일 2018-08-31(금) 다음 날부터 근무일 7일(초일 불산입, 민법 제157조): "
                           "9월 1~2일 주말, 9월 8~9일 주말 제외 … 마감 2018-09-11(화)")


def test_seollal_and_its_substitute_holiday_are_skipped():
    # 2030: 설날 2/2-2/4 (Sat-Mon) and its substitute holiday Tuesday 2/5.
    c = count_days(date(2030, 2, 1), 1, unit=WORKING, days_off=KR)
    assert c.due == date(2030, 2, 6)
    assert dict(c.skipped)[date(2030, 2, 5)] == "설날 대체 휴일"
    assert "2월 2~5일(설날 전날·설날·설날 다음날·설날 대체 휴일)" in c.explain()


def test_chuseok_2018_with_its_substitute_holiday():
    c = count_days(date(2018, 9, 20), 3, unit=WORKING, days_off=KR, start_label="평가 회의일")
    assert c.due == date(2018, 9, 28)
    assert dict(c.skipped)[date(2018, 9, 26)] == "추석 대체 휴일"


def test_a_holiday_on_a_sunday_is_named_by_the_holiday():
    # 2018-09-23 is a Sunday and 추석 전날.
    c = count_days(date(2018, 9, 21), 1, unit=WORKING, days_off=KR)
    assert dict(c.skipped)[date(2018, 9, 23)] == "추석 전날"


def test_calendar_days_count_every_day_but_end_on_a_working_day():
    # 7 calendar days from Friday 2018-08-31 end Friday 9/7 (weekends inside count).
    assert count_days(date(2018, 8, 31), 7, unit=CALENDAR, days_off=KR).due == date(2018, 9, 7)
    # 3 calendar days from Wednesday 9/19 would end Saturday 9/22, in the 추석 stretch:
    # the period ends on the next working day, Thursday 9/27 (민법 제161조).
    c = count_days(date(2018, 9, 19), 3, unit=CALENDAR, days_off=KR)
    assert c.due == date(2018, 9, 27)
    assert "민법 제161조" in c.explain()


def test_calendar_and_working_units_differ_over_a_weekend():
    start = date(2018, 8, 31)
    assert count_days(start, 3, unit=CALENDAR, days_off=KR).due == date(2018, 9, 3)
    assert count_days(start, 3, unit=WORKING, days_off=KR).due == date(2018, 9, 5)


def test_an_extra_day_off_moves_the_due_date():
    base = count_days(date(2018, 8, 31), 7, unit=WORKING, days_off=KR)
    extra = {**KR, date(2018, 9, 5): "임시공휴일"}
    moved = count_days(date(2018, 8, 31), 7, unit=WORKING, days_off=extra)
    assert (base.due, moved.due) == (date(2018, 9, 11), date(2018, 9, 12))
    assert "9월 5일(임시공휴일)" in moved.explain()


def test_a_late_notice_extends_by_the_working_days_lost():
    c = count_days(date(2018, 8, 31), 7, unit=WORKING, days_off=KR, start_label="통보일")
    # Due out Friday 8/31, sent Tuesday 9/4: Monday and Tuesday lost (the weekend was
    # never a working day), so two working days more after Tuesday 9/11.
    late = extend(c, notice_due=date(2018, 8, 31), sent_on=date(2018, 9, 4), days_off=KR)
    assert late.due == date(2018, 9, 13)
    assert late.extension.delay == 2
    assert "당초 마감 2018-09-11(화)" in late.explain()
    # A second notice replaces the first: counted from the first due date again.
    again = extend(late, notice_due=date(2018, 8, 31), sent_on=date(2018, 9, 3), days_off=KR)
    assert again.due == date(2018, 9, 12)
    # On time: the period as first counted.
    assert extend(late, notice_due=date(2018, 8, 31), sent_on=date(2018, 8, 31),
                  days_off=KR) == c


def test_delay_in_working_days_ignores_weekends():
    assert delay_between(date(2018, 8, 31), date(2018, 9, 2), unit=WORKING, days_off=KR) == 0
    assert delay_between(date(2018, 8, 31), date(2018, 9, 2), unit=CALENDAR, days_off=KR) == 2


def test_english_explanation():
    c = count_days(date(2018, 8, 31), 7, unit=WORKING, days_off=KR)
    assert c.explain("en").startswith("7 working days from the day after")
    assert c.explain("en").endswith("due 2018-09-11 (Tue)")


@pytest.mark.parametrize("days,unit", [(0, WORKING), (-1, CALENDAR), (MAX_DAYS + 1, WORKING),
                                       (True, WORKING), (3, "weeks"), ("3", WORKING)])
def test_nonsense_periods_are_refused(days, unit):
    with pytest.raises(ValueError):
        count_days(date(2018, 8, 31), days, unit=unit, days_off=KR)


def test_a_period_past_the_end_of_the_calendar_is_refused():
    with pytest.raises(ValueError, match="end of the calendar"):
        count_days(date(9999, 12, 30), 5, unit=CALENDAR, days_off={})


@given(start=st.dates(date(2017, 1, 1), date(2030, 12, 31)), days=st.integers(1, 40),
       unit=st.sampled_from([WORKING, CALENDAR]))
def test_counting_is_consistent(start, days, unit):
    c = count_days(start, days, unit=unit, days_off=KR)
    assert c.due > start
    assert not is_day_off(c.due, KR)  # a period never ends on a day off
    if unit == WORKING:
        span = [start + timedelta(n) for n in range(1, (c.due - start).days + 1)]
        assert sum(not is_day_off(d, KR) for d in span) == days
        assert {d for d, _ in c.skipped} == {d for d in span if is_day_off(d, KR)}
    else:
        assert c.due >= start + timedelta(days)
    assert Counted.from_json(c.to_json()) == c
