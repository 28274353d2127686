import datetime as dt

import pytest

from seonggwa.schedules.domain import windows

#: The day the tests live on: the 2018 civic-platform evaluation's third round is ahead
#: (meetings from 8/27), so its windows are scheduled or open, as they were then.
TODAY = dt.date(2018, 8, 20)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """Every "still in time?" in these tests is judged on :data:`TODAY` unless a test
    moves the day with ``set_today``."""
    day = {"value": TODAY}
    monkeypatch.setattr(windows, "current_date", lambda: day["value"])

    def set_today(value: dt.date) -> None:
        day["value"] = value
    return set_today
