"""URL path converters: a key, a year or an id that cannot be a record's is refused by the
URL resolver (404) before any view or query sees it.

- ``<key:key>``: a record key (:mod:`seonggwa.core.identifiers`): no ``/``, NUL, white
  space or control character, at most 120 characters.
- ``<year:year>``: four digits between :data:`MIN_YEAR` and :data:`MAX_YEAR`, so a year
  such as ``0`` or ``99999999999999999999`` never reaches a date computation or an
  integer column (PostgreSQL would refuse it with an error, a 500).
- ``<id:pk>``: a database id, 1 to 18 digits (a ``bigint`` holds 19), so an id cannot
  overflow the column on any database.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import register_converter

from seonggwa.core.identifiers import KEY_REGEX

MIN_YEAR, MAX_YEAR = 1990, 2100


class KeyConverter:
    regex = KEY_REGEX

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


class YearConverter:
    regex = r"[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(f"year {year} out of range")  # the resolver answers 404
        return year

    def to_url(self, value) -> str:
        year = int(value)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(f"year {year} out of range")  # NoReverseMatch
        return str(year)


class IdConverter:
    regex = r"[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


# Registered once, when a URL conf first imports this module.
register_converter(KeyConverter, "key")
register_converter(YearConverter, "year")
register_converter(IdConverter, "id")


def year_or_404(value) -> int | None:
    """A year from a query parameter: ``None`` when absent or empty, else an int in range;
    anything else (``abc``, ``-1``, ``10**30``) raises ``Http404``."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not (len(text) == 4 and text.isascii() and text.isdigit()):
        raise Http404("invalid year")
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404("year out of range")
    return year
