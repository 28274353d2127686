"""Every state change of the evaluations app, in one place (DESIGN: workflow in one place).

Views, commands, importers and the loader call these functions; nothing else sets a
status, a score or a decision. Each change writes an append-only audit record
(:func:`seonggwa.core.audit.record`) with before/after and, for corrections, the reason.

Result lifecycle::

    draft ──finalise──▶ finalised ──publish──▶ published
      ▲ update_result            │ amend_result (reason required, audited)

A finalised or published result can never be silently changed: ``record_result`` refuses
a second result for the same service and round, ``update_result`` refuses a locked
result, and corrections go through :func:`amend_result`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from seonggwa.core.audit import record, resolve_actor
from seonggwa.evaluations.domain import policy as policies
from seonggwa.evaluations.models import (
    DueAdjustment,
    FollowUpStatus,
    ItemKind,
    NarrativeItem,
    Result,
    Round,
    Status,
)
from seonggwa.registry.models import Organisation, Service


class WorkflowError(ValidationError):
    """A refused state change; ``str(error)``/``.messages`` say why, in the active
    language (Korean by default; the message ids are Korean, translated by gettext)."""


def _actor_kwargs(actor, actor_label: str) -> dict:
    return {"actor": actor, "actor_label": actor_label}


def parse_score(value) -> Decimal:
    """A score as Decimal with 2 places; refuses non-numbers and values outside 0–100."""
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise WorkflowError(_("점수가 숫자가 아닙니다: %(value)r") % {"value": value}) from None
    if not score.is_finite():
        raise WorkflowError(_("점수가 숫자가 아닙니다: %(value)r") % {"value": value})
    if score < 0 or score > 100:
        raise WorkflowError(_("점수는 0~100 사이여야 합니다 (입력: %(value)s).")
                            % {"value": value})
    if score != score.quantize(Decimal("0.01")):
        raise WorkflowError(_("점수는 소수점 둘째 자리까지입니다 (입력: %(value)s).")
                            % {"value": value})
    return score.quantize(Decimal("0.01"))


def snapshot(result: Result) -> dict:
    """What the audit trail records about a result."""
    return {
        "score": result.score,
        "remark": result.remark,
        "status": result.status,
        "policy_id": result.policy_id,
        "decision_code": result.decision_code,
        "framework_id": result.framework_id,
        "framework_version": result.framework_version,
    }


def apply_decision(result: Result, *, policy: policies.ThresholdPolicy | None = None) -> None:
    """Set the decision fields from the policy in force for the result's round (no save)."""
    if policy is None:
        try:
            policy = policies.policy_for_round(result.round)
        except policies.NoPolicyInForce as exc:
            raise WorkflowError(str(exc)) from None
    decision = policy.decide(result.score)
    result.policy_id = policy.id
    result.decision_code = decision.code
    result.decision_label = decision.label_ko
    result.framework_id = result.framework_id or policies.FRAMEWORK_ID
    result.framework_version = result.framework_version or policies.framework_version_for_year(
        result.round.year.year
    )
    result.decided_at = timezone.now()


def ensure_round_open(round_: Round) -> None:
    if round_.status != Status.DRAFT:
        raise WorkflowError(
            _("%(round)s 평가는 이미 %(status)s 상태입니다: 결과를 추가할 수 없습니다. "
              "정정은 amend_result(사유 필수)로 하십시오.")
            % {"round": round_, "status": round_.get_status_display()}
        )
    if round_.published_only:
        raise WorkflowError(
            _("%(round)s 평가는 요약 수치만 공개된 평가여서 결과 행을 받지 않습니다.")
            % {"round": round_})


@transaction.atomic
def record_result(
    *,
    service: Service,
    round: Round,  # noqa: A002 - the domain word
    score,
    department: Organisation | None = None,
    contractors: Iterable[Organisation] = (),
    contractor_name: str = "",
    service_name: str = "",
    seq: int | None = None,
    remark: str = "",
    actor=None,
    actor_label: str = "",
) -> Result:
    """Create the (draft) result of ``service`` in ``round``.

    Refuses: a score outside 0–100 or not a number; a second result for the same
    service and round (finalised ones are named as such); a round already finalised.
    """
    score = parse_score(score)
    existing = Result.objects.filter(service=service, round=round).first()
    if existing is not None:
        if existing.is_locked:
            raise WorkflowError(
                _("'%(service)s'의 %(round)s 결과는 이미 %(status)s되었습니다 "
                  "(%(score)s점). 두 번째 결과는 받지 않습니다; 정정은 amend_result로 "
                  "사유와 함께 하십시오.")
                % {"service": service, "round": round, "score": existing.score,
                   "status": existing.get_status_display()}
            )
        raise WorkflowError(
            _("'%(service)s'의 %(round)s 결과가 이미 있습니다 (%(score)s점, 작성 중). "
              "update_result로 수정하십시오.")
            % {"service": service, "round": round, "score": existing.score}
        )
    ensure_round_open(round)
    contractors = list(contractors)
    result = Result(
        service=service,
        round=round,
        seq=seq,
        service_name=service_name or service.name,
        department=department or service.department,
        contractor_name=contractor_name or "· ".join(c.name for c in contractors),
        score=score,
        remark=remark,
        status=Status.DRAFT,
    )
    apply_decision(result)
    try:
        result.full_clean(exclude=["contractors"])
    except ValidationError as exc:
        raise WorkflowError(exc.messages) from None
    result.save()
    if contractors:
        result.contractors.set(contractors)
    record("result.create", result, after=snapshot(result), **_actor_kwargs(actor, actor_label))
    return result


@transaction.atomic
def update_result(result: Result, *, score=None, remark: str | None = None, actor=None,
                  actor_label: str = "") -> Result:
    """Change a draft result. Refuses finalised and published results."""
    result = Result.objects.select_for_update().select_related("round__year").get(pk=result.pk)
    if result.is_locked:
        raise WorkflowError(
            _("'%(service)s' 결과는 %(status)s되어 수정할 수 없습니다. 정정은 amend_result로 "
              "사유와 함께 하십시오.")
            % {"service": result.service_name, "status": result.get_status_display()}
        )
    before = snapshot(result)
    if score is not None:
        result.score = parse_score(score)
    if remark is not None:
        result.remark = remark
    apply_decision(result)
    result.save()
    record("result.update", result, before=before, after=snapshot(result),
           **_actor_kwargs(actor, actor_label))
    return result


@transaction.atomic
def amend_result(result: Result, new_score, reason: str, actor=None, *,
                 remark: str | None = None, actor_label: str = "") -> Result:
    """Correct a result — the only way to change a finalised or published one.

    ``reason`` is required; the audit trail keeps the score and decision before and
    after. The decision is taken again under the policy in force for the round. The
    status is unchanged (a published result stays published, now with the new score).
    """
    if not (reason or "").strip():
        raise WorkflowError(_("정정 사유를 입력해야 합니다."))
    result = Result.objects.select_for_update().select_related("round__year").get(pk=result.pk)
    before = snapshot(result)
    result.score = parse_score(new_score)
    if remark is not None:
        result.remark = remark
    apply_decision(result)
    result.save()
    record("result.amend", result, before=before, after=snapshot(result), reason=reason.strip(),
           **_actor_kwargs(actor, actor_label))
    return result


def _transition(result: Result, to: str, allowed_from: tuple[str, ...], action: str,
                actor, actor_label: str) -> Result:
    if result.status == to:
        return result
    if result.status not in allowed_from:
        raise WorkflowError(
            _("'%(service)s' 결과를 %(from)s 상태에서 %(to)s 상태로 바꿀 수 없습니다.")
            % {"service": result.service_name, "from": result.get_status_display(),
               "to": Status(to).label}
        )
    before = snapshot(result)
    result.status = to
    result.save(update_fields=["status", "updated_at"])
    record(action, result, before=before, after=snapshot(result),
           **_actor_kwargs(actor, actor_label))
    return result


@transaction.atomic
def finalise_result(result: Result, actor=None, actor_label: str = "") -> Result:
    return _transition(result, Status.FINALISED, (Status.DRAFT,), "result.finalise", actor,
                       actor_label)


@transaction.atomic
def publish_result(result: Result, actor=None, actor_label: str = "") -> Result:
    """Publish a finalised result (a draft must be finalised first)."""
    return _transition(result, Status.PUBLISHED, (Status.FINALISED,), "result.publish", actor,
                       actor_label)


@transaction.atomic
def finalise_round(round_: Round, actor=None, actor_label: str = "") -> Round:
    """Finalise a round and every draft result in it. Afterwards the round takes no new
    results and its results change only through :func:`amend_result`."""
    if round_.status != Status.DRAFT:
        raise WorkflowError(_("%(round)s 평가는 이미 %(status)s 상태입니다.")
                            % {"round": round_, "status": round_.get_status_display()})
    for result in round_.results.filter(status=Status.DRAFT).select_related("round__year"):
        finalise_result(result, actor, actor_label)
    before = {"status": round_.status}
    round_.status = Status.FINALISED
    round_.save(update_fields=["status"])
    record("round.finalise", round_, before=before, after={"status": round_.status},
           **_actor_kwargs(actor, actor_label))
    return round_


@transaction.atomic
def publish_round(round_: Round, actor=None, actor_label: str = "") -> Round:
    """Publish a finalised round and its results (정보소통광장 disclosure)."""
    if round_.status == Status.DRAFT:
        raise WorkflowError(_("%(round)s 평가를 먼저 확정해야 공개할 수 있습니다.")
                            % {"round": round_})
    for result in round_.results.filter(status=Status.FINALISED).select_related("round__year"):
        publish_result(result, actor, actor_label)
    if round_.status != Status.PUBLISHED:
        before = {"status": round_.status}
        round_.status = Status.PUBLISHED
        round_.save(update_fields=["status"])
        record("round.publish", round_, before=before, after={"status": round_.status},
               **_actor_kwargs(actor, actor_label))
    return round_


@transaction.atomic
def adjust_due(*, year: int, service: Service, action: str, reason: str, actor=None,
               round_number: int | None = None, actor_label: str = "") -> DueAdjustment:
    """Record an officer's adjustment to the due list of ``year`` (reason required).

    ``action``: ``include`` (add, optionally into ``round_number``), ``exclude``,
    ``move`` (to ``round_number``, required) or ``reset`` (back to the computed list).
    """
    if not (reason or "").strip():
        raise WorkflowError(_("평가대상 조정 사유를 입력해야 합니다."))
    if action not in DueAdjustment.Action.values:
        raise WorkflowError(_("알 수 없는 조정입니다: %(action)r") % {"action": action})
    if action == DueAdjustment.Action.MOVE and not round_number:
        raise WorkflowError(_("차수 변경에는 옮길 차수가 필요합니다."))
    user, label = resolve_actor(actor, actor_label)
    adj = DueAdjustment.objects.create(
        year=year, service=service, action=action, round_number=round_number,
        reason=reason.strip(), actor=user, actor_label=label,
    )
    record("due.adjust", service, after={"year": year, "action": action,
                                        "round_number": round_number},
           reason=reason.strip(), **_actor_kwargs(actor, actor_label))
    return adj


@transaction.atomic
def set_follow_up(item: NarrativeItem, status: str, *, note: str = "", round: Round | None = None,  # noqa: A002
                  actor=None, actor_label: str = "") -> NarrativeItem:
    """Record what the next evaluation found about an improvement task (성과환류)."""
    if item.kind != ItemKind.IMPROVEMENT:
        raise WorkflowError(_("이행 상태는 개선 과제에만 기록합니다."))
    if status not in FollowUpStatus.values:
        raise WorkflowError(_("알 수 없는 이행 상태입니다: %(status)r") % {"status": status})
    before = {"follow_up_status": item.follow_up_status, "follow_up_note": item.follow_up_note}
    item.follow_up_status = status
    item.follow_up_note = note
    item.follow_up_round = round
    item.save(update_fields=["follow_up_status", "follow_up_note", "follow_up_round"])
    record("improvement.follow_up", item, before=before,
           after={"follow_up_status": status, "follow_up_note": note},
           **_actor_kwargs(actor, actor_label))
    return item


@transaction.atomic
def open_round(year: int, number: int | None, *, period_text: str = "", start=None, end=None,
               subjects_total: int | None = None, actor=None, actor_label: str = "") -> Round:
    """Get or create the (draft) round ``number`` of ``year`` (and the year)."""
    from seonggwa.evaluations.models import EvaluationYear

    ey, _ = EvaluationYear.objects.get_or_create(year=year)
    rnd = Round.objects.filter(year=ey, number=number).first()
    if rnd is not None:
        return rnd
    rnd = Round(year=ey, number=number, period_text=period_text, start=start, end=end,
                subjects_total=subjects_total, status=Status.DRAFT)
    rnd.full_clean(exclude=["year"])
    rnd.save()
    record("round.open", rnd, after={"year": year, "number": number, "status": rnd.status},
           **_actor_kwargs(actor, actor_label))
    return rnd
