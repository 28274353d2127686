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
