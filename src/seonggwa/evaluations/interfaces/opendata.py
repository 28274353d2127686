"""Open-data serialisation of PUBLISHED results for the public portal.

Stable columns (:data:`COLUMNS`, documented in docs/outsourcing.md); only results whose
status is *published* are ever serialised, whatever queryset is passed in. Scores are
written with exactly 2 decimals as strings in CSV/JSON (no float artefacts).

- :func:`to_csv` → UTF-8 with BOM (opens correctly in Korean Excel), comma separated;
- :func:`to_xlsx` → one sheet ``results``;
- :func:`to_json` → ``{"columns": [...], "rows": [{...}], "count": n}``, UTF-8.
"""

from __future__ import annotations

import csv
import io
import json

from openpyxl import Workbook

from seonggwa.evaluations.models import Result

COLUMNS = (
    "year", "round", "seq", "service_key", "service_name", "department", "contractor",
    "score", "decision", "decision_label", "threshold_policy", "remark", "institution",
)


def open_data_rows(results=None) -> list[dict]:
    """Published results as dicts with :data:`COLUMNS` as keys, oldest first."""
    qs = (Result.objects.all() if results is None else results).published()
    qs = qs.select_related("service", "department", "round__year").prefetch_related(
        "round__institutions", "round__year__institutions").order_by(
        "round__year__year", "round__number", "seq", "id")
    rows = []
    for r in qs:
        inst = [o.name for o in r.round.institutions.all()] or [
            o.name for o in r.round.year.institutions.all()]
        rows.append({
            "year": r.round.year.year,
            "round": r.round.number,
            "seq": r.seq,
            "service_key": r.service.key,
            "service_name": r.service_name,
            "department": r.department.name,
            "contractor": r.contractor_name,
            "score": f"{r.score:.2f}",
            "decision": r.decision_code,
            "decision_label": r.decision_label,
            "threshold_policy": r.policy_id,
            "remark": r.remark,
            "institution": ", ".join(inst),
        })
    return rows


def to_csv(results=None) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in open_data_rows(results):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(results=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "results"
    ws.append(list(COLUMNS))
    for row in open_data_rows(results):
        ws.append([row[c] for c in COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_json(results=None) -> bytes:
    rows = open_data_rows(results)
    doc = {"columns": list(COLUMNS), "count": len(rows), "rows": rows}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
