"""The open-data files keep formula-like text as text (CSV: one apostrophe; XLSX: a text
cell) and hold numbers as numbers under a frozen, filterable header."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from evaluations.factories import draft_round, legacy_result, service
from seonggwa.core.xlsx import csv_text_value
from seonggwa.evaluations.interfaces.opendata import COLUMNS, to_csv, to_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    rnd = draft_round(2024)
    res = legacy_result(service("svc-o1", "=HYPERLINK(\"http://x\")"), rnd, "81.50")
    res.remark = "=사업비 50% 감액"
    res.contractor_name = "-2+3"
    res.save()
    return res


def test_open_data_csv_marks_formula_like_text_and_reads_back_exactly(published):
    rows = list(csv.DictReader(io.StringIO(to_csv().decode("utf-8-sig"))))
    [row] = rows
    assert row["remark"] == "'=사업비 50% 감액" and row["contractor"] == "'-2+3"
    assert row["service_name"].startswith("'=")
    assert row["score"] == "81.50"  # a number is written as it is
    assert csv_text_value(row["remark"]) == published.remark


def test_open_data_xlsx_holds_text_as_text_and_numbers_as_numbers(published):
    sheet = load_workbook(io.BytesIO(to_xlsx()))["results"]
    cell = {name: sheet.cell(2, i) for i, name in enumerate(COLUMNS, start=1)}
    assert (cell["remark"].value, cell["remark"].data_type) == ("=사업비 50% 감액", "s")
    assert cell["service_name"].data_type == "s"
    assert (cell["score"].value, cell["score"].data_type) == (81.5, "n")
    assert cell["score"].number_format == "0.00" and cell["year"].value == 2024
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:M2"
    assert sheet["A1"].font.b
