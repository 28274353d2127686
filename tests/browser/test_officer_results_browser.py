"""An officer in a real browser (Debian's headless Chromium through Playwright, against
the live server): signs in, finalises a round after seeing how many results change,
publishes it, corrects a published result with a reason, and reads the correction in the
audit trail — at desktop (1280 px) and phone (375 px) widths, with screenshots to look
at (``SEONGGWA_SCREENSHOTS``, default a folder under /tmp)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from browser.helpers import BROWSER
from browser.helpers import SCREENSHOTS as SHOTS

pytestmark = BROWSER


@pytest.fixture
def round_of_three(transactional_db, live_server, django_user_model):
    """A draft 2024 round with three services' results, and an officer who can sign in."""
    from evaluations.factories import draft_round, service

    from seonggwa.accounts.models import Profile, Role
    from seonggwa.evaluations.domain import workflow

    rnd = draft_round(2024)
    results = [workflow.record_result(service=service(f"svc-95{i:02d}", name),
                                      round=rnd, score=score, actor_label="test")
               for i, (name, score) in enumerate([("청소년 수련관 운영", "82.5"),
                                                  ("노인 복지관 운영", "71"),
                                                  ("공공 자전거 대여소 운영", "58.25")])]
    officer = django_user_model.objects.create_user("officer", password="pw-officer-1",
                                                    first_name="김주무")
    Profile.objects.create(user=officer, role=Role.OFFICER)
    # The live server's request threads keep PostgreSQL sessions open; conftest ends them
    # once, after the last browser test (ending them here would cut the next test's own).
    yield rnd, results


def _shot(page, name: str, width: int) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"officer-{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _fits(page) -> bool:
    """Nothing wider than the screen (tables scroll in their own box)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _overflowing(page) -> list[str]:
    """The elements wider than the screen (for the failure message)."""
    return page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                && !(e.parentElement && e.parentElement.closest('.table-wrap')))
        .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' +
                         Math.round(e.getBoundingClientRect().right))""")


@pytest.mark.parametrize("width", [1280, 375])
def test_officer_finalises_publishes_and_corrects(live_server, round_of_three, browser,
                                                  width):
    # (the browser is requested after the data, so it is closed before the data's
    # clean-up ends the live server's database sessions)
    from seonggwa.evaluations.models import Result, Status

    rnd, results = round_of_three
    context = browser.new_context(locale="ko-KR", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/?next=/office/rounds/{rnd.pk}/")
        page.fill("#id_username", "officer")
        page.fill("#id_password", "pw-officer-1")
        page.click("main button[type=submit]")
        page.wait_for_url(f"**/office/rounds/{rnd.pk}/")

        _shot(page, "round-draft", width)
        assert _fits(page), _overflowing(page)
        # finalise: the button says how many; the confirmation says it again
        page.get_by_role("link", name="작성 중 결과 3건 모두 확정").click()
        assert "3건" in page.locator("section.confirm").inner_text()
        _shot(page, "confirm-finalise", width)
        assert _fits(page), _overflowing(page)
        page.get_by_role("button", name="결과 3건 확정").click()
        page.wait_for_url(f"**/office/rounds/{rnd.pk}/")
        assert "평가를 확정했습니다: 결과 3건" in page.locator("ul.messages").inner_text()
        assert set(Result.objects.values_list("status", flat=True)) == {Status.FINALISED}

        # publish
        page.get_by_role("link", name="평가 공개 (확정 결과 3건)").click()
        assert "3건" in page.locator("section.confirm").inner_text()
        page.get_by_role("button", name="결과 3건 공개").click()
        page.wait_for_url(f"**/office/rounds/{rnd.pk}/")
        assert set(Result.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
        _shot(page, "round-published", width)
        assert _fits(page), _overflowing(page)

        # correct one result: without a reason it is refused, with one it is saved
        target = results[2]
        page.get_by_role("link", name=f"정정·이력 {target.subject.name}").click()
        page.fill("#correction-form input[name=score]", "61.25")
        page.click("#correction-form button[type=submit]")
        assert "정정 사유를 입력해야 합니다." in page.locator("#correction-form").inner_text()
        page.fill("#correction-form textarea[name=reason]", "이의신청 인용 (공문 제2024-77호)")
        page.click("#correction-form button[type=submit]")
        page.wait_for_url("**#trail")
        trail = page.locator("table.trail").inner_text()
        assert "결과 정정" in trail and "이의신청 인용 (공문 제2024-77호)" in trail
        assert "김주무" in trail and "58.25" in trail and "61.25" in trail
        target.refresh_from_db()
        assert (target.score, target.status) == (Decimal("61.25"), Status.PUBLISHED)
        _shot(page, "corrected-result", width)
        assert _fits(page), _overflowing(page)
    finally:
        context.close()
        # this test's own queries ran beside Playwright's event loop, on a connection of
        # their own: close it, so the clean-up below ends only the live server's sessions
        from django.db import connection

        connection.close()
