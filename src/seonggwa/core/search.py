"""Search that ignores spacing, the same on every page (public and office).

Korean names are written with and without spaces ("서울시 청소년" / "서울시청소년"), so a
search removes the whitespace from the query and compares it with the field's text with
its spaces removed in the database (``REPLACE``, on SQLite and PostgreSQL alike), case
ignored.
"""

from __future__ import annotations

import re

from django.db.models import F, Q, QuerySet, TextField, Value
from django.db.models.functions import Replace


def search_key(text: str) -> str:
    """What a search compares: the text without any whitespace."""
    return re.sub(r"\s+", "", text or "")


def unspaced(field: str):
    """``field`` without spaces, computed in the database."""
    return Replace(F(field), Value(" "), Value(""), output_field=TextField())


def matching(queryset: QuerySet, q: str, fields: tuple[str, ...]) -> tuple[QuerySet, Q]:
    """``queryset`` annotated with the unspaced ``fields``, and the condition "any of them
    contains ``q``" — for callers that combine it with other conditions. An empty query
    matches everything."""
    key = search_key(q)
    if not key:
        return queryset, Q()
    names = {f: f"_q_{i}" for i, f in enumerate(fields)}
    queryset = queryset.annotate(**{alias: unspaced(f) for f, alias in names.items()})
    match = Q(pk__in=[])
    for alias in names.values():
        match |= Q(**{f"{alias}__icontains": key})
    return queryset, match


def search(queryset: QuerySet, q: str, fields: tuple[str, ...]) -> QuerySet:
    """Rows where any of ``fields`` contains ``q``, ignoring spacing on both sides and
    case."""
    queryset, match = matching(queryset, q, fields)
    return queryset.filter(match)
