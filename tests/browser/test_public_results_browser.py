"""Headless Chromium (Debian's package) through Playwright against a live server:
the public results page filtered like a citizen would, the CSV download, and the
language switch."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from browser.helpers import BROWSER
from seonggwa.evaluations.models import Result

pytestmark = BROWSER


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
    # Choosing a language changes nothing by itself (WCAG 3.2.2: arrow keys on the menu
    # must not load another page); its button switches, keeping the same filters.
    page.focus("#lang-select")
    page.keyboard.press("ArrowDown")
    page.select_option("#lang-select", "en")
    page.wait_for_timeout(300)
    assert "year=2019" in page.url
    assert page.locator("h1").inner_text() == "사무별 평가 결과"
    with page.expect_navigation():
        page.click("form.lang button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Results per service"
    assert "year=2019" in page.url
    assert page.locator("table.results caption").inner_text() == (
        "Published results per service")
    assert page.locator("form.lang button[type=submit]").inner_text() == "Change language"
    page.select_option("#lang-select", "ko")
    with page.expect_navigation():
        page.click("form.lang button[type=submit]")
    assert page.locator("h1").inner_text() == "사무별 평가 결과"
