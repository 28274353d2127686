"""Reading and writing XLSX cells the same way in every workbook interface
(:mod:`seonggwa.evaluations.interfaces.xlsx`, :mod:`seonggwa.registry.interfaces.xlsx`,
:mod:`seonggwa.evaluations.interfaces.opendata`).

Only the cell-level mechanics live here; each interface keeps its own columns, error
types and messages.
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font


def open_workbook(data: bytes):
    """A read-only workbook of cached values; raises whatever openpyxl raises for a file
    that is not a readable XLSX (callers turn that into their refusal)."""
    return load_workbook(io.BytesIO(data), read_only=True, data_only=True)


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def bold_header(ws) -> None:
    """Bold the first row of ``ws``."""
    for cell in ws[1]:
        cell.font = Font(bold=True)


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
