"""One district of the 2018 civic-platform example, walked through in a real browser
(Debian's headless Chromium through Playwright, against the live server), as its people
would: the platform submits its documents; the officer seats the seven-member panel
through the conflict check; the seven members score; the officer enters the desk review,
computes and releases the result; the platform reads the notice and objects once; the
panel's re-review revises a rating; the officer publishes the final result and reads the
whole trail. Every step is screenshotted at 1280 and 375 CSS pixels
(``SEONGGWA_SCREENSHOTS``, default a folder under /tmp), and checked in the database.

The example is the one ``make run`` loads (:mod:`seonggwa.examples.civic_platform`):
강서구 is left before its submission for exactly this walk.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from browser.helpers import BROWSER, new_context
from browser.helpers import SCREENSHOTS as SHOTS

pytestmark = BROWSER

WIDTHS = (1280, 375)
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
# The seven members' ratings of the two key goals: close together, so no rating needs a
# justification (the integrity rule is tested by the sheets part).
RATINGS = [(4, 4), (5, 4), (4, 3), (4, 4), (5, 5), (4, 4), (4, 3)]
DESK_REVIEW = "78"


@pytest.fixture
def civic(transactional_db, live_server, settings, tmp_path):
    """The civic-platform example with its demo (loaded with debug on, as `make run`
    does); the accounts then stand for real ones, since demo accounts are refused with
    debug off, as here."""
    from seonggwa.accounts.models import Profile
    from seonggwa.examples import civic_platform

    settings.MEDIA_ROOT = tmp_path / "media"  # documents submitted here and in the demo
    civic_platform.load_civic_platform_2018()
    settings.DEBUG = True
    civic_platform.load_civic_demo()
    settings.DEBUG = False
    Profile.objects.update(is_demo=False)
    return civic_platform.civic_example()


def _shots(page, step: str) -> list[Path]:
    """The page as it is now, at every width (then back to the desktop width), after
    checking it is a page of the product."""
    _no_error_page(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    paths = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        path = SHOTS / f"civic-{step}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    return paths


def _open(browser, live_server, user, path: str):
    context = new_context(browser, live_server, user)
    page = context.new_page()
    page.goto(live_server.url + path)
    return context, page


def _no_error_page(page) -> None:
    """A page of the product: a heading, no error page, no developer text."""
    from test_no_developer_text import developer_text

    html = page.content()
    assert page.locator("h1").count() >= 1, page.url
    assert "Server Error" not in html and "Traceback" not in html, page.url
    assert developer_text(html) == [], page.url


def test_a_district_from_submission_to_its_published_result(civic, browser, live_server):
    from django.contrib.auth import get_user_model

    from seonggwa.appeals.models import Appeal, Notice, Outcome
    from seonggwa.core.models import AuditEvent
    from seonggwa.evaluations.models import Result, Status
    from seonggwa.examples import civic_platform
    from seonggwa.panels.models import Seat
    from seonggwa.sheets.models import Sheet, SheetState
    from seonggwa.submissions.models import State, Submission

    district = civic_platform.DEMO_DISTRICT
    rnd, subject = civic.round_of(district), civic.subjects[district]
    users = {u.username: u for u in get_user_model().objects.select_related("profile")}
    roman = civic_platform.ROMAN[district]
    officer, platform = users["officer"], users[f"platform-{roman}"]
    contexts = []
    try:
        # 1. The platform submits its documents before its deadline.
        context, page = _open(browser, live_server, platform, reverse(
            "office:submissions_subject", args=[rnd.pk, subject.pk]))
        contexts.append(context)
        _no_error_page(page)
        _shots(page, "01-submission-open")
        codes = [c.split("file-", 1)[1] for c in page.locator("input[type=file]").evaluate_all(
            "els => els.map(e => e.id)")]
        assert codes, "the submission page offers no document to upload"
        for n, code in enumerate(codes):
            page.set_input_files(f"#file-{code}", files=[{
                "name": f"강서구 제출서류 {n + 1}.pdf", "mimeType": "application/pdf", "buffer": PDF}])
            with page.expect_navigation():
                page.locator(f"form:has(#file-{code}) button[type=submit]").click()
            _no_error_page(page)
        with page.expect_navigation():
            page.locator("form[action$='/submit/'] button[type=submit]").click()
        _shots(page, "02-submitted")
        assert Submission.objects.get(round=rnd, subject=subject).state == State.SUBMITTED

        # 2. The officer seats the panel: the conflict check runs before anyone is seated.
        context, page = _open(browser, live_server, officer, reverse(
            "office:panels_subject", args=[rnd.pk, subject.pk]))
        contexts.append(context)
        _shots(page, "03-panel-candidates")
        own_head = users[f"head-{roman}"]
        page.select_option("#id_member", str(own_head.pk))
        page.select_option("#id_seat_code", "peer_year1")
        with page.expect_navigation():
            page.locator("form:has(#id_member) button[type=submit]").click()
        assert "이해충돌" in page.locator("[role=alert]").first.inner_text()
        _shots(page, "04-conflict-refused")
        assert not Seat.objects.filter(round=rnd, subject=subject, member=own_head).exists()

        with page.expect_navigation():  # the city's two members
            page.get_by_role("button", name="기본 구성 적용").click()
        for seat_code, username in civic_platform.demo_panel(civic, district):
            member = users[username]
            if Seat.objects.filter(round=rnd, subject=subject, member=member).exists():
                continue
            if seat_code == "district":  # the district's own team leader, by the plan
                page.fill(f"#lift-{member.pk}-same_district",
                          "평가계획에 따라 해당 자치구 담당 팀장이 평가단에 참여합니다.")
                with page.expect_navigation():
                    page.locator(f"form:has(#lift-{member.pk}-same_district) button").click()
            page.select_option("#id_member", str(member.pk))
            page.select_option("#id_seat_code", seat_code)
            with page.expect_navigation():
                page.locator("form:has(#id_member) button[type=submit]").click()
            _no_error_page(page)
        _shots(page, "05-panel-seated")
        panel = Seat.objects.filter(round=rnd, subject=subject, ended_at__isnull=True)
        assert panel.count() == 7

        # 3. Each of the seven members scores the two key goals and submits.
        for n, (seat_, (g1, g2)) in enumerate(zip(panel.select_related("member"), RATINGS,
                                                  strict=True)):
            context, page = _open(browser, live_server, seat_.member, reverse(
                "office:sheets_edit", args=[rnd.pk, subject.pk]))
            contexts.append(context)
            for code, value in (("G1", g1), ("G2", g2)):
                page.select_option(f"#id-{code}-value", str(value))
                for part in ("outcomes", "limits", "improvements"):
                    page.fill(f"#id-{code}-{part}", f"{district} {code} {part}: 위원 {n + 1}의 의견")
            if n == 0:
                _shots(page, "06-sheet-filled")
            with page.expect_navigation():
                page.locator("button[name=action][value=submit]").click()
            _no_error_page(page)
            if n == 0:
                _shots(page, "07-sheet-submitted")
        assert set(Sheet.objects.filter(round=rnd, subject=subject)
                   .values_list("state", flat=True)) == {SheetState.SUBMITTED}
        assert Sheet.objects.filter(round=rnd, subject=subject).count() == 7

        # 4. The officer enters the desk review, computes and reads the aggregation.
        page = contexts[1].new_page()
        page.goto(live_server.url + reverse("office:sheets_desk", args=[rnd.pk]))
        page.fill(f"#id-{subject.pk}-Q", DESK_REVIEW)
        with page.expect_navigation():
            page.locator("form button[type=submit]").last.click()
        page.goto(live_server.url + reverse("office:sheets_round", args=[rnd.pk]))
        with page.expect_navigation():
            page.locator(f"form:has(input[name=subject][value='{subject.pk}']) button").click()
        _shots(page, "08-aggregation")
        result = Result.objects.get(round=rnd, subject=subject)
        assert result.status == Status.DRAFT and result.band_code

        # 5. The officer reviews the outgoing message and releases it.
        page.goto(live_server.url + reverse("office:appeals_release", args=[rnd.pk]))
        _shots(page, "09-release-review")
        with page.expect_navigation():
            page.get_by_role("button", name="함께 통보").click()
        _shots(page, "10-released")
        appeal = Appeal.objects.get(result=result)
        assert Notice.objects.filter(user=platform, result=result).exists()

        # 6. The platform reads its notice and objects once, with a file.
        page = contexts[0].new_page()
        page.goto(live_server.url + reverse("office:appeals_notices"))
        _shots(page, "11-notice")
        page.goto(live_server.url + reverse("office:appeals_case", args=[appeal.pk]))
        page.fill("#id_reasons", "정성평가 G2의 한계 서술이 제출한 결과보고서 3장의 실적을 "
                                 "반영하지 않았습니다. 재심의를 요청합니다.")
        page.set_input_files("#id_files", files=[{
            "name": "추가자료.pdf", "mimeType": "application/pdf", "buffer": PDF}])
        with page.expect_navigation():
            page.get_by_role("button", name="이의신청 제출").click()
        _shots(page, "12-objection-filed")
        appeal.refresh_from_db()
        assert hasattr(appeal, "objection")

        # 7. The panel's re-review, recorded by the officer: one rating revised.
        page = contexts[1].new_page()
        page.goto(live_server.url + reverse("office:appeals_case", args=[appeal.pk]))
        cell = page.locator("#decision-form table input").first
        cell.fill("5")
        page.check("input[name=outcome][value=revised]")
        page.fill("#id_reason", "평가단 재심의: 결과보고서 3장의 실적을 확인하여 G2 평점 하나를 "
                                "올립니다.")
        with page.expect_navigation():
            page.get_by_role("button", name="재심의 결과 기록").click()
        _shots(page, "13-re-reviewed")
        appeal.refresh_from_db()
        result.refresh_from_db()
        assert appeal.outcome == Outcome.REVISED
        assert result.status == Status.FINALISED and result.is_locked

        # 8. The officer publishes the final result.
        page.goto(live_server.url + reverse("office:result", args=[result.pk]))
        with page.expect_navigation():
            page.locator(".actions form button[type=submit]").filter(has_text="공개").click()
        _shots(page, "14-published")
        result.refresh_from_db()
        assert result.status == Status.PUBLISHED

        # 9. The trail: every step, who, when, why.
        response = page.goto(live_server.url + reverse("office:submissions_history",
                                                       args=[rnd.pk]))
        assert response.status == 200, response.status
        _shots(page, "15-audit-trail")
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        assert {"submission.submit", "panels.seat", "panels.conflict_lift", "sheet.submit",
                "sheets.desk_review", "appeal.release", "appeal.object", "appeal.revise",
                "result.publish"} <= actions, actions
        trail = page.locator("main").inner_text()
        assert district in trail
    finally:
        for context in contexts:
            context.close()
