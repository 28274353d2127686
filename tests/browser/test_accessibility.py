"""Accessibility in a real browser: axe-core (WCAG 2.1 A and AA rules) finds nothing on
any page — public, office (as each role), login and error pages; every
``aria-describedby`` names help text that is there and shown; the language menu changes
language only through its button; a committee member runs the what-if over exactly the
results the access rule lets them see."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from browser.helpers import (
    BROWSER,
    ROLES,
    SCREENSHOTS,
    add_draft_work,
    forbidden_office_pages,
    new_context,
    office_pages,
    portal_pages,
)

pytestmark = BROWSER

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

# Each aria-describedby id that names no element, or an element nobody can see.
BROKEN_DESCRIPTIONS = """() => {
  const broken = [];
  for (const el of document.querySelectorAll('[aria-describedby]')) {
    for (const id of el.getAttribute('aria-describedby').split(/\\s+/).filter(Boolean)) {
      const help = document.getElementById(id);
      const what = `${el.tagName.toLowerCase()}#${el.id || '?'} → ${id}`;
      if (!help) { broken.push(`${what}: no such element`); continue; }
      if (!help.checkVisibility() || !help.textContent.trim()) {
        broken.push(`${what}: not shown`);
      }
    }
  }
  return broken;
}"""


def audit(page, axe) -> list[str]:
    """axe-core's WCAG 2.1 AA violations and broken descriptions on the open page."""
    found = []
    results = axe.run(page, options=AXE_OPTIONS)
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            found.append(f"{violation['id']} at {node['target']}: {violation['help']}")
    found += page.evaluate(BROKEN_DESCRIPTIONS)
    return found


def audit_pages(browser, live_server, user, pages, *, language, status=200) -> dict:
    context = new_context(browser, live_server, user, language=language)
    page = context.new_page()
    axe = Axe()
    problems = {}
    try:
        for name, path in pages:
            response = page.goto(live_server.url + path)
            assert response.status == status, (name, path, response.status)
            found = audit(page, axe)
            if found:
                problems[f"{language} {user.username if user else 'citizen'} {path}"] = found
    finally:
        context.close()
    return problems


def shoot(page, name: str) -> None:
    folder = SCREENSHOTS / "errors"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def report(problems: dict) -> str:
    return "\n".join(f"{where}:\n  " + "\n  ".join(found) for where, found in problems.items())


@pytest.mark.parametrize("role", ROLES, ids=[r or "citizen" for r in ROLES])
def test_no_axe_violations_on_any_page(live_server, demo_users, browser, role):
    add_draft_work(demo_users)
    user = demo_users[role] if role else None
    if user is None:
        pages = portal_pages() + [("login", reverse("accounts:login"))]
        languages = ("ko", "en")
    else:
        pages = office_pages(user)
        languages = ("ko", "en") if role == "officer" else ("ko",)
    problems = {}
    for language in languages:
        problems.update(audit_pages(browser, live_server, user, pages, language=language))
    if user is not None:
        # Pages of other roles: the 403 page, in this role's frame.
        problems.update(audit_pages(browser, live_server, user, forbidden_office_pages(user),
                                    language="ko", status=403))
    assert not problems, report(problems)


def test_forms_with_errors_and_the_failed_login_have_no_axe_violations(
        live_server, demo_users, browser):
    context = new_context(browser, live_server, demo_users["officer"])
    page = context.new_page()
    axe = Axe()
    problems = {}
    # A what-if with both a threshold and a policy is refused with a message.
    page.goto(live_server.url + reverse("office:what_if") + "?threshold=abc")
    assert page.locator(".errors").count()
    problems["what-if refused"] = audit(page, axe)
    page.goto(live_server.url + reverse("office:service_new"))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".errors").count()
    problems["new service refused"] = audit(page, axe)
    context.close()

    context = new_context(browser, live_server)
    page = context.new_page()
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("#id_username", "nobody")
    page.fill("#id_password", "wrong")
    page.click("main form button[type=submit], main form input[type=submit]")
    page.wait_for_load_state()
    problems["login refused"] = audit(page, axe)
    context.close()
    problems = {k: v for k, v in problems.items() if v}
    assert not problems, report(problems)


def test_error_pages_have_no_axe_violations_and_lead_on(live_server, demo_users, browser):
    from django.views import defaults

    axe = Axe()
    problems = {}
    for language in ("ko", "en"):
        context = new_context(browser, live_server, language=language)
        page = context.new_page()
        response = page.goto(live_server.url + "/no-such-page/")
        assert response.status == 404
        assert page.locator("main a[href='/']").count() == 1
        problems[f"404 {language}"] = audit(page, axe)
        shoot(page, f"error-404-{language}")

        # 403 for a failed CSRF check: the form's token no longer matches the cookie.
        page.goto(live_server.url + reverse("portal:home"))
        context.clear_cookies()
        page.select_option("#lang-select", "en" if language == "ko" else "ko")
        with page.expect_navigation():
            page.click("form.lang button[type=submit]")
        assert page.locator("h1").inner_text() in ("요청을 확인할 수 없습니다",
                                                   "The request could not be verified")
        problems[f"403 csrf {language}"] = audit(page, axe)
        shoot(page, f"error-403-csrf-{language}")

        # 500: the page Django's handler renders, shown from this site's address.
        from django.test import RequestFactory
        from django.utils import translation

        with translation.override(language):
            html = defaults.server_error(RequestFactory().get("/")).content.decode()
        page.goto(live_server.url + reverse("portal:home"))
        page.set_content(html)
        page.wait_for_load_state()
        assert page.locator("main a[href='/']").count() == 1
        assert page.evaluate("getComputedStyle(document.body).margin") == "0px"  # site.css
        problems[f"500 {language}"] = audit(page, axe)
        shoot(page, f"error-500-{language}")
        context.close()

    context = new_context(browser, live_server, demo_users["dept"])
    page = context.new_page()
    response = page.goto(live_server.url + reverse("office:transfer"))
    assert response.status == 403
    assert page.locator("main a[href='/office/']").count() == 1
    problems["403 dept"] = audit(page, axe)
    shoot(page, "error-403-dept-ko")
    context.close()
    problems = {k: v for k, v in problems.items() if v}
    assert not problems, report(problems)


def test_language_menu_changes_language_only_by_its_button(live_server, seoul, browser):
    context = new_context(browser, live_server)
    page = context.new_page()
    page.goto(live_server.url + reverse("portal:results") + "?year=2020")
    requests = []
    page.on("request", lambda r: requests.append(r.url) if r.resource_type == "document"
            else None)
    page.focus("#lang-select")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)
    assert requests == []
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.eval_on_selector("#lang-select", "s => s.value") == "en"
    page.keyboard.press("Tab")  # to the button
    assert page.evaluate("document.activeElement.textContent") == "언어 변경"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "year=2020" in page.url
    context.close()


def test_committee_runs_what_if_over_the_results_it_may_see(live_server, demo_users,
                                                              browser):
    from evaluations.factories import draft_round, service

    from seonggwa.access.policy import what_if_results
    from seonggwa.evaluations.domain import workflow
    from seonggwa.evaluations.domain.whatif import what_if
    from seonggwa.evaluations.models import Assignment, Result

    committee = demo_users["committee"]
    rnd = draft_round(2025)
    mine = workflow.record_result(service=service("svc-h6-mine", "위원회 배정 사무"),
                                  round=rnd, score="70", actor_label="test")
    workflow.record_result(service=service("svc-h6-other", "배정 안 된 사무"), round=rnd,
                           score="65", actor_label="test")
    Assignment.objects.create(user=committee, round=rnd, subject=mine.subject)
    published = Result.objects.outsourcing().published().count()
    covered = what_if_results(committee, Result.objects.outsourcing())
    assert covered.count() == published + 1

    context = new_context(browser, live_server, committee)
    page = context.new_page()
    page.goto(live_server.url + reverse("office:dashboard"))
    page.click("header nav a:has-text('기준 가정 분석')")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "기준 가정 분석"
    # The help text of the threshold is what the field's description points at.
    described = page.get_attribute("#id_threshold", "aria-describedby")
    assert page.locator(f"#{described}").is_visible()
    assert page.locator("fieldset.years input[value='2025']").count() == 1
    page.fill("#id_threshold", "75")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()

    cards = dict(zip(page.locator(".cards .card .label").all_inner_texts(),
                     page.locator(".cards .card .value").all_inner_texts(), strict=True))
    assert int(cards["대상 결과"].replace(",", "")) == published + 1
    year_rows = {r.locator("th").inner_text(): r.locator("td").first.inner_text()
                 for r in page.locator("table:not(.whatif) tbody tr").all()}
    assert year_rows["2025"] == "1"
    # The changed decisions listed are those of the results the committee may see.
    expected = {r["service_name"] for r in what_if(Decimal(75), results=covered)
                .rows(changed_only=True)}
    assert set(page.locator("table.whatif tbody th").all_inner_texts()) == expected
    assert "배정 안 된 사무" not in page.content()
    problems = audit(page, Axe())
    assert not problems, "\n".join(problems)

    # An evaluator may not run it; the officer's covers both drafts.
    context.close()
    for username, expected in (("evaluator", None), ("officer", published + 2)):
        context = new_context(browser, live_server, demo_users[username])
        page = context.new_page()
        response = page.goto(live_server.url + reverse("office:what_if") + "?threshold=75")
        if expected is None:
            assert response.status == 403
        else:
            total = page.locator(".cards .card .value").first.inner_text()
            assert int(re.sub(r"\D", "", total)) == expected
        context.close()
