"""The world of the sheet tests (see :mod:`sheets.builders`)."""

from __future__ import annotations

import pytest

from seonggwa.accounts.models import Role
from seonggwa.evaluations.domain.assignments import assign
from sheets.builders import Civic, civic_round, make_user, platform


@pytest.fixture
def civic(db, django_user_model):
    officer = make_user(django_user_model, "officer", Role.OFFICER, "김담당")
    rnd = civic_round()
    world = Civic(round=rnd, subject=platform("가구 시민협력플랫폼"),
                  other=platform("나구 시민협력플랫폼"), officer=officer)
    for i in range(7):
        member = make_user(django_user_model, f"member{i + 1}", Role.EVALUATOR, f"위원{i + 1}")
        assign(member, rnd, world.subject, actor=officer)
        world.members.append(member)
    world.outsider = make_user(django_user_model, "outsider", Role.EVALUATOR, "남위원")
    assign(world.outsider, rnd, world.other, actor=officer)
    return world
