"""Two sessions of the same organisation file an objection at the same moment, each in
its own database connection: the appeal's row lock makes them take turns, the second sees
the first's objection and is refused; one objection is stored. (PostgreSQL: SQLite's test
database runs every connection on one in-memory file and has no row locks to test.)"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, connections

from appeals.helpers import appeal_of, release
from seonggwa.appeals.domain import process
from seonggwa.appeals.models import AppealState, Objection
from seonggwa.evaluations.domain.errors import WorkflowError

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks: PostgreSQL"),
]


def test_two_simultaneous_objections_one_is_stored(world):
    release(world)
    appeal = appeal_of(world.mapo)
    start = threading.Barrier(2, timeout=20)
    outcomes: dict[str, str] = {}

    def file(user) -> None:
        try:
            start.wait()
            process.file_objection(appeal, user, f"{user.username}의 이의", today=date(2018, 6, 27))
            outcomes[user.username] = "stored"
        except WorkflowError as exc:
            outcomes[user.username] = exc.messages[0]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=file, args=(u,))
               for u in (world.mapo_user, world.mapo_user2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(v == "stored" for v in outcomes.values()) == [False, True], outcomes
    loser = next(v for v in outcomes.values() if v != "stored")
    assert "이미 2018-06-27에 마포구 시민협력플랫폼의 이의신청이 접수되었습니다" in loser
    assert Objection.objects.count() == 1
    appeal.refresh_from_db()
    assert appeal.state == AppealState.OBJECTED
    assert connection.vendor == "postgresql"
