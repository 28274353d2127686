"""Text stored before the entry checks existed (or written past them, straight into the
database) never breaks an export: every XLSX the project writes replaces the control
characters a workbook cannot hold, while CSV and JSON keep the text as stored."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse
from evaluations.factories import contract, draft_round, legacy_result, service
from openpyxl import Workbook, load_workbook

from seonggwa.accounts.models import Profile, Role
from seonggwa.core import audit, xlsx
from seonggwa.evaluations.models import PublishedDataVersion, Result, Round, Status
from seonggwa.registry.models import Service

HOSTILE = "사무\x01이름\x1f끝\x7f"
SHOWN = "사무\ufffd이름\ufffd끝\ufffd"


def test_every_cell_written_replaces_what_a_workbook_cannot_hold():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    xlsx.header_row(ws, ["머리\x02", "b"])
    xlsx.append_row(ws, [HOSTILE, "=\x01수식", "줄\n바꿈\t탭", 3])
    sheet = load_workbook(io.BytesIO(xlsx.workbook_bytes(wb)))["s"]
    assert sheet["A1"].value == "머리\ufffd"
    assert [c.value for c in sheet[2]] == [SHOWN, "=\ufffd수식", "줄\n바꿈\t탭", 3]
    assert sheet["B2"].data_type == "s"


@pytest.fixture
def officer(client, django_user_model):
    user = django_user_model.objects.create_superuser("officer-hostile", password="pw")
    Profile.objects.create(user=user, role=Role.OFFICER)
    client.force_login(user)
    return client


@pytest.fixture
def hostile(db, settings, tmp_path):
    """A published result whose service name and remark, a contract's contractor and an
    audit record of its round hold control characters, written past every form."""
    import datetime as dt

    svc = service("svc-hostile", "사무")
    contract(svc, dt.date(2020, 1, 1), dt.date(2022, 12, 31), "기관")
    rnd = draft_round(2021)
    result = legacy_result(svc, rnd, "80")
    Service.objects.filter(pk=svc.pk).update(name=HOSTILE)
    Result.objects.filter(pk=result.pk).update(service_name=HOSTILE, remark=HOSTILE)
    Round.objects.filter(pk=rnd.pk).update(status=Status.PUBLISHED)
    PublishedDataVersion.bump()
    settings.VAR_DIR = tmp_path
    audit.record("test.hostile", rnd, after={"finding": HOSTILE}, reason=HOSTILE,
                 actor_label="raw")
    return rnd


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _texts(data: bytes) -> list:
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return [v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row]


@pytest.mark.django_db
def test_every_export_of_stored_hostile_text_answers_a_readable_workbook(hostile, officer):
    urls = ["/open-data/results.xlsx", reverse("office:xlsx_export", args=[2021]),
            reverse("office:registry_export"),
            reverse("office:submissions_history_export", args=[hostile.pk, "xlsx"])]
    for url in urls:
        response = officer.get(url)
        assert response.status_code == 200, url
        cells = " ".join(str(v) for v in _texts(_body(response)) if v is not None)
        assert SHOWN in cells, url
        assert "\x01" not in cells and "\x7f" not in cells, url


@pytest.mark.django_db
def test_csv_and_json_open_data_keep_the_stored_text(hostile, client):
    rows = list(csv.DictReader(io.StringIO(
        _body(client.get("/open-data/results.csv")).decode("utf-8-sig"))))
    assert rows[0]["service_name"] == HOSTILE and rows[0]["remark"] == HOSTILE
    doc = json.loads(_body(client.get("/open-data/results.json")))
    assert doc["rows"][0]["remark"] == HOSTILE
