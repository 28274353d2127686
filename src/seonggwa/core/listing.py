"""Sorting and paging of server-rendered tables, shared by the public and office pages.

A table declares the columns it can be sorted by (``?sort=score`` ascending,
``?sort=-score`` descending); anything else in the query string is ignored, so a URL
can never order by an arbitrary field.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404

PAGE_SIZE = 50


@dataclass(frozen=True)
class Sort:
    key: str  # the public name in the URL
    descending: bool
    fields: tuple[str, ...]  # ORM order_by fields for ascending order

    @property
    def param(self) -> str:
        return f"-{self.key}" if self.descending else self.key

    def order_by(self) -> list[str]:
        if not self.descending:
            return list(self.fields)
        return [f[1:] if f.startswith("-") else f"-{f}" for f in self.fields]


class Sorter:
    """``Sorter({"score": ("score", "id")}, default="-score")``."""

    def __init__(self, columns: dict[str, tuple[str, ...]], default: str, tiebreak=("pk",)):
        self.columns = columns
        self.default = default
        self.tiebreak = tuple(tiebreak)

    def parse(self, value: str | None) -> Sort:
        value = (value or "").strip()
        for candidate in (value, self.default):
            key = candidate.lstrip("-")
            if key in self.columns:
                return Sort(key, candidate.startswith("-"), self.columns[key])
        raise ValueError(f"default sort {self.default!r} is not a column")

    def apply(self, queryset, sort: Sort):
        return queryset.order_by(*sort.order_by(), *self.tiebreak)


def paginate(request, object_list, per_page: int = PAGE_SIZE) -> Page:
    """The requested page (``?page=``, the first page when absent or empty).

    A page that does not exist is 404, like any other address that names nothing:
    ``?page=abc``, ``?page=0``, ``?page=-1``, ``?page=1.5``, a page beyond the last one and
    a number too long to be one (more than 9 digits) alike. The first page of an empty
    list exists (it says there is nothing).
    """
    number = request.GET.get("page", "").strip() or "1"
    if not (number.isascii() and number.isdigit() and len(number) <= 9):
        raise Http404("no such page")
    try:
        return Paginator(object_list, per_page).page(int(number))
    except InvalidPage:
        raise Http404("no such page") from None
