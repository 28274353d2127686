"""The version check under real concurrency: two saves of the same object at the same
moment, each in its own database connection. The row lock makes them take turns; the
second sees the first's audit event and is refused. (PostgreSQL: SQLite's test database
runs every connection on one in-memory file and has no row locks to test.)"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from seonggwa.core import concurrency
from seonggwa.registry.domain import changes

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks: PostgreSQL"),
]


def test_two_simultaneous_saves_one_wins_one_is_refused():
    svc = changes.create_service(key="svc-9001", name="동시 수정 사무", actor_label="test")
    loaded = concurrency.version_of(svc)
    inside = threading.Barrier(2, timeout=20)
    outcomes: dict[str, str] = {}

    def save(who: str, notes: str) -> None:
        try:
            inside.wait()  # both start together, both loaded the same version
            with concurrency.guarded(loaded, svc) as fresh:
                changes.update_service(fresh, notes=notes, actor_label=who)
            outcomes[who] = "saved"
        except concurrency.StaleEdit as exc:
            outcomes[who] = exc.message
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(who, f"{who}의 메모"))
               for who in ("kim", "lee")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(v == "saved" for v in outcomes.values()) == [False, True], outcomes
    winner = next(who for who, v in outcomes.items() if v == "saved")
    loser = next(who for who in outcomes if who != winner)
    assert outcomes[loser].startswith(f"{winner}님이 ")
    svc.refresh_from_db()
    assert svc.notes == f"{winner}의 메모"
    assert connection.vendor == "postgresql"
