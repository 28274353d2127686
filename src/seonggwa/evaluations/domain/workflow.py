"""Every state change of the evaluations app, in one place (DESIGN: workflow in one place).

Views, commands, importers, the Seoul loader and the synthetic generator call these
functions; nothing else sets a status, a score or a decision. Scores come from the one
compute path (:mod:`seonggwa.evaluations.domain.scoring`): a result that arrives as a
published total (the external institution's score, the Seoul history) is stored as the
direct-points input of its round's framework version and scored by the engine like any
other input. Status changes go through the state machines of
:mod:`seonggwa.evaluations.domain.lifecycle`. Each change writes an append-only audit
record with before/after and, for corrections, the reason.

Result lifecycle::

    draft ──finalise──▶ finalised ──publish──▶ published
      ▲ update_result            │ amend_result (reason required, audited)

A finalised or published result can never be silently changed: ``record_result`` refuses
a second result for the same subject and round, ``update_result`` refuses a locked
result, and corrections go through :func:`amend_result`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from seonggwa import engine
from seonggwa.core.audit import record, resolve_actor
from seonggwa.core.statemachine import TransitionRefused
from seonggwa.core.xlsx import CONSORTIUM_SEPARATOR
from seonggwa.evaluations.domain import current, frameworks, lifecycle, scoring
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.domain.inputs import (
    INSTITUTION,
    RatingEntry,
    ensure_inputs_open,
    put_ratings,
)
from seonggwa.evaluations.domain.scoring import Published
from seonggwa.evaluations.domain.subjects import subjects_for
from seonggwa.evaluations.models import (
    DueAdjustment,
    FollowUpStatus,
    ItemKind,
    NarrativeItem,
    PublishedDataVersion,
    Result,
    Round,
    Scheme,
    Status,
    Subject,
    SubjectKind,
)
from seonggwa.registry.models import Organisation, Service

__all__ = [
    "PublishedTotal", "WorkflowError", "adjust_due", "amend_result", "finalise_result",
    "finalise_results", "finalise_round", "open_round", "parse_score", "publish_result",
    "publish_results", "publish_round",
    "record_result", "record_results", "rescore", "set_follow_up", "update_result",
]


#: Checks other parts of the process make before results change (appeals: a notified
#: result waits for its objection window, a final one is locked). Each is called with the
#: round, the subjects' ids and the change ("score": rescore or correct; "finalise") and
#: returns the refusal messages (empty: allowed). Added by the apps' ``ready``.
RESULT_GUARDS: list = []


def check_result_guards(round_: Round, subject_ids, change: str) -> None:
    refusals = [m for guard in RESULT_GUARDS for m in guard(round_, subject_ids, change)]
    if refusals:
        raise WorkflowError(refusals)


def _actor_kwargs(actor, actor_label: str) -> dict:
    return {"actor": actor, "actor_label": actor_label}


def parse_score(value, *, maximum: Decimal = Decimal("100")) -> Decimal:
    """A published total as Decimal with 2 places; refuses non-numbers and values outside
    0–``maximum`` (the framework's scale)."""
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise WorkflowError(_("점수가 숫자가 아닙니다: %(value)r")
                            % {"value": str(value)[:40]}) from None
    if not score.is_finite():
        raise WorkflowError(_("점수가 숫자가 아닙니다: %(value)r") % {"value": str(value)[:40]})
    if score < 0 or score > maximum:
        raise WorkflowError(_("점수는 0~%(max)s 사이여야 합니다 (입력: %(value)s).")
                            % {"max": format(maximum.normalize(), "f"),
                               "value": str(value)[:40]})
    if score != score.quantize(Decimal("0.01")):
        raise WorkflowError(_("점수는 소수점 둘째 자리까지입니다 (입력: %(value)s).")
                            % {"value": value})
    return score.quantize(Decimal("0.01"))


def ensure_round_open(round_: Round) -> None:
    ensure_inputs_open(round_)


def round_framework(round_: Round, *, actor=None, actor_label: str = ""):
    """The round's framework version; an outsourcing round without one is pinned to the
    published-total version (results that arrive as the institution's totals)."""
    if round_.framework_version_id is None:
        if round_.scheme != Scheme.OUTSOURCING:
            raise WorkflowError(_("%(round)s에 평가틀 버전이 지정되지 않았습니다.")
                                % {"round": round_})
        version = frameworks.preset_version(frameworks.OUTSOURCING_TOTALS_PRESET)
        frameworks.set_round_framework(round_, version, actor=actor, actor_label=actor_label)
        round_.framework_version = version
    return round_.framework_version


def total_indicator(framework: engine.Framework) -> engine.Indicator:
    """The one direct-points indicator a published total is entered as."""
    direct = [i for i in framework.indicators if i.kind == "direct"]
    if len(framework.indicators) != 1 or len(direct) != 1:
        raise WorkflowError(
            _("평가틀 %(fw)s@%(version)s은(는) 지표별로 채점합니다: 총점 하나로는 입력할 수 "
              "없습니다.") % {"fw": framework.id, "version": framework.version})
    return direct[0]


@dataclass
class PublishedTotal(Published):
    """One outsourced service's result as published: its total beside its row as written
    (``service`` is required here)."""

    score: object = None

    def published(self) -> Published:
        contractors = list(self.contractors)
        return Published(
            service=self.service, seq=self.seq,
            service_name=self.service_name or self.service.name,
            department=self.department or self.service.department,
            contractors=contractors,
            contractor_name=self.contractor_name
            or CONSORTIUM_SEPARATOR.join(c.name for c in contractors),
            remark=self.remark,
        )


def record_results(round_: Round, rows: Sequence[PublishedTotal], *,
                   status: str = Status.DRAFT, actor=None, actor_label: str = "",
                   reason: str = "") -> list[Result]:
    """Create the results of published totals in ``round_``, in one engine call.

    Used by the form, the XLSX import, the Seoul loader and the generator alike: the same
    checks (a number on the framework's scale, 2 decimals; no second result for a subject
    and round; an open round) and one audit record per result. ``status`` lets a loader
    store results that were published as such.
    """
    if not rows:
        return []
    if status == Status.DRAFT or round_.published_only:  # a loader of history may add
        ensure_round_open(round_)                         # published rows to a closed round
    version = round_framework(round_, actor=actor, actor_label=actor_label)
    framework = version.framework
    indicator = total_indicator(framework)
    maximum = Decimal(str(indicator.points))
    scores = [parse_score(r.score, maximum=maximum) for r in rows]
    subject_of = subjects_for(SubjectKind.SERVICE, [r.service for r in rows])
    subjects = [subject_of[r.service.pk] for r in rows]
    if len({s.pk for s in subjects}) != len(subjects):
        raise WorkflowError(_("같은 사무의 결과가 두 번 들어 있습니다."))
    _refuse_existing(round_, subjects)
    put_ratings(round_, [RatingEntry(s, indicator.code, score, INSTITUTION)
                         for s, score in zip(subjects, scores, strict=True)],
                actor=actor, actor_label=actor_label, audit=False)
    outcome = scoring.compute(round_, subjects)
    if status == Status.PUBLISHED:
        PublishedDataVersion.bump()  # public pages and open data change (portal cache)
    return current.refreshed(scoring.store_outcomes(
        round_, subjects, outcome, published=[r.published() for r in rows], status=status,
        action="result.create", actor=actor, actor_label=actor_label, reason=reason))


def _refuse_existing(round_: Round, subjects: Sequence[Subject]) -> None:
    existing = (Result.objects.filter(round=round_, subject__in=subjects)
                .select_related("subject").first())
    if existing is None:
        return
    if existing.is_locked:
        raise WorkflowError(
            _("'%(service)s'의 %(round)s 결과는 이미 %(status)s되었습니다 "
              "(%(score)s점). 두 번째 결과는 받지 않습니다. 점수를 바꾸려면 사무 화면의 "
              "평가 결과 표에서 '정정·이력'을 눌러 정정 사유와 함께 정정하십시오.")
            % {"service": existing.subject, "round": round_, "score": existing.score,
               "status": existing.get_status_display()})
    raise WorkflowError(
        _("'%(service)s'의 %(round)s 결과가 이미 있습니다 (%(score)s점, 작성 중). "
          "사무 화면의 평가 결과 표에서 '수정·이력'을 눌러 고치십시오.")
        % {"service": existing.subject, "round": round_, "score": existing.score})


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
    """Create the (draft) result of ``service`` in ``round`` from its published total:
    :func:`record_results` with one row."""
    ensure_round_open(round)
    row = PublishedTotal(service=service, score=score, seq=seq, service_name=service_name,
                         department=department, contractors=list(contractors),
                         contractor_name=contractor_name, remark=remark)
    return record_results(round, [row], actor=actor, actor_label=actor_label)[0]


def _locked_result(result: Result) -> Result:
    return (Result.objects.select_for_update(of=("self",))
            .select_related("round__year", "round__framework_version", "subject",
                            "framework_version").get(pk=result.pk))


def _rescore_total(result: Result, score, *, action: str, remark: str | None, actor,
                   actor_label: str, reason: str = "") -> Result:
    round_ = result.round
    framework = round_.framework_version.framework
    indicator = total_indicator(framework)
    value = parse_score(score, maximum=Decimal(str(indicator.points)))
    put_ratings(round_, [RatingEntry(result.subject, indicator.code, value, INSTITUTION)],
                actor=actor, actor_label=actor_label, audit=False)
    return _store_one(result, action=action, remark=remark, actor=actor,
                      actor_label=actor_label, reason=reason)


def _store_one(result: Result, *, action: str, remark: str | None, actor, actor_label: str,
               reason: str = "") -> Result:
    round_ = result.round
    outcome = scoring.compute(round_, [result.subject])
    pub = None
    if remark is not None and result.service_id:
        pub = Published(service=result.service, seq=result.seq,
                        service_name=result.service_name, department=result.department,
                        contractors=list(result.contractors.all()),
                        contractor_name=result.contractor_name, remark=remark)
    return current.refreshed(scoring.store_outcomes(
        round_, [result.subject], outcome, published=[pub], action=action, actor=actor,
        actor_label=actor_label, reason=reason))[0]


@transaction.atomic
def update_result(result: Result, *, score=None, remark: str | None = None, actor=None,
                  actor_label: str = "") -> Result:
    """Change a draft result's published total (or remark). Refuses finalised and
    published results."""
    result = _locked_result(result)
    check_result_guards(result.round, [result.subject_id], "score")
    if result.is_locked:
        raise WorkflowError(
            _("'%(service)s' 결과는 %(status)s되어 수정할 수 없습니다. 사무 화면의 평가 "
              "결과 표에서 '정정·이력'을 눌러 정정 사유와 함께 정정하십시오.")
            % {"service": result.service_name or result.subject,
               "status": result.get_status_display()})
    if score is None:
        return _store_one(result, action="result.update", remark=remark, actor=actor,
                          actor_label=actor_label)
    return _rescore_total(result, score, action="result.update", remark=remark, actor=actor,
                          actor_label=actor_label)


@transaction.atomic
def amend_result(result: Result, new_score, reason: str, actor=None, *,
                 remark: str | None = None, actor_label: str = "") -> Result:
    """Correct (정정) a result's published total — the only way to change a finalised or
    published one.

    ``reason`` is required; the rating keeps its earlier version and the audit trail the
    result before and after. The engine decides again under the round's framework
    version and the policy in force on the evaluation's date. The status is unchanged.
    """
    if not (reason or "").strip():
        raise WorkflowError(_("정정 사유를 입력해야 합니다."))
    result = _locked_result(result)
    check_result_guards(result.round, [result.subject_id], "score")
    if result.status == Status.PUBLISHED:
        PublishedDataVersion.bump()  # public pages and open data change (portal cache)
    return _rescore_total(result, new_score, action="result.amend", remark=remark,
                          actor=actor, actor_label=actor_label, reason=reason.strip())


@transaction.atomic
def rescore(round_: Round, subjects: Sequence[Subject] | None = None, *, reason: str = "",
            actor=None, actor_label: str = "") -> list[Result]:
    """Score ``subjects`` (default: every subject with inputs) of ``round_`` from their
    stored inputs and store the outcomes — creating draft results, updating drafts.

    Locked (finalised, published) results are refused unless ``reason`` is given, which
    makes the rescoring a correction of those results.
    """
    round_framework(round_, actor=actor, actor_label=actor_label)
    if subjects is None:
        subjects = subjects_with_inputs(round_)
    check_result_guards(round_, [s.pk for s in subjects], "score")
    locked = Result.objects.filter(round=round_, subject__in=subjects,
                                   status__in=[Status.FINALISED, Status.PUBLISHED])
    if locked.exists() and not (reason or "").strip():
        raise WorkflowError(_("확정·공개된 결과를 다시 채점하려면 정정 사유가 필요합니다."))
    outcome = scoring.compute(round_, subjects)
    if locked.filter(status=Status.PUBLISHED).exists():
        PublishedDataVersion.bump()  # public pages and open data change (portal cache)
    action = "result.amend" if (reason or "").strip() else "result.score"
    return current.refreshed(scoring.store_outcomes(
        round_, subjects, outcome, action=action, actor=actor, actor_label=actor_label,
        reason=(reason or "").strip()))


def subjects_with_inputs(round_: Round) -> list[Subject]:
    """Every subject of ``round_`` with any stored input (ratings, measurements,
    not-applicable marks, overrides)."""
    from seonggwa.evaluations.models import (
        ClassificationOverride,
        Measurement,
        NotApplicable,
        Rating,
    )

    ids = set(Rating.objects.filter(round=round_, superseded_at__isnull=True)
              .values_list("subject_id", flat=True))
    for model in (Measurement, NotApplicable, ClassificationOverride):
        ids |= set(model.objects.filter(round=round_).values_list("subject_id", flat=True))
    return list(Subject.objects.filter(pk__in=ids).order_by("pk"))


def _fire(machine, obj, name: str, actor, actor_label: str, *, idempotent: bool = True):
    if idempotent and obj.status == machine.transition(name).target:
        return obj
    try:
        return machine.fire(obj, name, actor=actor, actor_label=actor_label)
    except TransitionRefused as exc:
        raise WorkflowError(exc.messages) from None


@transaction.atomic
def finalise_result(result: Result, actor=None, actor_label: str = "") -> Result:
    check_result_guards(result.round, [result.subject_id], "finalise")
    return _fire(lifecycle.RESULT, result, "finalise", actor, actor_label)


@transaction.atomic
def publish_result(result: Result, actor=None, actor_label: str = "") -> Result:
    """Publish a finalised result (a draft must be finalised first)."""
    PublishedDataVersion.bump()  # public pages and open data change (portal cache)
    return _fire(lifecycle.RESULT, result, "publish", actor, actor_label)


@transaction.atomic
def finalise_round(round_: Round, actor=None, actor_label: str = "") -> Round:
    """Finalise a round and every draft result in it. Afterwards the round takes no new
    results and its results change only through :func:`amend_result`."""
    if round_.status != Status.DRAFT:
        raise WorkflowError(_("%(round)s 평가는 이미 %(status)s 상태입니다.")
                            % {"round": round_, "status": round_.get_status_display()})
    for result in round_.results.filter(status=Status.DRAFT).select_related("round__year"):
        finalise_result(result, actor, actor_label)
    return _fire(lifecycle.ROUND, round_, "finalise", actor, actor_label, idempotent=False)


@transaction.atomic
def publish_round(round_: Round, actor=None, actor_label: str = "") -> Round:
    """Publish a finalised round and its results (정보소통광장 disclosure)."""
    if round_.status == Status.DRAFT:
        raise WorkflowError(_("%(round)s 평가를 먼저 확정해야 공개할 수 있습니다.")
                            % {"round": round_})
    for result in round_.results.filter(status=Status.FINALISED).select_related("round__year"):
        publish_result(result, actor, actor_label)
    PublishedDataVersion.bump()  # public pages and open data change (portal cache)
    return _fire(lifecycle.ROUND, round_, "publish", actor, actor_label)


def _fire_many(machine, objects, name: str, actor, actor_label: str) -> list:
    target = machine.transition(name).target
    todo = [obj for obj in objects if obj.status != target]  # idempotent, as _fire
    try:
        machine.fire_many(todo, name, actor=actor, actor_label=actor_label)
    except TransitionRefused as exc:
        raise WorkflowError(exc.messages) from None
    return list(objects)


@transaction.atomic
def finalise_results(results: Iterable[Result], actor=None, actor_label: str = "") -> list[Result]:
    """Finalise many results at once — :func:`finalise_result` for a whole round or an
    import: one ``UPDATE`` and one bulk audit insert instead of a save and an insert per
    result. All or nothing: if any result may not be finalised, none is and the
    :class:`WorkflowError` names each. Results already finalised are left as they are.
    Pass results with ``round__year`` selected (the audit trail names the round)."""
    results = list(results)
    for round_ in {r.round_id: r.round for r in results}.values():
        check_result_guards(round_, [r.subject_id for r in results if r.round_id == round_.pk],
                            "finalise")
    return _fire_many(lifecycle.RESULT, results, "finalise", actor, actor_label)


@transaction.atomic
def publish_results(results: Iterable[Result], actor=None, actor_label: str = "") -> list[Result]:
    """Publish many finalised results at once (see :func:`finalise_results`); a draft
    among them refuses the whole batch."""
    PublishedDataVersion.bump()  # public pages and open data change (portal cache)
    return _fire_many(lifecycle.RESULT, list(results), "publish", actor, actor_label)


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
def open_round(year: int, number: int | None, *, scheme: str = Scheme.OUTSOURCING,
               framework_version=None, title: str = "", period_text: str = "", start=None,
               end=None, subjects_total: int | None = None, actor=None,
               actor_label: str = "") -> Round:
    """Get or create the (draft) round ``number`` of ``year`` in ``scheme`` (and the
    year), scored under ``framework_version`` (for outsourcing rounds: the published-total
    version unless given)."""
    from seonggwa.evaluations.models import EvaluationYear

    ey, _created = EvaluationYear.objects.get_or_create(year=year)
    rnd = Round.objects.filter(year=ey, scheme=scheme, number=number).first()
    if rnd is not None:
        if framework_version is not None:
            frameworks.set_round_framework(rnd, framework_version, actor=actor,
                                           actor_label=actor_label)
        return rnd
    if framework_version is None and scheme == Scheme.OUTSOURCING:
        framework_version = frameworks.preset_version(frameworks.OUTSOURCING_TOTALS_PRESET)
    rnd = Round(year=ey, scheme=scheme, number=number, title=title, period_text=period_text,
                start=start, end=end, subjects_total=subjects_total, status=Status.DRAFT,
                framework_version=framework_version)
    rnd.full_clean(exclude=["year", "framework_version"])
    rnd.save()
    record("round.open", rnd, after={"year": year, "number": number, "scheme": scheme,
                                     "status": rnd.status,
                                     "framework_version": str(framework_version or "")},
           **_actor_kwargs(actor, actor_label))
    return rnd
