"""The appeals' receiver of the schedules' window_closed signal, as the scheduler's sweep
calls it for thousands of windows: a window other than the objection window costs no
query, an objection window with no result waiting one light query, and only a window
covering a notified result finalises it."""

from __future__ import annotations

from datetime import date

from appeals.helpers import appeal_of, object_, release
from seonggwa.appeals.domain import process
from seonggwa.appeals.models import AppealState, Outcome
from seonggwa.schedules.models import Window


def _closed(world, code: str, subject=None) -> Window:
    """A window of the world's round as the sweep hands it over (its round loaded)."""
    return Window(round=world.round, subject=subject, code=code, label=code,
                  opens_on=date(2018, 6, 25), due_on=date(2018, 7, 4), state="closed")


def test_a_window_other_than_the_objection_window_costs_no_query(
        world, django_assert_num_queries):
    release(world)
    process.on_window_closed(Window, _closed(world, "report"))  # reads the rule once
    for code in ("submission", "notification", "report"):
        with django_assert_num_queries(0):
            process.on_window_closed(Window, _closed(world, code, world.mapo.subject))
    assert appeal_of(world.mapo).state == AppealState.NOTIFIED


def test_an_objection_window_with_nothing_waiting_costs_one_query(
        world, django_assert_num_queries):
    release(world)
    objected = appeal_of(world.mapo)
    object_(world, objected)
    process.on_window_closed(Window, _closed(world, "report"))  # reads the rule once
    with django_assert_num_queries(1):
        process.on_window_closed(Window, _closed(world, "objection", world.mapo.subject))
    assert appeal_of(world.mapo).state == AppealState.OBJECTED


def test_the_objection_window_of_a_notified_result_finalises_only_that_result(world):
    release(world)
    process.on_window_closed(Window, _closed(world, "objection", world.eunpyeong.subject))
    lapsed, waiting = appeal_of(world.eunpyeong), appeal_of(world.mapo)
    assert (lapsed.state, lapsed.outcome) == (AppealState.FINAL, Outcome.LAPSED)
    assert waiting.state == AppealState.NOTIFIED
