"""What a stored text, date or whole number may be: one rule for every entry point.

Every form, workbook import, command and domain function that takes a value from a
person checks it here, so a value that one door refuses no other door lets in, and every
database (SQLite and PostgreSQL) stores the same range:

- **Text** carries no control characters (U+0000–U+001F, U+007F): they break XLSX
  writers (openpyxl refuses them), CSV readers and terminals, and they mean nothing to an
  official (the characters themselves: :mod:`seonggwa.core.text`). A multi-line text (a text area: findings, reasons) may hold tab and line
  breaks; a single-line text (a name, a key, a cell) holds none.
- **Dates** lie between :data:`DATE_MIN` and :data:`DATE_MAX` (1990-01-01 to
  2100-12-31), the years the URLs accept (:mod:`seonggwa.core.converters`), so a date
  plus a contract term, a year in a link or a deadline count never overflows.
- **Whole numbers** lie between :data:`INT_MIN` and :data:`INT_MAX`, the range of a
  PostgreSQL ``integer`` column (SQLite would take 2^63 − 1 and refuse 2^63, PostgreSQL
  refuses 2^31: one range makes both databases answer the same).

The checks return the problem in words (or ``None``) so that imports can name the row and
column; :func:`check_text`, :func:`check_date` and :func:`check_int` raise Django's
``ValidationError`` for forms and model fields.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from seonggwa.core.converters import MAX_YEAR, MIN_YEAR
from seonggwa.core.text import control_characters

DATE_MIN = dt.date(MIN_YEAR, 1, 1)
DATE_MAX = dt.date(MAX_YEAR, 12, 31)
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why ``value`` cannot be stored as text, in words; ``None`` if it can."""
    found = control_characters(value, multiline=multiline)
    if not found:
        return None
    chars = ", ".join(found)
    if multiline:
        return _("제어 문자는 쓸 수 없습니다 (%(chars)s). 탭과 줄바꿈만 됩니다.") % {"chars": chars}
    return _("제어 문자나 줄바꿈은 쓸 수 없습니다 (%(chars)s).") % {"chars": chars}


def date_problem(value: dt.date | None) -> str | None:
    """Why ``value`` is outside the dates the system keeps; ``None`` if it is inside."""
    if value is None:
        return None
    day = value.date() if isinstance(value, dt.datetime) else value
    if DATE_MIN <= day <= DATE_MAX:
        return None
    return _("날짜는 %(first)s부터 %(last)s까지만 쓸 수 있습니다 (%(value)s).") % {
        "first": DATE_MIN.isoformat(), "last": DATE_MAX.isoformat(), "value": day.isoformat()}


def int_problem(value: int | None, *, minimum: int = INT_MIN,
                maximum: int = INT_MAX) -> str | None:
    """Why ``value`` is outside ``minimum``..``maximum`` (never wider than the stored
    range); ``None`` if it is inside."""
    if value is None:
        return None
    low, high = max(minimum, INT_MIN), min(maximum, INT_MAX)
    if low <= value <= high:
        return None
    return _("%(low)s부터 %(high)s까지의 정수만 쓸 수 있습니다.") % {
        "low": f"{low:,}", "high": f"{high:,}"}


def check_text(value: str, *, multiline: bool = False) -> None:
    problem = text_problem(value, multiline=multiline)
    if problem:
        raise ValidationError(problem, code="control_characters")


def check_multiline_text(value: str) -> None:
    """A validator for text areas (tab and line breaks allowed)."""
    check_text(value, multiline=True)


def check_date(value: dt.date | None) -> None:
    problem = date_problem(value)
    if problem:
        raise ValidationError(problem, code="date_out_of_range")


def check_int(value: int | None) -> None:
    problem = int_problem(value)
    if problem:
        raise ValidationError(problem, code="int_out_of_range")

