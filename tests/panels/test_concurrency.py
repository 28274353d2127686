"""Two officers seating the same place at the same moment, each in its own database
connection: the partial unique constraint keeps one, the other is refused with a message
and leaves nothing behind. (PostgreSQL: SQLite's test database runs every connection on
one in-memory file.)"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from panels.factories import civic_round
from seonggwa.evaluations.models import Assignment
from seonggwa.panels.domain.errors import PanelRefused
from seonggwa.panels.domain.seats import seat
from seonggwa.panels.models import Seat

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="two connections: PostgreSQL"),
]


def test_two_officers_seat_the_one_district_place_at_once():
    civic = civic_round()
    together = threading.Barrier(2, timeout=20)
    outcomes: dict[str, str] = {}

    def place(officer: str, member: str) -> None:
        try:
            together.wait()
            seat(civic.round, civic.subject, civic[member], "district", actor=civic[officer])
            outcomes[member] = "seated"
        except PanelRefused as exc:
            outcomes[member] = " ".join(exc.messages)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=place, args=args)
               for args in (("officer", "district"), ("officer2", "expert1"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(v == "seated" for v in outcomes.values()) == [False, True], outcomes
    loser = next(m for m, v in outcomes.items() if v != "seated")
    assert ("그사이 다른 담당자가" in outcomes[loser]
            or "자리가 모두 찼습니다" in outcomes[loser]), outcomes[loser]
    [kept] = Seat.objects.filter(seat_code="district", ended_at__isnull=True)
    assert outcomes[kept.member.username] == "seated"  # usernames are the keys here
    assert connection.vendor == "postgresql"
    assert not Assignment.objects.filter(user=civic[loser]).exists()
