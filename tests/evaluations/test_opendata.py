import csv
import io
import json

import pytest
from openpyxl import load_workbook

from evaluations.factories import draft_round, service
from seonggwa.evaluations.domain import workflow
from seonggwa.evaluations.interfaces import opendata

pytestmark = pytest.mark.django_db


def test_only_published_results_in_stable_columns(seoul):
    workflow.record_result(service=service("svc-draft"), round=draft_round(2024), score="50")
    data = opendata.to_csv()
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 133
    assert list(rows[0]) == list(opendata.COLUMNS)
    first = rows[0]
    assert first["year"] == "2018" and first["score"] == "82.83"
    assert first["institution"] == "(주)한국능률협회컨설팅, (주)한국소비자평가연구원"
    assert sum(r["decision"] == "exclude" for r in rows) == 5

    doc = json.loads(opendata.to_json())
    assert doc["count"] == 133 and doc["columns"] == list(opendata.COLUMNS)
    ws = load_workbook(io.BytesIO(opendata.to_xlsx()))["results"]
    assert ws.max_row == 134
