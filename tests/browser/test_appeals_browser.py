"""The release of a round's results and one organisation's objection, in a real browser
(Debian's headless Chromium through Playwright, against the live server): the officer
reviews the outgoing messages and releases them together; the organisation reads its
notice, is told in Korean what is missing when it sends an empty objection, then objects
once with reasons and a file. Each page is checked to fit and photographed at 1280 and
375 CSS pixels (``SEONGGWA_SCREENSHOTS``, default a folder under /tmp)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from browser.helpers import BROWSER, new_context
from browser.helpers import SCREENSHOTS as SHOTS
from browser.test_phone_width import LAYOUT_PROBLEMS

pytestmark = BROWSER

WIDTHS = (1280, 375)
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
REASONS = "G2(자치구별 핵심목표)의 한계 서술이 결과보고서 3장의 하반기 실적을 반영하지 않았습니다."


@pytest.fixture
def world(transactional_db, live_server, settings, tmp_path):
    """A civic round whose two platforms (마포구, 은평구) are scored by seven members and
    wait to be released; the officer; a user of each platform."""
    from appeals.factories import officer, platform_org, scored_round, user

    from seonggwa.accounts.models import Role

    settings.MEDIA_ROOT = tmp_path / "media"
    rnd, (mapo, eunpyeong) = scored_round(("마포구", "은평구"))
    return {"round": rnd, "mapo": mapo, "eunpyeong": eunpyeong, "officer": officer(),
            "mapo_user": user("mapo", Role.CONTRACTOR, platform_org("마포구"),
                              email="mapo@example.org"),
            "eunpyeong_user": user("eunpyeong", Role.CONTRACTOR, platform_org("은평구"))}


def _shots(page, step: str) -> None:
    """Check the page is one of the product and fits each width; photograph it there."""
    from test_no_developer_text import developer_text

    html = page.content()
    assert page.locator("h1").count() >= 1, page.url
    assert "Traceback" not in html and developer_text(html) == [], page.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)  # the page relabels its wide tables 150 ms after a resize
        assert page.evaluate(LAYOUT_PROBLEMS) == [], (step, width)
        page.screenshot(path=str(SHOTS / f"appeals-{step}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def test_the_officer_releases_and_the_organisation_objects_once(world, browser, live_server):
    from seonggwa.appeals.models import Appeal, AppealState, Notice, Objection

    rnd, mapo = world["round"], world["mapo"]
    officer_ctx = new_context(browser, live_server, world["officer"])
    org_ctx = new_context(browser, live_server, world["mapo_user"])
    other_ctx = new_context(browser, live_server, world["eunpyeong_user"])
    try:
        # 1. The officer reviews the outgoing messages and releases them together.
        page = officer_ctx.new_page()
        page.goto(live_server.url + reverse("office:appeals_release", args=[rnd.pk]))
        review = page.locator("main").inner_text()
        assert "보낼 통보를 확인해 주십시오" in review
        assert "마포구 시민협력플랫폼" in review and "은평구 시민협력플랫폼" in review
        _shots(page, "01-release-review")
        assert not Appeal.objects.exists()  # reviewing sends nothing
        with page.expect_navigation():
            page.get_by_role("button", name="결과 2건 함께 통보").click()
        assert "결과 2건을 통보했습니다" in page.locator("body").inner_text()
        _shots(page, "02-released")
        appeal = Appeal.objects.get(result=mapo)
        assert set(Appeal.objects.values_list("state", flat=True)) == {AppealState.NOTIFIED}
        assert Notice.objects.filter(user=world["mapo_user"], result=mapo).exists()

        # 2. The organisation reads its notice and opens the objection page.
        page = org_ctx.new_page()
        page.goto(live_server.url + reverse("office:appeals_notices"))
        assert "마포구 시민협력플랫폼" in page.locator("main").inner_text()
        _shots(page, "03-notice")
        page.goto(live_server.url + reverse("office:appeals_case", args=[appeal.pk]))
        assert "이의신청 마감일" in page.locator("main").inner_text()
        _shots(page, "04-objection-form")

        # 3. An empty objection is refused in Korean and changes nothing.
        with page.expect_navigation():
            page.get_by_role("button", name="이의신청 제출").click()
        assert "이의신청 사유" in page.locator("#objection-form").inner_text()
        assert page.locator("#objection-form .errors, #objection-form [role=alert]").count()
        _shots(page, "05-objection-refused")
        assert not Objection.objects.exists()

        # 4. The objection with its reasons and a file, once.
        page.fill("#id_reasons", REASONS)
        page.set_input_files("#id_files", files=[{
            "name": "하반기 실적.pdf", "mimeType": "application/pdf", "buffer": PDF}])
        with page.expect_navigation():
            page.get_by_role("button", name="이의신청 제출").click()
        shown = page.locator("body").inner_text()
        assert "이의신청을 접수했습니다" in shown and REASONS in shown and "하반기 실적.pdf" in shown
        assert page.get_by_role("button", name="이의신청 제출").count() == 0  # only once
        _shots(page, "06-objection-filed")
        objection = Objection.objects.get(appeal=appeal)
        assert objection.reasons == REASONS and objection.files.count() == 1
        appeal.refresh_from_db()
        assert appeal.state == AppealState.OBJECTED

        # 5. Another organisation cannot open this objection.
        response = other_ctx.new_page().goto(
            live_server.url + reverse("office:appeals_case", args=[appeal.pk]))
        assert response.status in (403, 404)
    finally:
        for context in (officer_ctx, org_ctx, other_ctx):
            context.close()
