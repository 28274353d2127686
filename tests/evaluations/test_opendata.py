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


def _published_results(n: int, *, start: int = 0, year: int = 2024):
    rnd = draft_round(year)
    for i in range(start, start + n):
        workflow.record_result(service=service(f"svc-od-{i}"), round=rnd, score=f"{50 + i % 50}.25",
                               contractor_name="기관")
    workflow.finalise_round(rnd)
    workflow.publish_round(rnd)


@pytest.mark.parametrize("serialise", [opendata.to_csv, opendata.to_json, opendata.to_xlsx,
                                       opendata.open_data_rows])
def test_open_data_takes_a_constant_number_of_queries(seoul, serialise,
                                                      django_assert_max_num_queries):
    """Two queries (rows + institutions) whether there are 133 rows or 173 — no
    per-row queries."""
    with django_assert_max_num_queries(3):  # rows, institutions, decision labels
        small = serialise()
    _published_results(40)
    with django_assert_max_num_queries(3):  # rows, institutions, decision labels
        big = serialise()
    assert len(big) > len(small)


def test_csv_streams_in_chunks_with_the_same_bytes(seoul):
    _published_results(30, year=2024)
    chunks = list(opendata.iter_csv(rows_per_chunk=50))
    assert len(chunks) >= 3  # header, then row chunks
    assert chunks[0].startswith("\ufeff".encode()) and chunks[0].endswith(b"\r\n")
    data = b"".join(chunks)
    assert data == opendata.to_csv()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 163
    last = rows[-1]
    assert last["year"] == "2024" and last["round"] == "1" and last["institution"] == ""
    assert last["score"] == "79.25" and last["decision"] == "eligible"
