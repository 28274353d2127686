"""Headless Chromium (Debian's package) through Playwright against a live server:
the public results page filtered like a citizen would, the CSV download, and the
language switch."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from seonggwa.evaluations.models import Result

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"Debian's Chromium is not installed at {CHROMIUM} "
                              "(apt-get install chromium)"),
]


@pytest.fixture
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the test itself are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ko-KR", accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def seoul(transactional_db, live_server):
    call_command("load_seoul")
    yield
    _end_request_thread_connections()


def _end_request_thread_connections():
    """The live server answers each request in a thread of its own; a thread that the
    browser's kept-alive download connection still holds keeps its PostgreSQL session, and
    the test database could not be dropped at the end of the run. End those sessions."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")


def visible_rows(page) -> list[dict]:
    rows = []
    for tr in page.locator("table.results tbody tr").all():
        cells = [c.inner_text().strip() for c in tr.locator("td, th").all()]
        rows.append({"year": cells[0].split()[0], "service": cells[1], "department": cells[2],
                     "contractor": cells[3], "score": cells[4]})
    return rows


def test_filter_public_results_and_download_csv(live_server, seoul, page):
    page.goto(f"{live_server.url}/results/")
    assert page.locator("h1").inner_text() == "사무별 평가 결과"

    page.select_option("#id_year", "2020")
    page.select_option("#id_department", label="자원순환과")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert "year=2020" in page.url

    expected = (Result.objects.published()
                .filter(round__year__year=2020, department__name="자원순환과")
                .order_by("round__number", "seq"))
    shown = visible_rows(page)
    assert [(r["service"], r["score"]) for r in shown] == [
        (e.service_name, f"{e.score:.2f}") for e in expected]
    assert page.locator("p.count").inner_text() == f"{len(shown)}건"

    # Text search narrows further; sorting by score keeps the same rows.
    page.fill("#id_q", "마포")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert [r["service"] for r in visible_rows(page)] == [
        e.service_name for e in expected if "마포" in e.service_name
        or "마포" in e.contractor_name]
    page.click("table.results thead a:has-text('점수')")
    page.wait_for_load_state()
    scores = [float(r["score"]) for r in visible_rows(page)]
    assert scores == sorted(scores)

    # The CSV of that year, downloaded from the year page.
    page.goto(f"{live_server.url}/results/2020/")
    with page.expect_download() as info:
        page.click("a:has-text('2020년 결과 CSV 내려받기')")
    download = info.value
    assert download.suggested_filename == "seonggwa-results-2020.csv"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    all_2020 = Result.objects.published().filter(round__year__year=2020).order_by(
        "round__number", "seq")
    assert [(r["service_name"], r["score"], r["department"]) for r in rows] == [
        (e.service_name, f"{e.score:.2f}", e.department.name) for e in all_2020]


def test_language_switch(live_server, seoul, page):
    page.goto(f"{live_server.url}/results/?year=2019")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.locator("h1").inner_text() == "사무별 평가 결과"
    # The switcher submits on change (JavaScript); the page comes back in English with
    # the same filters.
    with page.expect_navigation():
        page.select_option("#lang-select", "en")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Results per service"
    assert "year=2019" in page.url
    assert page.locator("table.results caption").inner_text() == (
        "Published results per service")
    with page.expect_navigation():
        page.select_option("#lang-select", "ko")
    assert page.locator("h1").inner_text() == "사무별 평가 결과"
