"""Hostile uploads through the officer's import pages: a small file that expands to many
rows is refused in bounded memory with a short page, and thousands of bad rows show the
first errors and a count of the rest — never a 500."""

from __future__ import annotations

import re
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from xlsx_files import sheet_xlsx

from seonggwa.accounts.models import Profile, Role
from seonggwa.evaluations.interfaces.xlsx import COLUMNS
from seonggwa.evaluations.models import Result
from seonggwa.registry.interfaces import xlsx as registry_xlsx
from seonggwa.registry.models import Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, django_user_model):
    user = django_user_model.objects.create_user("officer-h2", password="pw")
    Profile.objects.create(user=user, role=Role.OFFICER)
    client.force_login(user)
    return client


def upload(client, url, data: bytes, **fields):
    file = SimpleUploadedFile("upload.xlsx", data, content_type="application/vnd.openxmlformats-"
                              "officedocument.spreadsheetml.sheet")
    return client.post(url, {"file": file, **fields})


@pytest.mark.parametrize("page", ["results", "registry"])
def test_a_16_kb_upload_of_100k_rows_is_refused_in_bounded_memory(officer_client, page):
    if page == "results":
        data = sheet_xlsx(COLUMNS, [[2024, 1]], repeat=100_000)
        url, fields = reverse("office:transfer"), {"year": 2024}
    else:
        header = registry_xlsx.columns("services")
        data = sheet_xlsx(header, [[1]], repeat=100_000, sheet="services")
        url, fields = reverse("office:registry_transfer"), {}
    assert len(data) < 16 * 1024
    tracemalloc.start()
    try:
        response = upload(officer_client, url, data, **fields)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 400
    assert "행이 너무 많습니다" in response.content.decode()
    assert len(response.content) < 100_000
    assert peak < 100 * 1024 * 1024
    assert not Result.objects.exists() and not Service.objects.exists()


def test_thousands_of_bad_rows_show_the_first_errors_and_a_count(officer_client):
    data = sheet_xlsx(COLUMNS, [[2024, 1, "x", "svc/x", "사무", "과", "기관", 1e30, "비고"]],
                      repeat=5_000)
    response = upload(officer_client, reverse("office:transfer"), data, year=2024)
    assert response.status_code == 400
    text = response.content.decode()
    table = text[text.index('class="import-errors"'):]
    table = table[:table.index("</table>")]
    assert table.count("<tr><th scope=\"row\">") == 50
    total = int(re.search(r"오류 ([\d,]+)건\)", text).group(1).replace(",", ""))
    assert total >= 15_000  # three bad cells in each of 5,000 rows, and more
    assert f"그 밖의 오류 {total - 50:,}건" in text
    assert len(response.content) < 200_000
    assert not Result.objects.exists()


def test_a_nul_character_in_an_upload_is_a_row_error_on_the_page(officer_client):
    data = sheet_xlsx(COLUMNS, [[2024, 1, 1, "svc-x", "사무_x0000_", "과", "기관", 80, ""]])
    response = upload(officer_client, reverse("office:transfer"), data, year=2024)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_reimporting_the_year_export_through_the_page_reports_it_unchanged(officer_client):
    from evaluations.factories import draft_round, service

    from seonggwa.evaluations.domain import workflow

    svc = service("svc-p1", "페이지 사무")
    workflow.record_result(service=svc, round=draft_round(2024), score="80", seq=1,
                           contractor_name="갑기관")
    exported = officer_client.get(reverse("office:xlsx_export", args=[2024]))
    data = b"".join(exported.streaming_content) if exported.streaming else exported.content
    response = upload(officer_client, reverse("office:transfer"), data, year=2024)
    assert response.status_code == 302
    page = officer_client.get(response.url).content.decode()
    assert "새 결과 0건" in page and "정정 0건" in page and "그대로 1건" in page
    assert Result.objects.count() == 1


def test_the_open_data_workbook_is_refused_on_the_page_with_the_file_to_use(officer_client):
    open_data = officer_client.get("/open-data/results.xlsx")
    data = b"".join(open_data.streaming_content) if open_data.streaming else open_data.content
    response = upload(officer_client, reverse("office:transfer"), data, year=2024)
    assert response.status_code == 400
    text = response.content.decode()
    assert "공공데이터" in text and "seonggwa-results-" in text and "Traceback" not in text
