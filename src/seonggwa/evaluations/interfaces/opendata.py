"""Open-data serialisation of PUBLISHED results for the public portal.

Stable columns (:data:`COLUMNS`, documented in docs/outsourcing.md); only results whose
status is *published* are ever serialised, whatever queryset is passed in. Scores are
written with exactly 2 decimals as strings in CSV/JSON (no float artefacts).

- :func:`to_csv` → UTF-8 with BOM (opens correctly in Korean Excel), comma separated;
  :func:`iter_csv` gives the same bytes in chunks (the portal streams them);
- :func:`to_xlsx` → one sheet ``results`` (numbers as numbers, header frozen with an
  autofilter);
- :func:`to_json` → ``{"columns": [...], "rows": [{...}], "count": n}``, UTF-8.

Text is never written as a formula (:mod:`seonggwa.core.xlsx`): in CSV a value that
starts with ``= + - @`` gets a leading apostrophe, in XLSX it is a text cell.

Cost: two queries whatever the number of rows — the result rows as plain tuples
(``values_list``, read in chunks) and every evaluation institution of every round and
year (one ``UNION``). No model instances are built, so 19,028 rows take well under a
second.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import CharField, Value
from openpyxl import Workbook

from seonggwa.core.xlsx import append_row, csv_row, finish_sheet, header_row, workbook_bytes
from seonggwa.evaluations.domain.decisions import decision_label
from seonggwa.evaluations.models import EvaluationYear, FrameworkVersion, Result, Round

COLUMNS = (
    "year", "round", "seq", "service_key", "service_name", "department", "contractor",
    "score", "decision", "decision_label", "threshold_policy", "remark", "institution",
)

# Database fields read for each row, in the order :func:`_row` expects them.
_FIELDS = (
    "round_id", "round__year_id", "round__year__year", "round__number", "seq", "service__key",
    "service_name", "department__name", "contractor_name", "score", "decision_code",
    "framework_version_id", "policy_id", "remark",
)
_CHUNK = 2000


def _institution_names() -> tuple[dict[int, str], dict[int, str]]:
    """Institutions of every round and every year (one query): ``({round_id: names},
    {year_id: names})``, names joined with ", " in the organisations' order."""
    label = CharField(max_length=1)
    by_round = (Round.institutions.through.objects
                .values_list(Value("r", output_field=label), "round_id",
                             "organisation__kind", "organisation__name"))
    by_year = (EvaluationYear.institutions.through.objects
               .values_list(Value("y", output_field=label), "evaluationyear_id",
                            "organisation__kind", "organisation__name"))
    found: dict[tuple[str, int], list[tuple[str, str]]] = defaultdict(list)
    for which, owner, kind, name in by_round.union(by_year, all=True):
        found[(which, owner)].append((kind, name))
    rounds: dict[int, str] = {}
    years: dict[int, str] = {}
    for (which, owner), names in found.items():
        (rounds if which == "r" else years)[owner] = ", ".join(n for _, n in sorted(names))
    return rounds, years


def _decision_labels() -> dict[tuple[int, str], str]:
    """(framework version, decision code) → label, from the framework documents: in
    Korean whatever the page's language (the open data's ``decision_label`` is Korean)."""
    return {(v.pk, d.code): decision_label(d.code, v.framework, lang="ko")
            for v in FrameworkVersion.objects.all() for d in v.framework.decisions}


def iter_open_data_rows(results=None) -> Iterator[dict]:
    """Published results as dicts with :data:`COLUMNS` as keys, oldest first (a
    generator; two queries in all)."""
    qs = (Result.objects.outsourcing() if results is None else results).published()
    qs = qs.order_by("year", "round_number", "seq", "id").values_list(*_FIELDS)
    round_inst, year_inst = _institution_names()
    labels = _decision_labels()
    for (round_id, year_id, year, number, seq, key, name, department, contractor, score,
         decision, version_id, policy_id, remark) in qs.iterator(chunk_size=_CHUNK):
        yield {
            "year": year,
            "round": number,
            "seq": seq,
            "service_key": key,
            "service_name": name,
            "department": department,
            "contractor": contractor,
            "score": f"{score:.2f}",
            "decision": decision,
            "decision_label": labels.get((version_id, decision), decision),
            "threshold_policy": policy_id,
            "remark": remark,
            "institution": round_inst.get(round_id) or year_inst.get(year_id, ""),
        }


def open_data_rows(results=None) -> list[dict]:
    """Published results as dicts with :data:`COLUMNS` as keys, oldest first."""
    return list(iter_open_data_rows(results))


class _Buffer:
    """A file-like object for ``csv.writer`` that hands back what was written."""

    def __init__(self):
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def take(self) -> str:
        out = "".join(self.parts)
        self.parts.clear()
        return out


def iter_csv(results=None, *, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """The CSV file in chunks of bytes (BOM and header first), for streaming."""
    buf = _Buffer()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    yield ("\ufeff" + buf.take()).encode("utf-8")
    pending = 0
    for row in iter_open_data_rows(results):
        writer.writerow(csv_row("" if row[c] is None else row[c] for c in COLUMNS))
        pending += 1
        if pending >= rows_per_chunk:
            yield buf.take().encode("utf-8")
            pending = 0
    if pending:
        yield buf.take().encode("utf-8")


def to_csv(results=None) -> bytes:
    return b"".join(iter_csv(results))


XLSX_FORMATS = tuple("0.00" if c == "score" else None for c in COLUMNS)


def to_xlsx(results=None) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("results")
    header_row(ws, COLUMNS)
    count = 0
    for row in iter_open_data_rows(results):
        values = [row[c] for c in COLUMNS]
        values[COLUMNS.index("score")] = Decimal(row["score"])
        append_row(ws, values, XLSX_FORMATS)
        count += 1
    finish_sheet(ws, len(COLUMNS), count)
    return workbook_bytes(wb)


def to_json(results=None) -> bytes:
    rows = open_data_rows(results)
    doc = {"columns": list(COLUMNS), "count": len(rows), "rows": rows}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
