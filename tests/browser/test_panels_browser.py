"""The panel's people in a real browser (Debian's headless Chromium through Playwright,
against the live server): the evaluated platform challenges a seated member, the officer
reads the challenge and accepts it with a reason, the member is off the panel; another
member recuses from their own seat on their page. Screenshots at 1280 and 375 CSS
pixels (``SEONGGWA_SCREENSHOTS``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from browser.helpers import BROWSER, new_context
from browser.helpers import SCREENSHOTS as SHOTS

pytestmark = BROWSER

WIDTHS = (1280, 375)


@pytest.fixture
def civic(transactional_db, live_server):
    from panels.factories import civic_round

    from seonggwa.panels.domain.seats import seat

    world = civic_round()
    for who, code in (("expert1", "expert"), ("city1", "city")):
        seat(world.round, world.subject, world[who], code, actor=world["officer"])
    return world


def _shots(page, step: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"panels-{step}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def _open(browser, live_server, user, path):
    context = new_context(browser, live_server, user)
    page = context.new_page()
    page.goto(live_server.url + path)
    return context, page


def test_challenge_decision_and_recusal(browser, live_server, civic):
    from seonggwa.panels.models import Challenge, ChallengeState, Recusal, Seat

    # 1. The evaluated platform sees its own panel and challenges a member, with a reason.
    context, page = _open(browser, live_server, civic["contractor"],
                          reverse("office:panels_challenges"))
    assert "한교수" in page.locator("main").inner_text()
    page.locator("select[name=member]").select_option(str(civic["expert1"].pk))
    page.locator("textarea[name=reason]").fill("평가 대상 사업을 공개적으로 비판해 왔습니다.")
    with page.expect_navigation():
        page.get_by_role("button", name="기피 신청").click()
    _shots(page, "01-challenge-filed")
    challenge = Challenge.objects.get()
    assert challenge.state == ChallengeState.FILED
    context.close()

    # 2. The officer decides: accepted, with a reason; the member leaves the panel.
    context, page = _open(browser, live_server, civic["officer"],
                          reverse("office:panels_challenge", args=[challenge.pk]))
    _shots(page, "02-challenge-to-decide")
    page.get_by_label("인용(위원을 평가단에서 제외)").check()
    page.locator("textarea[name=reason]").fill("공정성에 대한 우려가 구체적입니다.")
    with page.expect_navigation():
        page.get_by_role("button", name="결정").click()
    assert "인용" in page.locator("main").inner_text()
    _shots(page, "03-challenge-accepted")
    challenge.refresh_from_db()
    assert challenge.state == ChallengeState.ACCEPTED
    assert not Seat.objects.filter(member=civic["expert1"], ended_at__isnull=True).exists()
    page.goto(live_server.url + reverse("office:panels_subject",
                                        args=[civic.round.pk, civic.subject.pk]))
    assert "기피 신청이 인용되었습니다" in page.locator("main").inner_text()
    _shots(page, "04-panel-after-challenge")
    context.close()

    # 3. A member recuses from their own seat on their page.
    context, page = _open(browser, live_server, civic["city1"], reverse("office:panels_mine"))
    _shots(page, "05-member-page")
    page.get_by_label("회피 사유").fill("평가 대상 플랫폼의 운영위원을 겸하고 있습니다.")
    with page.expect_navigation():
        page.get_by_role("button", name="회피 신청").click()
    _shots(page, "06-recused")
    assert Recusal.objects.get().member == civic["city1"]
    assert not Seat.objects.filter(member=civic["city1"], ended_at__isnull=True).exists()
    context.close()
