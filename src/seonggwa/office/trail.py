"""The audit trail as officials read it: who, when, what (in words, not action codes),
each changed value before → after with its Korean label, and why.

The words of actions and fields come from the one vocabulary every app contributes to
(:mod:`seonggwa.core.vocabulary`; the office's part in :mod:`seonggwa.office.vocabulary`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seonggwa.appeals.models import Outcome
from seonggwa.core import concurrency, vocabulary
from seonggwa.core.formatting import format_score
from seonggwa.core.language import is_english
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain.decisions import decision_label, policy_label
from seonggwa.evaluations.interfaces.presentation import framework_version_label
from seonggwa.evaluations.models import FollowUpStatus, FrameworkVersion, Round, Status

#: Keys shown only in the raw record (ids and derived numbers).
HIDDEN = {"raw_total", "scale_max", "counted_max", "round_id", "subject_id"}

SCORES = {"score", "raw_total", "scale_max", "counted_max"}

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
    "lift": gettext_lazy("해제"), "revoke": gettext_lazy("취소"), "declare": gettext_lazy("신고"),
    "notify": gettext_lazy("통보"), "send": gettext_lazy("발송"),
    "early": gettext_lazy("조기 평가"), "compute": gettext_lazy("계산"),
    "withdraw": gettext_lazy("취하"), "load": gettext_lazy("적재"),
    "import": gettext_lazy("가져오기"), "justify": gettext_lazy("사유 작성"),
}
#: Keys whose values the office trail already says in words.
TRAIL_VALUES = {*SCORES, "status", "decision_code", "policy_id", "framework_version",
                "follow_up_status"}
#: A code or key (``same_district``, ``district-gangseo``, ``svc-0139``): not words.
_CODE = re.compile(r"\A[a-z0-9]+(?:[_@.-][a-z0-9]+)+\Z")
#: Shown when a record holds a key nobody labelled (never the key itself).
OTHER = gettext_lazy("기타 항목")


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Entry:
    event: AuditEvent
    who: str
    when: str
    what: str
    changes: list[Change]
    reason: str


def _value(key: str, value) -> str:
    if value in (None, ""):
        return "–"
    if key in SCORES:
        return format_score(value)
    if key == "status":
        return str(dict(Status.choices).get(value, value))
    if key == "decision_code":
        return decision_label(value)
    if key == "policy_id":
        return policy_label(value) or str(value)
    if key == "framework_version":
        return _framework_version(value)
    if key == "follow_up_status":
        return str(dict(FollowUpStatus.choices).get(value, value))
    if key == "outcome":
        return str(dict(Outcome.choices).get(value, value))
    if isinstance(value, bool):
        return _("예") if value else _("아니오")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    return str(value)


#: (language, "framework-id@version") → its label; stored versions never change, so each
#: is looked up once per process and language, not once per trail row.
_VERSION_LABELS: dict[tuple[str, str], str] = {}


def _framework_version(value: str) -> str:
    """``framework-id@version`` as the framework's title and version."""
    key = (translation.get_language() or "", str(value))
    if key not in _VERSION_LABELS:
        framework_id, _at, version = key[1].partition("@")
        found = FrameworkVersion.objects.filter(framework_id=framework_id,
                                                version=version).first()
        if found is None:
            return key[1]
        _VERSION_LABELS[key] = framework_version_label(found.framework, version)
    return _VERSION_LABELS[key]


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None



def action_words(event: AuditEvent, model=None) -> str:
    """The action in words: the vocabulary's word, else the object's name and the verb
    ("평가표 제출"), else the object's name and "변경"."""
    known = vocabulary.action_label(event.action)
    if known:
        return known
    model = model or _model(event.object_type)
    noun = str(model._meta.verbose_name) if model is not None else _("기록")
    last = event.action.rpartition(".")[2]  # "seat", or "conflict_lift": its last word
    verb = VERBS.get(last) or VERBS.get(last.rpartition("_")[2]) or _("변경")
    return f"{noun} {verb}"


def field_label(model, key: str, *, part: str | None = None) -> str:
    """A recorded field in words: the vocabulary's word (``part``'s own first), else the
    model field's name, else "기타 항목" (never the key)."""
    known = vocabulary.field_label(key, part=part)
    if known:
        return known
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
    english = is_english()
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


def value_words(model, key: str, value, labels: dict[str, str]) -> str:
    """A recorded value as people read it: a coded value by its choice label or the label
    of the code, a nested record by its labelled parts (never its keys)."""
    if isinstance(value, dict):
        parts = [f"{field_label(model, k)}: {value_words(model, k, v, labels)}"
                 for k, v in value.items() if not _hidden(str(k))]
        return "; ".join(parts) or "–"
    if isinstance(value, list):
        return ", ".join(value_words(model, key, v, labels) for v in value) or "–"
    if model is not None and isinstance(value, (str, int)) and value != "":
        try:
            choices = dict(model._meta.get_field(key).flatchoices)
        except FieldDoesNotExist:
            choices = {}
        if value in choices:
            return str(choices[value])
    if isinstance(value, str) and value in labels and key not in TRAIL_VALUES:
        return labels[value]
    return _value(key, value)


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
    return key in HIDDEN or key == "id" or key.endswith("_id")


def describe(event: AuditEvent, labels: dict[str, str] | None = None) -> Entry:
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
        changes.append(Change(
            field_label(model, key), value_words(model, key, before.get(key), labels) if before else "",
            value_words(model, key, after.get(key), labels)))
    return Entry(event=event, who=concurrency.who(event), when=concurrency.when(event),
                       what=action_words(event, model), changes=changes, reason=event.reason)


def entry(event: AuditEvent, labels: dict[str, str] | None = None) -> Entry:
    """One record in words (:func:`describe`)."""
    return describe(event, labels)


def entries(events: Iterable[AuditEvent], labels: dict[str, str] | None = None) -> list[Entry]:
    return [entry(e, labels) for e in events]


def for_objects(*objs, limit: int = 200, round_=None) -> list[Entry]:
    """The trail of ``objs``, newest first; ``round_`` names the codes of its framework
    (grades, documents, seats) in words."""
    return entries(concurrency.events_for(*objs).select_related("actor")
                   .order_by("-at", "-id")[:limit], code_labels(round_))
