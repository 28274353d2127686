"""Officer page: the audit history of one round's process — scores and inputs, results and
decisions, assignments, deadlines, panels and conflicts, sheets, notices and appeals,
submissions — in words, newest first, exportable as XLSX or CSV through the formula-safe
writers of :mod:`seonggwa.core.xlsx`.

A record belongs to a round when the object it is about belongs to the round: the round
itself, any row of the process apps with a path of foreign keys to it (a rating, a
window, a sheet version, a submitted document…), and rows since deleted whose record
names the round (an assignment removed). Action codes and field names never reach the
page: each action is said in words (the office trail's words, else the object's name and
the verb), each field by its label, each coded value by its choice label.
"""

from __future__ import annotations

import csv
import io
import json

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from seonggwa.core import xlsx
from seonggwa.core.downloads import attachment
from seonggwa.core.listing import paginate
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.models import Round

from .. import trail
from ..access import Perm, require

#: The apps whose records make up a round's process, and how each is called on the page.
PARTS = {
    "evaluations": gettext_lazy("점수·결과·배정"),
    "schedules": gettext_lazy("일정·기한"),
    "submissions": gettext_lazy("제출"),
    "panels": gettext_lazy("평가단·이해충돌"),
    "sheets": gettext_lazy("평가표"),
    "appeals": gettext_lazy("통보·이의신청"),
}
#: Links followed from a model towards the round (a sheet entry → version → sheet → round).
MAX_DEPTH = 3
#: Records per page.
PAGE_SIZE = 100

def _round_path(model, depth: int = MAX_DEPTH, seen=()) -> str | None:
    """The lookup from ``model`` to its round (``round``, ``sheet__round``…), if any."""
    fields = [f for f in model._meta.get_fields()
              if isinstance(f, models.ForeignKey) and not f.null]
    for field in fields:
        if field.related_model is Round:
            return field.name
    if depth <= 1:
        return None
    for field in fields:
        target = field.related_model
        if target in seen or target._meta.app_label not in PARTS:
            continue
        rest = _round_path(target, depth - 1, (*seen, model))
        if rest:
            return f"{field.name}__{rest}"
    return None


def round_events(round_: Round):
    """Every audit record of the round's process."""
    q = (Q(object_type=Round._meta.label_lower, object_id=str(round_.pk))
         | Q(after__round_id=round_.pk) | Q(before__round_id=round_.pk))
    for model in apps.get_models():
        if model._meta.app_label not in PARTS or model is Round:
            continue
        path = _round_path(model)
        if path is None:
            continue
        ids = (model._base_manager.filter(**{path: round_})
               .annotate(audit_id=Cast("pk", CharField())).values("audit_id"))
        q |= Q(object_type=model._meta.label_lower, object_id__in=ids)
    return AuditEvent.objects.filter(q)


def part_of(event: AuditEvent) -> str:
    return str(PARTS.get(event.object_type.partition(".")[0], _("기타")))


# ----------------------------------------------------------------------------- pages

def _officer_round(request, round_id: int) -> Round:
    if not request.user.has_perm("submissions.manage_submissions"):
        raise PermissionDenied
    return get_object_or_404(Round.objects.select_related("year"), pk=round_id)


def _filtered(request, round_: Round):
    events = round_events(round_).select_related("actor").order_by("-at", "-id")
    part = request.GET.get("part", "")
    if part in PARTS:
        events = events.filter(object_type__startswith=f"{part}.")
    return events, part if part in PARTS else ""


@require_safe
@require(Perm.OFFICE)
def history(request, round_id: int):
    round_ = _officer_round(request, round_id)
    events, part = _filtered(request, round_)
    page = paginate(request, events, per_page=PAGE_SIZE)
    labels = trail.code_labels(round_)
    return render(request, "office/submissions/history.html", {
        "nav": "submissions", "round": round_, "page": page, "part": part,
        "parts": [(code, str(label)) for code, label in PARTS.items()],
        "rows": [(trail.describe(e, labels), trail.object_words(e)) for e in page.object_list],
    })


def _rows(events, labels: dict[str, str]):
    """The export's rows: one per record, the changes in words and the record as stored."""
    for event in events.iterator(chunk_size=2000):
        entry = trail.describe(event, labels)
        changes = "; ".join(f"{c.label}: {c.before + ' → ' if c.before else ''}{c.after}"
                            for c in entry.changes)
        yield [entry.when, entry.who, part_of(event), entry.what, trail.object_words(event),
               changes, event.reason,
               json.dumps(event.before, ensure_ascii=False) if event.before else "",
               json.dumps(event.after, ensure_ascii=False) if event.after else ""]


def _header() -> list[str]:
    return [_("일시"), _("처리자"), _("구분"), _("처리"), _("대상"), _("변경 내용"), _("사유"),
            _("변경 전(원자료)"), _("변경 후(원자료)")]


@require_safe
@require(Perm.OFFICE)
def history_export(request, round_id: int, fmt: str):
    """The round's records (the page's filter applied) as XLSX or CSV: text always text,
    never a formula."""
    if fmt not in ("xlsx", "csv"):
        raise Http404
    round_ = _officer_round(request, round_id)
    events, _part = _filtered(request, round_)
    labels = trail.code_labels(round_)
    name = f"audit-round-{round_.pk}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(xlsx.csv_row(_header()))
        for row in _rows(events, labels):
            writer.writerow(xlsx.csv_row(row))
        # A byte-order mark so spreadsheet programs read the Korean text as UTF-8.
        return attachment(("\ufeff" + buffer.getvalue()).encode("utf-8"), name,
                          "text/csv; charset=utf-8")
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("감사 기록"))
    xlsx.header_row(ws, _header())
    count = 0
    for row in _rows(events, labels):
        xlsx.append_row(ws, row)
        count += 1
    xlsx.finish_sheet(ws, len(_header()), count)
    return attachment(xlsx.workbook_bytes(wb), name)
