"""The scheduler: `seonggwa tick` (cron) and the django-tasks task open and close windows
by themselves, say what they did, and change nothing when run again."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import override_settings

from seonggwa import cli
from seonggwa.core.models import AuditEvent
from seonggwa.schedules.domain import windows
from seonggwa.schedules.models import Window, WindowState

from .factories import civic_round, platform

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def two_windows(db):
    rnd = civic_round()
    w1 = windows.set_window(rnd, platform("성북구"), "submission", opens_on=date(2018, 8, 21),
                            due_on=date(2018, 8, 24), actor=None, actor_label="test")
    w2 = windows.set_window(rnd, platform("도봉구"), "submission", opens_on=date(2018, 8, 1),
                            due_on=date(2018, 8, 20), actor=None, actor_label="test")
    return w1, w2


def test_tick_prints_what_it_opened_and_closed_and_is_idempotent(two_windows, capsys,
                                                                     monkeypatch):
    # Run on Tuesday 2018-08-21 at 00:05 in Seoul (the day before, UTC).
    monkeypatch.setattr("django.utils.timezone.now",
                        lambda: datetime(2018, 8, 21, 0, 5, tzinfo=ZoneInfo("Asia/Seoul")))
    call_command("tick")
    out = capsys.readouterr().out
    assert "2018-08-21 기준: 시작 1건, 마감 1건" in out
    assert "성북구 시민협력플랫폼 · 자료 제출" in out and "도봉구" in out
    w1, w2 = (Window.objects.get(pk=w.pk) for w in two_windows)
    assert (w1.state, w2.state) == (WindowState.OPEN, WindowState.CLOSED)
    events = AuditEvent.objects.count()
    call_command("tick")
    assert "시작 0건, 마감 0건" in capsys.readouterr().out
    assert AuditEvent.objects.count() == events


@override_settings(TASKS=IMMEDIATE)
def test_the_task_runs_the_sweep(two_windows, monkeypatch):
    from seonggwa.schedules.tasks import sweep

    monkeypatch.setattr("django.utils.timezone.now",
                        lambda: datetime(2018, 8, 25, 9, 0, tzinfo=ZoneInfo("Asia/Seoul")))
    result = sweep.enqueue()
    assert result.return_value == {"today": "2018-08-25", "opened": 0, "closed": 2}
    assert set(Window.objects.values_list("state", flat=True)) == {WindowState.CLOSED}


def test_starting_the_chain_twice_enqueues_one_sweep(db, capsys):
    from django_tasks_db.models import DBTaskResult

    call_command("tick", every=5)
    call_command("tick", every=5)
    assert "already waiting" in capsys.readouterr().out
    assert DBTaskResult.objects.count() == 1


def test_seonggwa_tick_runs_the_management_command(monkeypatch):
    # `seonggwa tick` is the cron entry point: it runs the command above (in its own
    # process, which closes its database connections at the end).
    ran = []
    monkeypatch.setattr(cli, "_django_command", ran.append)
    assert cli.main(["tick"]) == 0
    assert cli.main(["tick", "--every", "5"]) == 0
    assert ran == [["tick"], ["tick", "--every", "5"]]


def test_closing_at_the_end_of_the_last_day_in_seoul(two_windows):
    w1, _ = two_windows
    seoul = ZoneInfo("Asia/Seoul")
    windows.tick(datetime(2018, 8, 24, 23, 59, tzinfo=seoul))
    assert Window.objects.get(pk=w1.pk).state == WindowState.OPEN
    report = windows.tick(datetime(2018, 8, 25, 0, 0, tzinfo=seoul))
    assert [w.pk for w in report.closed] == [w1.pk]


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_close_each_window_once():
    """Cron and the task worker may sweep at the same moment: on PostgreSQL each takes the
    rows the other has not locked, so no window is closed (or signalled) twice."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks that skip locked rows: PostgreSQL")
    rnd = civic_round()
    for i in range(40):
        windows.set_window(rnd, platform(f"구{i:02d}"), "submission",
                           opens_on=date(2018, 8, 1), due_on=date(2018, 8, 24), actor=None,
                           actor_label="test")
    now = datetime(2018, 8, 25, 0, 5, tzinfo=ZoneInfo("Asia/Seoul"))
    closed, errors = [], []

    def sweep():
        try:
            closed.extend(w.pk for w in windows.tick(now).closed)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(closed) == sorted(Window.objects.values_list("pk", flat=True))
    assert AuditEvent.objects.filter(action="window.close").count() == 40
