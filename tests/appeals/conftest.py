import pytest

from appeals.factories import a_monday, officer, platform_org, scored_round, user
from seonggwa.accounts.models import Role
from seonggwa.schedules.domain import windows


class World:
    """One civic round: 마포구 and 은평구 platforms scored by seven members (drafts),
    an officer, a user of each platform and a user of no evaluated organisation."""


@pytest.fixture
def world(db, settings, tmp_path, monkeypatch):
    """``w.clock`` is "today" for every deadline (the schedules' one clock)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    w = World()
    w.clock = a_monday()
    monkeypatch.setattr(windows, "current_date", lambda: w.clock)
    w.round, (w.mapo, w.eunpyeong) = scored_round(("마포구", "은평구"))
    w.officer = officer()
    w.mapo_user = user("mapo", Role.CONTRACTOR, platform_org("마포구"), email="mapo@example.org")
    w.mapo_user2 = user("mapo2", Role.CONTRACTOR, platform_org("마포구"))
    w.eunpyeong_user = user("eunpyeong", Role.CONTRACTOR, platform_org("은평구"))
    w.outsider = user("outsider", Role.CONTRACTOR, platform_org("종로구"))
    w.evaluator = user("member", Role.EVALUATOR)
    w.day = a_monday()
    return w
