"""The shared spreadsheet mechanics (seonggwa.core.xlsx): text never becomes a formula,
the CSV mark comes off exactly as it went on, and hostile uploads are refused in bounded
memory before they are parsed."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from xlsx_files import sheet_xlsx

from seonggwa.core import xlsx


@given(st.text())
def test_the_csv_mark_comes_off_exactly_as_it_went_on(text):
    assert xlsx.csv_text_value(xlsx.csv_cell(text)) == text


@pytest.mark.parametrize("text", ["=1+1", "+재계약", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
                                  "'인용", "=사업비 50% 감액"])
def test_formula_like_csv_text_gets_one_apostrophe(text):
    assert xlsx.csv_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["-3.5", "+1", "81.50", "재계약 배제", "", 12, None])
def test_numbers_and_plain_text_are_written_to_csv_as_they_are(value):
    assert xlsx.csv_cell(value) == value


def test_xlsx_text_is_a_text_cell_and_numbers_stay_numbers():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    xlsx.header_row(ws, ["text", "number", "date"])
    xlsx.append_row(ws, ["=사업비 50% 감액", 81.5, None], [None, "0.00", None])
    xlsx.append_row(ws, ["-2+3", -3, "@x"])
    xlsx.finish_sheet(ws, 3, 2)
    data = xlsx.workbook_bytes(wb)
    sheet = load_workbook(io.BytesIO(data))["s"]
    assert [(c.value, c.data_type) for c in sheet[2]][:2] == [("=사업비 50% 감액", "s"),
                                                              (81.5, "n")]
    assert sheet["A2"].quotePrefix and sheet["B2"].number_format == "0.00"
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C3"
    cached = load_workbook(io.BytesIO(data), read_only=True, data_only=True)["s"]
    assert list(cached.iter_rows(values_only=True))[1:] == [
        ("=사업비 50% 감액", 81.5), ("-2+3", -3, "@x")]


def test_not_a_workbook_and_a_zip_bomb_are_refused_before_parsing(settings):
    with pytest.raises(xlsx.WorkbookRefused, match="XLSX 파일이 아닙니다"):
        xlsx.check_archive(b"PK\x03\x04 not really")
    settings.SEONGGWA_IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (2 * 1024 * 1024))
    assert len(buf.getvalue()) < 16 * 1024
    with pytest.raises(xlsx.WorkbookRefused, match="압축을 풀면 2.0 MB"):
        xlsx.check_archive(buf.getvalue())


def test_a_16_kb_workbook_of_100k_rows_is_refused_fast_in_little_memory(db):
    data = sheet_xlsx(["year", "score"], [[2024, 1]], repeat=100_000)
    assert len(data) < 16 * 1024
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(xlsx.WorkbookRefused, match="행이 너무 많습니다"):
            xlsx.open_workbook(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024
    assert time.perf_counter() - started < 30  # a generous bound on a loaded machine


@pytest.mark.parametrize("xml_row", [
    '<row r="1048576"><c r="A1048576"><v>1</v></c></row>',  # one cell far down
    '<row r="2"><c r="XFD2"><v>1</v></c></row>',              # one cell far right
])
def test_a_sheet_that_spans_far_beyond_its_cells_is_refused(db, xml_row):
    data = sheet_xlsx(["year"], [])
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            content = src.read(info)
            if info.filename.endswith("sheet1.xml"):
                content = content.replace(b"</sheetData>", xml_row.encode() + b"</sheetData>")
            out.writestr(info, content)
    with pytest.raises(xlsx.WorkbookRefused):
        xlsx.open_workbook(buf.getvalue())


def test_rows_are_read_up_to_the_limit_and_refused_beyond_it(db):
    data = sheet_xlsx(["a"], [["x"]], repeat=5)
    book = xlsx.open_workbook(data, max_rows=5)
    assert list(book.rows("results")) == [("a",)] + [("x",)] * 5
    with pytest.raises(xlsx.WorkbookRefused, match="최대 4행"):
        list(xlsx.bounded_rows(book.rows("results"), max_rows=4))
    with pytest.raises(xlsx.WorkbookRefused):
        xlsx.open_workbook(data, max_rows=4)


def test_field_problems_use_the_model_fields_and_refuse_nul(db):
    from seonggwa.evaluations.models import Result, Round
    from seonggwa.registry.models import OperatingFigure

    assert xlsx.field_problems(Result, "remark", "가" * 300) == []
    assert "300" in xlsx.field_problems(Result, "remark", "가" * 301)[0]
    assert "NUL" in xlsx.field_problems(Result, "remark", "a\x00b")[0]
    assert xlsx.field_problems(Round, "number", 70_000)  # beyond a small integer anywhere
    assert xlsx.field_problems(Result, "seq", -1)
    assert xlsx.field_problems(OperatingFigure, "value", __import__("decimal").Decimal("1e30"))
    assert xlsx.field_problems(Result, "remark", "") == []


def test_only_the_first_errors_are_shown():
    shown, more = xlsx.shown_errors(list(range(120)))
    assert shown == list(range(xlsx.MAX_ERRORS_SHOWN)) and more == 120 - xlsx.MAX_ERRORS_SHOWN
