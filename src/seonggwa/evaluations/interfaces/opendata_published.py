"""Open data of what was published WITHOUT per-service scores: the summary figures of
every year and round, and the per-service narratives (2022 3rd round, 2023 2nd round:
scope, key achievements, improvement tasks).

Two datasets beside the results (:mod:`seonggwa.evaluations.interfaces.opendata`), each
in CSV (UTF-8 with BOM), XLSX and JSON, written with the same formula-safe writers
(:mod:`seonggwa.core.xlsx`). Only published rounds are serialised. Figures are strings
at the precision they were printed with ("43", "-6.3", "75.99"); the raw provenance
(seed file name) stays here, next to the readable document title.

Columns are stable: :data:`SUMMARY_COLUMNS`, :data:`NARRATIVE_COLUMNS`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable

from django.db.models import Q
from openpyxl import Workbook

from seonggwa.core.formatting import format_score
from seonggwa.core.xlsx import append_row, csv_row, finish_sheet, header_row, workbook_bytes
from seonggwa.evaluations.domain.statistics import published_precision
from seonggwa.evaluations.models import ItemKind, Narrative, PublishedSummary, Status

SUMMARY_COLUMNS = (
    "year", "round", "evaluated", "subjects_total", "average", "threshold",
    "below_count", "below_share", "previous_average", "change_vs_previous",
    "multi_year_period", "multi_year_average", "change_vs_multi_year",
    "scores_published", "institution", "source_document", "source_file",
)

NARRATIVE_COLUMNS = (
    "year", "round", "order", "service_key", "service_name", "kind", "kind_label",
    "item_order", "text", "follow_up_status", "source_document", "source_file",
)

KIND_SCOPE = "scope"


def _figure(value, decimals: int) -> str | None:
    return None if value is None else format_score(value, decimals).replace(",", "")


def summary_rows() -> list[dict]:
    """Published summary figures, a year's (round empty) before its rounds', oldest
    first."""
    qs = (PublishedSummary.objects.select_related("year", "round")
          .prefetch_related("year__institutions", "round__institutions")
          .filter(Q(round__status=Status.PUBLISHED)
                  | Q(round__isnull=True, year__rounds__status=Status.PUBLISHED))
          .distinct())
    summaries = sorted(qs, key=lambda s: (s.year.year, s.round_id is not None,
                                          s.round.number or 0 if s.round_id else 0))
    rows = []
    for s in summaries:
        decimals = dict(published_precision(s))
        owner = s.round if s.round_id else s.year
        institutions = ", ".join(o.name for o in owner.institutions.all())
        rows.append({
            "year": s.year.year,
            "round": s.round.number if s.round_id else None,
            "evaluated": s.evaluated_count,
            "subjects_total": s.subjects_total,
            "average": _figure(s.average, decimals.get("average", 2)),
            "threshold": _figure(s.threshold, 0),
            "below_count": s.below_count,
            "below_share": _figure(s.below_share, decimals.get("below_share", 1)),
            "previous_average": _figure(s.previous_average,
                                        decimals.get("previous_average", 2)),
            "change_vs_previous": _figure(s.change_vs_previous,
                                          decimals.get("change_vs_previous", 2)),
            "multi_year_period": s.multi_year_label,
            "multi_year_average": _figure(s.multi_year_average,
                                          decimals.get("multi_year_average", 2)),
            "change_vs_multi_year": _figure(s.change_vs_multi_year,
                                            decimals.get("change_vs_multi_year", 2)),
            "scores_published": not s.published_only,
            "institution": institutions,
            "source_document": s.source_document,
            "source_file": s.source,
        })
    return rows


def narrative_rows() -> list[dict]:
    """Every published narrative as rows: its scope (kind ``scope``), then each key
    achievement and improvement task, in the order printed."""
    narratives = (Narrative.objects.filter(round__status=Status.PUBLISHED)
                  .select_related("service", "round", "round__year", "round__summary")
                  .prefetch_related("items")
                  .order_by("round__year__year", "round__number", "order", "pk"))
    labels = dict(ItemKind.choices)
    rows = []
    for n in narratives:
        summary = getattr(n.round, "summary", None)
        source = summary.source if summary is not None else ""
        document = summary.source_document if summary is not None else ""
        base = {
            "year": n.round.year.year, "round": n.round.number, "order": n.order,
            "service_key": n.service.key, "service_name": n.service_name,
            "source_document": document, "source_file": source,
        }
        if n.scope:
            rows.append({**base, "kind": KIND_SCOPE, "kind_label": "사업내용",
                         "item_order": 0, "text": n.scope, "follow_up_status": ""})
        items = sorted(n.items.all(), key=lambda i: (i.kind != ItemKind.ACHIEVEMENT,
                                                     i.order))
        for i in items:
            rows.append({**base, "kind": i.kind, "kind_label": str(labels[i.kind]),
                         "item_order": i.order, "text": i.text,
                         "follow_up_status": i.follow_up_status})
    return rows


# --- writers (the formula-safe cells of seonggwa.core.xlsx) -----------------------------


def to_csv(rows: Iterable[dict], columns: tuple[str, ...]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(csv_row("" if row[c] is None else row[c] for c in columns))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(rows: Iterable[dict], columns: tuple[str, ...], sheet: str) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    header_row(ws, columns)
    count = 0
    for row in rows:
        append_row(ws, [row[c] for c in columns])
        count += 1
    finish_sheet(ws, len(columns), count)
    return workbook_bytes(wb)


def to_json(rows: list[dict], columns: tuple[str, ...]) -> bytes:
    doc = {"columns": list(columns), "count": len(rows), "rows": rows}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


DATASETS: dict[str, tuple[Callable[[], list[dict]], tuple[str, ...]]] = {
    "summaries": (summary_rows, SUMMARY_COLUMNS),
    "narratives": (narrative_rows, NARRATIVE_COLUMNS),
}


def serialise(dataset: str, fmt: str) -> bytes:
    """The bytes of ``dataset`` ("summaries" or "narratives") as ``fmt`` (csv, xlsx,
    json)."""
    rows_of, columns = DATASETS[dataset]
    rows = rows_of()
    if fmt == "csv":
        return to_csv(rows, columns)
    if fmt == "xlsx":
        return to_xlsx(rows, columns, dataset)
    if fmt == "json":
        return to_json(rows, columns)
    raise ValueError(f"unknown format {fmt!r}")
