"""Reading and writing spreadsheet cells the same way in every workbook and CSV the
project writes or reads (:mod:`seonggwa.evaluations.interfaces.xlsx`,
:mod:`seonggwa.registry.interfaces.xlsx`, :mod:`seonggwa.evaluations.interfaces.opendata`,
:mod:`seonggwa.cli`).

Only the cell-level mechanics live here; each interface keeps its own columns, error
types and messages.

Writing (decided in docs/decisions.md, "Spreadsheet formula injection"):

- a control character a workbook cannot hold (U+0000–U+001F but tab and line breaks,
  U+007F) is written as U+FFFD, so whatever is stored exports (:func:`xlsx_cell`);
- text is always stored as text: an XLSX cell holding a string gets ``data_type 's'`` (and
  a quote prefix when it starts with ``= + - @``, tab or CR, so Excel keeps it text even
  when the cell is edited), never a formula; numbers stay numbers;
- in CSV, a text value that starts with ``= + - @``, tab, CR or an apostrophe gets one
  leading apostrophe (OWASP); numbers (``-3.5``) are left alone. :func:`csv_text_value`
  removes exactly that apostrophe again, so export → import returns the exact text;
- every header row is bold, frozen and has an autofilter (:func:`finish_sheet`);
- one consortium separator, :data:`CONSORTIUM_SEPARATOR`, joins member organisations in
  every export.

Reading is bounded (:func:`open_workbook`, :func:`bounded_rows`): before anything is
parsed, the archive's uncompressed size is checked and every worksheet is scanned while
it is decompressed in chunks (rows beyond :func:`max_data_rows` or values beyond
:data:`MAX_COLUMNS` refuse the file); then python-calamine reads the cells (openpyxl's
reader is about forty times slower), and only the first :data:`MAX_ERRORS_SHOWN` errors
are shown.

This module never needs Django's settings at import time: the ``seonggwa`` CLI (a pure
engine tool) uses the writing half, which replaces control characters by the pure rule of
:mod:`seonggwa.core.text`. The reading half translates its messages with Django.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from seonggwa.core.text import CONTROL, printable

# ----------------------------------------------------------------------------- writing

#: How every export joins the members of a consortium (as Seoul writes them).
CONSORTIUM_SEPARATOR = "·"
#: What a spreadsheet program may read as the start of a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: The mark a CSV export puts before such text (and before text starting with itself).
CSV_TEXT_MARK = "'"


def _is_number_text(text: str) -> bool:
    try:
        return Decimal(text.strip()).is_finite() and text == text.strip()
    except InvalidOperation:
        return False


def formula_like(value) -> bool:
    """Text a spreadsheet program would read as a formula (``=1+1``, ``-2+3``, ``@SUM``),
    but not a plain number such as ``-3.5``."""
    return (isinstance(value, str) and value[:1] in FORMULA_TRIGGERS
            and not _is_number_text(value))


def csv_cell(value):
    """A value for a CSV export: formula-like text (and text that starts with the mark
    itself) gets one leading apostrophe; anything else is unchanged."""
    if isinstance(value, str) and (formula_like(value) or value.startswith(CSV_TEXT_MARK)):
        return CSV_TEXT_MARK + value
    return value


def csv_text_value(text: str) -> str:
    """The text a CSV export wrote with :func:`csv_cell`: one leading apostrophe removed
    (as Excel does when the apostrophe is typed)."""
    return text[1:] if text.startswith(CSV_TEXT_MARK) else text


def csv_row(values: Iterable) -> list:
    return [csv_cell(v) for v in values]


def xlsx_cell(ws, value, number_format: str | None = None):
    """``value`` for ``ws.append``: text as a text cell (never a formula) with every
    control character a workbook cannot carry replaced (:func:`~seonggwa.core.text.printable`:
    text stored before the entry checks still exports), numbers as numbers (with
    ``number_format``), anything else as it is. Every cell of every workbook the project
    writes goes through here (:func:`append_row`, :func:`header_row`)."""
    if isinstance(value, str):
        value = printable(value)
        if value[:1] not in FORMULA_TRIGGERS and value not in ERROR_CODES:
            return value  # plain text: openpyxl stores it as text as it is (and faster)
        cell = WriteOnlyCell(ws, value)
        cell.data_type = "s"
        if value[:1] in FORMULA_TRIGGERS:
            cell.quotePrefix = True
        return cell
    if number_format and isinstance(value, (int, float, Decimal, dt.date)) \
            and not isinstance(value, bool):
        cell = WriteOnlyCell(ws, value)
        cell.number_format = number_format
        return cell
    return value


def append_row(ws, values: Sequence, formats: Sequence[str | None] | None = None) -> None:
    """Append one row to ``ws`` (normal or write-only) with every text stored as text;
    ``formats`` gives each column's number format (or ``None``)."""
    formats = formats or ()
    ws.append([xlsx_cell(ws, v, formats[i] if i < len(formats) else None)
               for i, v in enumerate(values)])


def header_row(ws, names: Sequence[str]) -> None:
    """The bold header row (row 1), frozen below it; call before any data row (write-only
    worksheets need the frozen pane first)."""
    ws.freeze_panes = "A2"
    cells = []
    for name in names:
        cell = WriteOnlyCell(ws, printable(str(name)))
        cell.data_type = "s"
        cell.font = Font(bold=True)
        cells.append(cell)
    ws.append(cells)


def finish_sheet(ws, columns: int, rows: int) -> None:
    """An autofilter over the header and ``rows`` data rows (after the last row)."""
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{rows + 1}"


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def bold_header(ws) -> None:
    """Bold the first row of ``ws``."""
    for cell in ws[1]:
        cell.font = Font(bold=True)


# ----------------------------------------------------------------------------- reading

#: Data rows an import reads at most (``SEONGGWA_IMPORT_MAX_ROWS`` overrides).
MAX_DATA_ROWS = 20_000
#: Uncompressed size of every part of an uploaded XLSX together
#: (``SEONGGWA_IMPORT_MAX_UNCOMPRESSED_BYTES`` overrides).
MAX_UNCOMPRESSED_BYTES = 40 * 1024 * 1024
#: Columns read per row; anything to the right is ignored.
MAX_COLUMNS = 64
#: Characters in one cell (Excel's own limit).
MAX_CELL_CHARS = 32_767
#: Errors listed on a refusal page; the rest are counted.
MAX_ERRORS_SHOWN = 50


def _setting(name: str, default: int) -> int:
    try:
        from django.conf import settings

        return int(getattr(settings, name, default))
    except Exception:  # settings not configured (pure tools)
        return default


def max_data_rows() -> int:
    return _setting("SEONGGWA_IMPORT_MAX_ROWS", MAX_DATA_ROWS)


def max_uncompressed_bytes() -> int:
    return _setting("SEONGGWA_IMPORT_MAX_UNCOMPRESSED_BYTES", MAX_UNCOMPRESSED_BYTES)


class WorkbookRefused(Exception):
    """The file as a whole cannot be read: ``message`` says why, in the user's language."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}"


_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\s[^>]*?\br=\"(\d{1,9})\"")
_VALUE_CELL = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{1,3})(\d{1,9})\"[^>]*(?<!/)>")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _scan_sheet(stream, max_rows: int) -> None:
    """Count the rows of a worksheet part while it is decompressed in chunks (constant
    memory): refuse more than ``max_rows`` rows, a row numbered beyond them, or a value
    right of :data:`MAX_COLUMNS` — the reader builds a dense grid up to the last cell."""
    from django.utils.translation import gettext as _

    rows = 0

    def scan(text: bytes) -> None:
        nonlocal rows
        rows += len(_ROW.findall(text))
        numbers = [int(m) for m in _ROW_NUMBER.findall(text)]
        cells = _VALUE_CELL.findall(text)
        if cells:
            numbers.append(max(int(r) for _c, r in cells))
            widest = max(_column_number(c) for c, _r in cells)
            if widest > MAX_COLUMNS:
                raise WorkbookRefused(_("값이 있는 열이 너무 많습니다 (%(n)s번째 열, 최대 "
                                        "%(max)s열). 양식의 열만 남겨 올리십시오.")
                                      % {"n": widest, "max": MAX_COLUMNS})
        if rows > max_rows or (numbers and max(numbers) > max_rows):
            raise WorkbookRefused(_("행이 너무 많습니다 (최대 %(max)s행). 파일을 나누어 "
                                    "올리십시오.") % {"max": f"{max_rows - 1:,}"})

    tail = b""
    while chunk := stream.read(1 << 16):
        text = tail + chunk
        # a tag split across chunks is matched with the next chunk: cut after a '>'
        cut = text.rfind(b">") + 1
        scan(text[:cut])
        tail = text[cut:]
        if len(tail) > 1 << 20:  # no '>' in a megabyte: not a worksheet anyone wrote
            raise WorkbookRefused(_("XLSX 파일이 손상되었습니다."))
    scan(tail)


def check_archive(data: bytes, *, max_rows: int | None = None) -> None:
    """Refuse, before anything is parsed: a file that is not an XLSX archive, one that
    would unpack to more than :func:`max_uncompressed_bytes` (a "zip bomb"), and a
    worksheet with more than ``max_rows`` data rows (default :func:`max_data_rows`)
    or values beyond :data:`MAX_COLUMNS` columns."""
    from django.utils.translation import gettext as _

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise WorkbookRefused(_("XLSX 파일이 아닙니다 (엑셀에서 'Excel 통합 문서(*.xlsx)'로 "
                                "저장해 올리십시오).")) from None
    with archive:
        infos = archive.infolist()
        total = sum(i.file_size for i in infos)
        limit = max_uncompressed_bytes()
        if total > limit:
            raise WorkbookRefused(_("파일의 압축을 풀면 %(size)s MB로 너무 큽니다 (최대 "
                                    "%(max)s MB). 파일을 나누어 올리십시오.")
                                  % {"size": _mb(total), "max": _mb(limit)})
        rows = (max_data_rows() if max_rows is None else max_rows) + 1  # with the header
        for info in infos:
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                try:
                    with archive.open(info) as stream:
                        _scan_sheet(stream, rows)
                except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
                    raise WorkbookRefused(_("XLSX 파일이 손상되었습니다.")) from None


class Sheets:
    """The worksheets of an uploaded XLSX, read with python-calamine (cached values;
    about forty times faster than openpyxl and outside the Python heap)."""

    def __init__(self, book):
        self._book = book
        self.sheetnames = [m.name for m in book.sheets_metadata
                           if str(m.typ).endswith("WorkSheet")]

    def rows(self, name: str) -> Iterator[tuple]:
        """The rows of sheet ``name`` as tuples, empty cells as ``None``, at most
        :data:`MAX_COLUMNS` cells."""
        for row in self._book.get_sheet_by_name(name).iter_rows():
            yield tuple(None if v == "" else v for v in row[:MAX_COLUMNS])

    def close(self) -> None:
        self._book.close()


def open_workbook(data: bytes, *, max_rows: int | None = None) -> Sheets:
    """The sheets of an uploaded XLSX after :func:`check_archive`. Raises
    :class:`WorkbookRefused` for a file that is not a readable XLSX or is too large."""
    from django.utils.translation import gettext as _
    from python_calamine import CalamineWorkbook

    check_archive(data, max_rows=max_rows)
    try:
        return Sheets(CalamineWorkbook.from_filelike(io.BytesIO(data)))
    except Exception as exc:
        raise WorkbookRefused(_("XLSX 파일을 읽을 수 없습니다: %(error)s")
                              % {"error": excerpt(str(exc) or exc.__class__.__name__)}) \
            from None


def bounded_rows(rows: Iterable[tuple], *, max_rows: int | None = None) -> Iterator[tuple]:
    """``rows`` (header first) passed on one at a time; raises :class:`WorkbookRefused`
    on the row after ``max_rows`` data rows (default :func:`max_data_rows`)."""
    from django.utils.translation import gettext as _

    limit = max_data_rows() if max_rows is None else max_rows
    for n, values in enumerate(rows, start=1):
        if n - 1 > limit:
            raise WorkbookRefused(_("행이 너무 많습니다 (최대 %(max)s행). 파일을 나누어 "
                                    "올리십시오.") % {"max": f"{limit:,}"})
        yield values


def shown_errors(errors: Sequence) -> tuple[list, int]:
    """The errors to list (the first :data:`MAX_ERRORS_SHOWN`) and how many more there
    are."""
    return list(errors[:MAX_ERRORS_SHOWN]), max(0, len(errors) - MAX_ERRORS_SHOWN)


def excerpt(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters for an error message."""
    text = str(text).replace("\x00", "\\0")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cell_text(value) -> str:
    """A cell as stripped text: ``None`` → ``""``, ``2018.0`` → ``"2018"``, a datetime →
    its date."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return str(value).strip()


def cell_date(value) -> dt.date:
    """A date cell (a date, a datetime or ``YYYY-MM-DD`` text); ``ValueError`` otherwise.
    Empty cells are the caller's to decide."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(cell_text(value))


def read_header(rows) -> list[str]:
    """The header row of a ``values_only`` row iterator (advanced past it), as text,
    without trailing empty cells."""
    header = [cell_text(h) for h in next(rows, ())]
    while header and not header[-1]:
        header.pop()
    return header


def cell_problem(value) -> str | None:
    """What makes a raw cell unacceptable whatever its column (a NUL or other control
    character — :func:`seonggwa.core.bounds.text_problem`, tab and line breaks allowed —,
    more than :data:`MAX_CELL_CHARS` characters, a number that is not finite), or
    ``None``."""
    if isinstance(value, str):
        if (len(value) <= MAX_CELL_CHARS and CONTROL.search(value) is None):
            return None
    elif not isinstance(value, float) or math.isfinite(value):
        return None
    from django.utils.translation import gettext as _

    if isinstance(value, str):
        if "\x00" in value:
            return _("허용되지 않는 문자(NUL)가 들어 있습니다.")
        from seonggwa.core.bounds import text_problem  # Django's words: the reading half

        problem = text_problem(value, multiline=True)
        if problem:
            return problem
        if len(value) > MAX_CELL_CHARS:
            return _("한 칸에 %(max)s자를 넘게 적을 수 없습니다 (%(n)s자).") % {
                "max": f"{MAX_CELL_CHARS:,}", "n": f"{len(value):,}"}
    if isinstance(value, float) and not math.isfinite(value):
        return _("숫자가 아닙니다: %(text)s") % {"text": value}
    return None


@functools.cache
def _field_validators(model, field_name: str) -> tuple:
    """The validators of a model field and the portable integer range of its type (SQLite
    would store what PostgreSQL refuses), computed once per field."""
    from django.core.validators import MaxValueValidator, MinValueValidator
    from django.db.backends.base.operations import BaseDatabaseOperations

    field = model._meta.get_field(field_name)
    extra = []
    low, high = BaseDatabaseOperations.integer_field_ranges.get(field.get_internal_type(),
                                                                (None, None))
    if low is not None:
        extra.append(MinValueValidator(low))
    if high is not None:
        extra.append(MaxValueValidator(high))
    return tuple(extra) + tuple(field.validators)


def field_problems(model, field_name: str, value) -> list[str]:
    """Why ``value`` cannot be stored in ``model.field_name``: the NUL check, the field's
    ``max_length`` and every validator of the model field (as ``field.run_validators``
    runs them: integer ranges, decimal digits, key patterns). Empty values are the
    caller's to decide."""
    from django.core.exceptions import ValidationError

    if value is None or value == "":
        return []
    problem = cell_problem(value)
    if problem:
        return [problem]
    messages: list[str] = []
    for validator in _field_validators(model, field_name):
        if isinstance(value, str) and validator.__class__.__name__.endswith("ValueValidator"):
            continue  # a range applies to numbers
        try:
            validator(value)
        except ValidationError as exc:
            messages.extend(m for m in exc.messages if m not in messages)
    return messages
