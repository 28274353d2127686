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
import re

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from seonggwa.core import concurrency, xlsx
from seonggwa.core.downloads import attachment
from seonggwa.core.listing import paginate
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.models import Round

from .. import trail
from ..access import office_required

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

#: Actions of this and other parts not in the office trail's words.
ACTIONS = {
    "submission.upload": gettext_lazy("제출 서류 올림"),
    "submission.submit": gettext_lazy("제출"),
    "submission.reopen": gettext_lazy("제출 다시 열기"),
    "rating.record": gettext_lazy("평가 점수 기록"),
    "measurement.record": gettext_lazy("정량 실적 기록"),
    "input.not_applicable": gettext_lazy("해당 없음 처리"),
    "input.override": gettext_lazy("달성도 수동 판정"),
}
#: The verb of an action (its last part) when the action has no words of its own.
VERBS = {
    "create": gettext_lazy("등록"), "add": gettext_lazy("추가"), "set": gettext_lazy("설정"),
    "update": gettext_lazy("수정"), "change": gettext_lazy("변경"),
    "record": gettext_lazy("기록"), "remove": gettext_lazy("삭제"),
    "delete": gettext_lazy("삭제"), "submit": gettext_lazy("제출"),
    "reopen": gettext_lazy("다시 열기"), "open": gettext_lazy("시작"),
    "close": gettext_lazy("마감"), "finalise": gettext_lazy("확정"),
    "publish": gettext_lazy("공개"), "release": gettext_lazy("발송"),
    "notice": gettext_lazy("안내 발송 기록"), "recount": gettext_lazy("다시 계산"),
    "postpone": gettext_lazy("연기"), "lock": gettext_lazy("잠금"),
    "uphold": gettext_lazy("원안 유지"), "revise": gettext_lazy("수정 결정"),
    "decide": gettext_lazy("결정"), "seat": gettext_lazy("위촉"),
    "invite": gettext_lazy("위촉 요청"), "recuse": gettext_lazy("회피"),
    "challenge": gettext_lazy("기피 신청"), "object": gettext_lazy("이의 제기"),
    "score": gettext_lazy("채점"), "amend": gettext_lazy("정정"),
    "lift": gettext_lazy("해제"), "declare": gettext_lazy("신고"),
    "notify": gettext_lazy("통보"), "send": gettext_lazy("발송"),
    "early": gettext_lazy("조기 평가"), "compute": gettext_lazy("계산"),
    "withdraw": gettext_lazy("취하"), "load": gettext_lazy("적재"),
    "import": gettext_lazy("가져오기"), "justify": gettext_lazy("사유 작성"),
}
#: Labels of record keys that are not fields of the object's model.
FIELDS = {
    "document": gettext_lazy("서류"), "explanation": gettext_lazy("계산 근거"),
    "indicator": gettext_lazy("지표"), "value": gettext_lazy("값"),
    "evaluator": gettext_lazy("평가자"), "version": gettext_lazy("판"),
}
#: Keys whose values the office trail already says in words.
TRAIL_VALUES = {*trail.SCORES, "status", "decision_code", "policy_id", "framework_version",
                "follow_up_status"}
#: A code or key (``same_district``, ``district-gangseo``, ``svc-0139``): not words.
_CODE = re.compile(r"\A[a-z0-9]+(?:[_@.-][a-z0-9]+)+\Z")
#: Shown when a record holds a key nobody labelled (never the key itself).
OTHER = gettext_lazy("기타 항목")


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


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def part_of(event: AuditEvent) -> str:
    return str(PARTS.get(event.object_type.partition(".")[0], _("기타")))


def action_words(event: AuditEvent, model=None) -> str:
    """The action in words: the trail's or this page's words, else the object's name and
    the verb ("평가표 제출"), else the object's name and "변경"."""
    known = trail.ACTIONS.get(event.action) or ACTIONS.get(event.action)
    if known:
        return str(known)
    model = model or _model(event.object_type)
    noun = str(model._meta.verbose_name) if model is not None else _("기록")
    last = event.action.rpartition(".")[2]  # "seat", or "conflict_lift": its last word
    verb = VERBS.get(last) or VERBS.get(last.rpartition("_")[2]) or _("변경")
    return f"{noun} {verb}"


def _label(model, key: str) -> str:
    if key in trail.FIELDS:
        return str(trail.FIELDS[key])
    if key in FIELDS:
        return str(FIELDS[key])
    if model is not None:
        try:
            return str(model._meta.get_field(key).verbose_name)
        except FieldDoesNotExist:
            pass
    return str(OTHER)


def code_labels(round_: Round | None) -> dict[str, str]:
    """code → label of every coded thing a round's records may name: whatever carries a
    ``code`` and a ``label`` in the round's framework document (indicators, documents,
    seats, deadline rules, bands, decisions), and the conflict kinds of the panels part."""
    labels: dict[str, str] = {}
    try:
        from seonggwa.panels.domain.conflicts import KIND_LABELS
    except ImportError:  # the panels part is not installed
        KIND_LABELS = {}  # noqa: N806
    labels.update({code: str(label) for code, label in KIND_LABELS.items()})
    if round_ is not None and round_.framework_version_id is not None:
        _walk(round_.framework_version.document, labels)
    return labels


def _walk(node, labels: dict[str, str]) -> None:
    english = (get_language() or "").startswith("en")
    if isinstance(node, dict):
        code, label = node.get("code"), node.get("label") or node.get("name")
        if isinstance(code, str) and isinstance(label, str):
            labels.setdefault(code, (node.get("label_en") or node.get("name_en") or label)
                              if english else label)
        for child in node.values():
            _walk(child, labels)
    elif isinstance(node, list):
        for child in node:
            _walk(child, labels)


def _value(model, key: str, value, labels: dict[str, str]) -> str:
    """A recorded value as people read it: a coded value by its choice label or the label
    of the code, a nested record by its labelled parts (never its keys)."""
    if isinstance(value, dict):
        parts = [f"{_label(model, k)}: {_value(model, k, v, labels)}"
                 for k, v in value.items() if not _hidden(str(k))]
        return "; ".join(parts) or "–"
    if isinstance(value, list):
        return ", ".join(_value(model, key, v, labels) for v in value) or "–"
    if model is not None and isinstance(value, (str, int)) and value != "":
        try:
            choices = dict(model._meta.get_field(key).flatchoices)
        except FieldDoesNotExist:
            choices = {}
        if value in choices:
            return str(choices[value])
    if isinstance(value, str) and value in labels and key not in TRAIL_VALUES:
        return labels[value]
    return trail._value(key, value)


def object_words(event: AuditEvent) -> str:
    """What the record is about, as people read it: the object's stored name without the
    codes some names carry ("강서구 … · district-gangseo · same_district" → "강서구 …"),
    else the kind of object."""
    parts = [p for p in re.split(r"\s+·\s+", event.object_repr or "") if p and not _CODE.match(p)]
    if parts:
        return " · ".join(parts)
    model = _model(event.object_type)
    return str(model._meta.verbose_name) if model is not None else _("기록")


def _hidden(key: str) -> bool:
    return key in trail.HIDDEN or key == "id" or key.endswith("_id")


def describe(event: AuditEvent, labels: dict[str, str] | None = None) -> trail.Entry:
    """One record in words: who, when, what, each change before → after, why;
    ``labels`` (:func:`code_labels`) names the codes of the round's framework."""
    labels = labels or {}
    model = _model(event.object_type)
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    changes = []
    for key in dict.fromkeys([*before, *after]):
        if _hidden(key) or before.get(key) == after.get(key):
            continue
        if not before and after.get(key) in (None, ""):
            continue
        changes.append(trail.Change(
            _label(model, key), _value(model, key, before.get(key), labels) if before else "",
            _value(model, key, after.get(key), labels)))
    return trail.Entry(event=event, who=concurrency.who(event), when=concurrency.when(event),
                       what=action_words(event, model), changes=changes, reason=event.reason)


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
@office_required
def history(request, round_id: int):
    round_ = _officer_round(request, round_id)
    events, part = _filtered(request, round_)
    page = paginate(request, events, per_page=PAGE_SIZE)
    labels = code_labels(round_)
    return render(request, "office/submissions/history.html", {
        "nav": "submissions", "round": round_, "page": page, "part": part,
        "parts": [(code, str(label)) for code, label in PARTS.items()],
        "rows": [(describe(e, labels), object_words(e)) for e in page.object_list],
    })


def _rows(events, labels: dict[str, str]):
    """The export's rows: one per record, the changes in words and the record as stored."""
    for event in events.iterator(chunk_size=2000):
        entry = describe(event, labels)
        changes = "; ".join(f"{c.label}: {c.before + ' → ' if c.before else ''}{c.after}"
                            for c in entry.changes)
        yield [entry.when, entry.who, part_of(event), entry.what, object_words(event),
               changes, event.reason,
               json.dumps(event.before, ensure_ascii=False) if event.before else "",
               json.dumps(event.after, ensure_ascii=False) if event.after else ""]


def _header() -> list[str]:
    return [_("일시"), _("처리자"), _("구분"), _("처리"), _("대상"), _("변경 내용"), _("사유"),
            _("변경 전(원자료)"), _("변경 후(원자료)")]


@require_safe
@office_required
def history_export(request, round_id: int, fmt: str):
    """The round's records (the page's filter applied) as XLSX or CSV: text always text,
    never a formula."""
    if fmt not in ("xlsx", "csv"):
        raise Http404
    round_ = _officer_round(request, round_id)
    events, _part = _filtered(request, round_)
    labels = code_labels(round_)
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
