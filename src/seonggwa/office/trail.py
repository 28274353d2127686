"""The audit trail as officials read it: who, when, what (in words, not action codes),
each changed value before → after with its Korean label, and why."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seonggwa.core import concurrency
from seonggwa.core.formatting import format_score
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain.decisions import decision_label, policy_label
from seonggwa.evaluations.interfaces.presentation import framework_version_label
from seonggwa.evaluations.models import FollowUpStatus, FrameworkVersion, Status

ACTIONS = {
    "result.create": gettext_lazy("결과 등록"),
    "result.update": gettext_lazy("결과 수정"),
    "result.amend": gettext_lazy("결과 정정"),
    "result.score": gettext_lazy("채점"),
    "result.finalise": gettext_lazy("결과 확정"),
    "result.publish": gettext_lazy("결과 공개"),
    "round.open": gettext_lazy("평가 차수 개설"),
    "round.load": gettext_lazy("평가 차수 적재"),
    "round.framework": gettext_lazy("평가틀 지정"),
    "round.finalise": gettext_lazy("평가 차수 확정"),
    "round.publish": gettext_lazy("평가 차수 공개"),
    "improvement.follow_up": gettext_lazy("개선 과제 이행 상태 기록"),
    "due.adjust": gettext_lazy("평가대상 조정"),
    "assignment.add": gettext_lazy("평가 배정"),
    "assignment.remove": gettext_lazy("평가 배정 해제"),
    "registry.service.create": gettext_lazy("사무 등록"),
    "registry.service.update": gettext_lazy("사무 등록 정보 수정"),
    "registry.contract.create": gettext_lazy("위탁기간 등록"),
    "registry.contract.update": gettext_lazy("위탁기간 수정"),
    "registry.contract.end": gettext_lazy("위탁기간 종료"),
    "registry.consent.create": gettext_lazy("의회 동의 등록"),
    "registry.consent.update": gettext_lazy("의회 동의 수정"),
    "registry.inspection.create": gettext_lazy("지도점검 지적사항 등록"),
    "registry.inspection.update": gettext_lazy("지도점검 지적사항 수정"),
    "registry.audit.create": gettext_lazy("감사 결과 등록"),
    "registry.audit.update": gettext_lazy("감사 결과 수정"),
    "registry.figure.create": gettext_lazy("운영 지표 등록"),
    "registry.figure.update": gettext_lazy("운영 지표 수정"),
}

#: Labels of snapshot keys that are not model fields (or read better otherwise).
FIELDS = {
    "score": gettext_lazy("점수"),
    "raw_total": gettext_lazy("환산 전 총점"),
    "scale_max": gettext_lazy("만점"),
    "counted_max": gettext_lazy("반영 만점"),
    "band_code": gettext_lazy("등급"),
    "decision_code": gettext_lazy("판정"),
    "policy_id": gettext_lazy("기준 정책"),
    "framework_version": gettext_lazy("평가틀 버전"),
    "status": gettext_lazy("상태"),
    "remark": gettext_lazy("비고"),
    "follow_up_status": gettext_lazy("이행 상태"),
    "follow_up_note": gettext_lazy("확인 내용"),
    "year": gettext_lazy("연도"),
    "action": gettext_lazy("조정"),
    "round_number": gettext_lazy("차수"),
    "user": gettext_lazy("사용자"),
    "round": gettext_lazy("평가 차수"),
    "subject": gettext_lazy("평가 대상"),
}

#: Keys shown only in the raw record (ids and derived numbers).
HIDDEN = {"raw_total", "scale_max", "counted_max", "round_id", "subject_id"}

SCORES = {"score", "raw_total", "scale_max", "counted_max"}


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


def _label(model, key: str) -> str:
    if key in FIELDS:
        return str(FIELDS[key])
    if model is not None:
        try:
            return str(model._meta.get_field(key).verbose_name)
        except FieldDoesNotExist:
            pass
    return key


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


def entry(event: AuditEvent) -> Entry:
    model = _model(event.object_type)
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    changes = []
    for key in dict.fromkeys([*before, *after]):
        if key in HIDDEN or before.get(key) == after.get(key):
            continue
        if not before and after.get(key) in (None, ""):  # a new record: only what it has
            continue
        changes.append(Change(_label(model, key), _value(key, before.get(key)) if before
                              else "", _value(key, after.get(key))))
    return Entry(event=event, who=concurrency.who(event), when=concurrency.when(event),
                 what=str(ACTIONS.get(event.action, event.action)), changes=changes,
                 reason=event.reason)


def entries(events: Iterable[AuditEvent]) -> list[Entry]:
    return [entry(e) for e in events]


def for_objects(*objs, limit: int = 200) -> list[Entry]:
    """The trail of ``objs``, newest first."""
    return entries(concurrency.events_for(*objs).select_related("actor")
                   .order_by("-at", "-id")[:limit])
