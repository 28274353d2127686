"""Release, objection, re-review and the final lock — the appeals part of the evaluation,
in one place (views, the scheduler and commands call these; none sets a state itself).

1. :func:`outgoing` — the messages a release would send: one per pending (draft,
   not yet released) result, with grade, total, decision and the objection deadline.
2. :func:`release` — sends them together: in-app notices and e-mails to the evaluated
   organisations' users (:mod:`.parties`), the notice recorded on the schedule's
   ``notification`` window, the objection window opened from the notified date. A
   framework without an objection (:func:`.rules.appeal_rule`) makes the results final
   and locked on release.
3. :func:`file_objection` — once per result, within the window, by the evaluated
   organisation, with reasons and files.
4. :func:`decide` — the panel's re-review, recorded by the officer: upheld, or revised
   (revised ratings through ``inputs.record_ratings`` and ``workflow.rescore``), with
   reasons; then the result is finalised and locked, and the organisation told.
5. :func:`lapse` — no objection by the window's close: final and locked (run by the
   scheduler through ``schedules.signals.window_closed``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from seonggwa.accounts.models import Role
from seonggwa.appeals.domain import files as evidence
from seonggwa.appeals.domain import notices, parties
from seonggwa.appeals.domain.machine import APPEAL
from seonggwa.appeals.domain.rules import appeal_rule
from seonggwa.appeals.models import (
    Appeal,
    AppealState,
    Objection,
    ObjectionFile,
    Outcome,
    Release,
    ResultLock,
)
from seonggwa.appeals.models.appeals import REASONS_MAX
from seonggwa.core.audit import record_many, resolve_actor
from seonggwa.core.statemachine import TransitionRefused
from seonggwa.evaluations.domain import inputs, workflow
from seonggwa.evaluations.domain.decisions import decision_label
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.domain.frameworks import framework_for
from seonggwa.evaluations.models import Rating, Result, Round, Status
from seonggwa.schedules.domain import windows

NOTIFICATION = "notification"
TICK = "tick"


# --------------------------------------------------------------------------- messages

def _score(value) -> str:
    return format(value, "f") if value is not None else "–"


def band_label(framework, code: str) -> str:
    for band in framework.bands:
        if band.code == code:
            return band.label
    return code


@dataclass
class Outgoing:
    """One message of a release: what the evaluated organisation will be told."""

    result: Result
    grade: str
    total: str
    scale_max: str
    decision: str
    deadline: date | None  # the last day to object (None: no objection)
    deadline_how: str
    recipients: list = field(default_factory=list)

    def text(self, round_: Round) -> str:
        lines = [
            _("%(round)s %(subject)s 평가 결과를 알려 드립니다.")
            % {"round": round_, "subject": self.result.subject},
            _("총점: %(total)s점 (만점 %(max)s점)") % {"total": self.total, "max": self.scale_max},
            _("등급: %(grade)s") % {"grade": self.grade or "–"},
            _("판정: %(decision)s") % {"decision": self.decision or _("해당 없음")},
        ]
        if self.deadline:
            lines.append(_("이의신청: %(due)s까지 한 번 신청할 수 있습니다 (%(how)s).")
                         % {"due": self.deadline.isoformat(), "how": self.deadline_how})
        else:
            lines.append(_("이 평가에는 이의신청 절차가 없어 통보와 함께 결과가 확정됩니다."))
        return "\n".join(lines)


def pending_results(round_: Round):
    """The round's results not yet released: drafts without an appeal process."""
    return (Result.objects.filter(round=round_, status=Status.DRAFT, appeal__isnull=True)
            .select_related("subject", "round__year", "framework_version", "service")
            .order_by("subject__name", "pk"))


def _objection_deadline(round_: Round, code: str, today: date) -> tuple[date | None, str]:
    """The last day to object if notified ``today``, and how it is counted."""
    rule = windows.rules_of(round_).get(code)
    if rule is None:
        return None, ""
    counted = windows.count(today, rule.days, rule.unit, start_label=_("통보일"),
                            rule_label=rule.label)
    return counted.due, counted.explain("ko")


def outgoing(round_: Round, *, today: date | None = None,
             results: Sequence[Result] | None = None) -> list[Outgoing]:
    """The messages releasing the round's pending results ``today`` would send."""
    today = today or windows.current_date()
    results = list(pending_results(round_) if results is None else results)
    if not results:
        return []
    framework = framework_for(round_)
    rule = appeal_rule(framework)
    deadline, how = (_objection_deadline(round_, rule.window, today) if rule.allowed
                     else (None, ""))
    recipients = parties.recipients(results)
    return [Outgoing(result=r, grade=band_label(framework, r.band_code), total=_score(r.score),
                     scale_max=_score(r.scale_max),
                     decision=decision_label(r.decision_code, framework, lang="ko"),  # sent
                     deadline=deadline, deadline_how=how, recipients=recipients[r.pk])
            for r in results]


def refusal_to_release(round_: Round) -> str | None:
    """Why the round's results cannot be released now, or ``None``."""
    if round_.framework_version_id is None:
        return _("%(round)s에 평가틀 버전이 지정되지 않았습니다.") % {"round": round_}
    rule = appeal_rule(framework_for(round_))
    if rule.allowed and rule.window not in windows.rules_of(round_):
        return _("평가틀에 이의신청 기한 규칙이 없어 이의신청 기간을 정할 수 없습니다. "
                 "평가틀의 기한 규칙을 먼저 고치십시오.")
    return None


# --------------------------------------------------------------------------- release

class StaleRelease(WorkflowError):
    """The pending results changed since the officer reviewed them."""


@transaction.atomic
def release(round_: Round, *, expected: int, actor, actor_label: str = "",
            today: date | None = None) -> Release:
    """Release every pending result of ``round_`` together (see the module docstring).

    ``expected`` is the number of messages the officer reviewed: if the pending results
    are not that many any more, nothing is sent (:class:`StaleRelease`)."""
    today = today or windows.current_date()
    round_ = Round.objects.select_for_update().select_related("year").get(pk=round_.pk)
    refusal = refusal_to_release(round_)
    if refusal:
        raise WorkflowError(refusal)
    results = list(pending_results(round_).select_for_update(of=("self",)))
    if len(results) != expected:
        raise StaleRelease(_("확인하신 뒤 통보할 결과가 %(before)s건에서 %(now)s건으로 바뀌었습니다. "
                             "아래 내용을 다시 확인하십시오.")
                           % {"before": expected, "now": len(results)})
    if not results:
        raise WorkflowError(_("통보할 결과가 없습니다."))
    rule = appeal_rule(framework_for(round_))
    messages = {m.result.pk: m for m in outgoing(round_, today=today, results=results)}
    _record_notification(round_, results, today, actor, actor_label)
    if rule.allowed:
        _open_objection_windows(round_, results, rule.window, today, messages, actor,
                                actor_label)
    user, label = resolve_actor(actor, actor_label)
    batch = Release.objects.create(round=round_, released_on=today, actor=user,
                                   actor_label=label, count=len(results))
    appeals = Appeal.objects.bulk_create([
        Appeal(result=r, release=batch, notified_on=today,
               message=_message_json(messages[r.pk])) for r in results], batch_size=2000)
    for appeal, result in zip(appeals, results, strict=True):
        appeal.result = result
    record_many([("appeal.release", a, None, {"state": a.state, **a.message})
                 for a in appeals], actor=actor, actor_label=actor_label)
    notices.send(notices.Message(user=u, title=_("[평가 결과 통보] %(subject)s")
                                 % {"subject": a.result.subject},
                                 body=messages[a.result.pk].text(round_),
                                 url=reverse("office:appeals_case", args=[a.pk]),
                                 result=a.result)
                 for a in appeals for u in messages[a.result.pk].recipients)
    if not rule.allowed:
        _finalise(appeals, "lapse", Outcome.NOT_ALLOWED, actor=actor, actor_label=actor_label)
    return batch


def _message_json(m: Outgoing) -> dict:
    return {"grade": m.grade, "total": m.total, "scale_max": m.scale_max,
            "decision": m.decision,
            "deadline": m.deadline.isoformat() if m.deadline else "",
            "deadline_how": m.deadline_how}


def _record_notification(round_, results, today, actor, actor_label) -> None:
    """The notice is recorded on each subject's notification window, else on the round's
    (once), where the schedule has one — the windows found in one query, as
    ``windows.get_window`` would find each."""
    from seonggwa.schedules.models import Window

    found = {w.subject_id: w for w in Window.objects.filter(
        round=round_, code=NOTIFICATION).filter(
        Q(subject__isnull=True) | Q(subject__in=[r.subject_id for r in results]))}
    targets = {}
    for r in results:
        window = found.get(r.subject_id) or found.get(None)
        if window is not None:
            targets[window.pk] = window
    for window in targets.values():
        windows.record_notice(window, today, actor=actor, actor_label=actor_label)


def _open_objection_windows(round_, results, code, today, messages, actor,
                            actor_label) -> None:
    """Each subject's objection window, counted from the notified date; the message
    states the window's due date as stored."""
    for r in results:
        try:
            window = windows.open_rule_window(round_, r.subject, code, start=today,
                                              actor=actor, actor_label=actor_label)
        except ValidationError as exc:
            raise WorkflowError(exc.messages) from None
        messages[r.pk].deadline = window.due_on
        messages[r.pk].deadline_how = windows.explain(window, "ko")


# --------------------------------------------------------------------------- finalising

def _finalise(appeals: list[Appeal], transition: str, outcome: str, *, actor,
              actor_label: str = "", reason: str = "") -> None:
    """Move ``appeals`` to final along ``transition``, finalise their results and lock
    them."""
    now = timezone.now()
    try:
        if len(appeals) == 1:  # one save writes the state and the outcome
            appeal = appeals[0]
            appeal.outcome, appeal.decided_at, appeal.decision_reason = outcome, now, reason
            APPEAL.fire(appeal, transition, actor=actor, actor_label=actor_label,
                        reason=reason, update_fields=("outcome", "decided_at",
                                                      "decision_reason"))
        else:
            APPEAL.fire_many(appeals, transition, actor=actor, actor_label=actor_label,
                             reason=reason)
            Appeal.objects.filter(pk__in=[a.pk for a in appeals]).update(
                outcome=outcome, decided_at=now, decision_reason=reason)
            for a in appeals:
                a.outcome, a.decided_at, a.decision_reason = outcome, now, reason
    except TransitionRefused as exc:
        raise WorkflowError(exc.messages) from None
    results = list(Result.objects.filter(pk__in=[a.result_id for a in appeals])
                   .select_related("round__year", "subject"))
    workflow.finalise_results(results, actor, actor_label)
    ResultLock.objects.bulk_create([ResultLock(result_id=a.result_id, appeal=a)
                                    for a in appeals], batch_size=2000)
    record_many([("result.lock", r, None, {"locked": True, "outcome": outcome})
                 for r in results], actor=actor, actor_label=actor_label, reason=reason)


def _locked_appeal(appeal: Appeal) -> Appeal:
    return (Appeal.objects.select_for_update(of=("self",))
            .select_related("result__round__year", "result__round__framework_version",
                            "result__subject", "result__service")
            .get(pk=appeal.pk))


# --------------------------------------------------------------------------- objection

def _clean_reasons(reasons: str, what: str) -> str:
    text = (reasons or "").replace("\r\n", "\n").strip()
    if not text:
        raise WorkflowError(_("%(what)s를 적어 주십시오.") % {"what": what})
    if "\x00" in text:
        raise WorkflowError(_("%(what)s에 쓸 수 없는 문자(NUL)가 들어 있습니다.") % {"what": what})
    if len(text) > REASONS_MAX:
        raise WorkflowError(_("%(what)s는 %(max)s자까지 쓸 수 있습니다 (지금 %(n)s자).")
                            % {"what": what, "max": REASONS_MAX, "n": len(text)})
    return text


def _already_objected(appeal: Appeal) -> str:
    objection = appeal.objection
    return (_("이 결과에는 이미 %(on)s에 %(org)s의 이의신청이 접수되었습니다. 이의신청은 결과마다 "
              "한 번만 할 수 있습니다.")
            % {"on": objection.filed_on.isoformat(), "org": objection.organisation})


def file_objection(appeal: Appeal, user, reasons: str, uploads: Sequence = (), *,
                   today: date | None = None) -> Objection:
    """The evaluated organisation's one objection against a released result.

    Refused, with the reason and nothing stored: a second objection, one after the
    window (or before it opens), one in another organisation's name, one where the
    framework allows none, empty or over-long reasons, a file too large or of the wrong
    type."""
    today = today or windows.current_date()
    reasons = _clean_reasons(reasons, _("이의신청 사유"))
    checked = evidence.check_all(uploads)
    stored: list[str] = []
    try:
        with transaction.atomic():
            appeal = _locked_appeal(appeal)
            result = appeal.result
            org = parties.acting_organisation(user, result)
            if org is None:
                raise WorkflowError(_("%(subject)s은(는) 평가받은 기관의 사용자만 이의신청할 수 "
                                      "있습니다.") % {"subject": result.subject})
            if Objection.objects.filter(appeal=appeal).exists():
                raise WorkflowError(_already_objected(appeal))
            rule = appeal_rule(framework_for(result.round))
            if not rule.allowed:
                raise WorkflowError(_("이 평가의 평가틀에는 이의신청 절차가 없습니다."))
            refusal = APPEAL.refusal(appeal, "object", reason=reasons)
            if refusal:
                raise WorkflowError(refusal)
            try:
                windows.require_open(result.round, result.subject, rule.window, today=today)
            except ValidationError as exc:
                raise WorkflowError(exc.messages) from None
            objection = Objection.objects.create(appeal=appeal, organisation=org,
                                                 filed_by=user, filed_on=today,
                                                 reasons=reasons)
            for upload, kind, digest in checked:
                row = ObjectionFile(objection=objection, name=evidence.display_name(upload),
                                    size=upload.size, kind=kind, sha256=digest)
                row.file.save(evidence.storage_name(kind), upload, save=False)
                stored.append(row.file.name)
                row.save()
            APPEAL.fire(appeal, "object", actor=user, reason=reasons)
            _tell_officers(appeal, objection)
    except IntegrityError:  # another session filed the same result's objection first
        evidence.discard(stored)
        appeal.refresh_from_db()
        raise WorkflowError(_already_objected(appeal)) from None
    except BaseException:
        evidence.discard(stored)
        raise
    return objection


def _tell_officers(appeal: Appeal, objection: Objection) -> None:
    from django.contrib.auth import get_user_model

    officers = get_user_model().objects.filter(is_active=True, profile__role=Role.OFFICER)
    notices.send(notices.Message(
        user=u, title=_("[이의신청 접수] %(subject)s") % {"subject": appeal.result.subject},
        body=_("%(org)s이(가) %(on)s에 %(round)s %(subject)s 평가 결과에 이의신청했습니다. "
               "평가단의 재심의 결과를 기록해 주십시오.")
        % {"org": objection.organisation, "on": objection.filed_on.isoformat(),
           "round": appeal.result.round, "subject": appeal.result.subject},
        url=reverse("office:appeals_case", args=[appeal.pk]), result=appeal.result)
        for u in officers)


# --------------------------------------------------------------------------- re-review

@dataclass(frozen=True)
class RevisedRating:
    """A panel member's rating of one indicator as the re-review revised it."""

    indicator: str
    evaluator_label: str
    value: object


@transaction.atomic
def decide(appeal: Appeal, outcome: str, reason: str, *, actor, actor_label: str = "",
           revised: Sequence[RevisedRating] = ()) -> Appeal:
    """Record the panel's re-review of an objected result and make the result final.

    ``outcome`` is ``upheld`` (the result stands) or ``revised`` (``revised`` ratings
    replace the members' current ones through ``inputs.record_ratings``, the result is
    rescored through ``workflow.rescore``; at least one rating must change). Either way
    the reason is required, the result is finalised and locked, and the evaluated
    organisation is told."""
    reason = _clean_reasons(reason, _("재심의 사유"))
    appeal = _locked_appeal(appeal)
    transition = {Outcome.UPHELD: "uphold", Outcome.REVISED: "revise"}.get(outcome)
    if transition is None:
        raise WorkflowError(_("재심의 결과는 원안 유지 또는 수정 중 하나입니다."))
    refusal = APPEAL.refusal(appeal, transition, reason=reason)
    if refusal:
        raise WorkflowError(refusal)
    result = appeal.result
    before = {"score": result.score, "band": result.band_code}
    if outcome == Outcome.REVISED:
        _revise(appeal, revised, actor=actor, actor_label=actor_label, reason=reason)
    _finalise([appeal], transition, outcome, actor=actor, actor_label=actor_label,
              reason=reason)
    result.refresh_from_db()
    _tell_outcome(appeal, result, before, reason)
    return appeal


def _revise(appeal: Appeal, revised: Sequence[RevisedRating], *, actor, actor_label: str,
            reason: str) -> None:
    result = appeal.result
    current = {(r.indicator, r.evaluator_label): r for r in Rating.objects.filter(
        round=result.round, subject=result.subject, superseded_at__isnull=True)}
    entries = []
    for item in revised:
        old = current.get((item.indicator, item.evaluator_label))
        if old is None:
            raise WorkflowError(_("재심의로 고칠 수 있는 것은 이미 낸 점수뿐입니다: %(who)s의 %(code)s")
                                % {"who": item.evaluator_label, "code": item.indicator})
        value = inputs.check_rating(framework_for(result.round), item.indicator, item.value)
        if value != old.value:
            entries.append(inputs.RatingEntry(result.subject, item.indicator, value,
                                              old.evaluator_label, old.evaluator))
    if not entries:
        raise WorkflowError(_("수정 의결에는 바뀐 점수가 하나 이상 있어야 합니다. 점수를 그대로 "
                              "두려면 '원안 유지'를 고르십시오."))
    inputs.record_ratings(result.round, entries, actor=actor, actor_label=actor_label)
    workflow.rescore(result.round, [result.subject], actor=actor, actor_label=actor_label)


def _tell_outcome(appeal: Appeal, result: Result, before: dict, reason: str) -> None:
    framework = framework_for(result.round)
    if appeal.outcome == Outcome.REVISED:
        what = (_("재심의 결과 점수가 %(before)s점에서 %(after)s점(%(grade)s)으로 수정되었습니다.")
                % {"before": _score(before["score"]), "after": _score(result.score),
                   "grade": band_label(framework, result.band_code)})
    else:
        what = (_("재심의 결과 원래 결과(%(score)s점, %(grade)s)가 유지되었습니다.")
                % {"score": _score(result.score),
                   "grade": band_label(framework, result.band_code)})
    body = "\n".join([
        _("%(round)s %(subject)s 이의신청에 대한 평가단 재심의가 끝났습니다.")
        % {"round": result.round, "subject": result.subject},
        what, _("사유: %(reason)s") % {"reason": reason},
        _("이 결과는 최종 확정되어 더 이상 바뀌지 않습니다.")])
    users = parties.recipients([result])[result.pk]
    notices.send(notices.Message(user=u, title=_("[재심의 결과] %(subject)s")
                                 % {"subject": result.subject}, body=body,
                                 url=reverse("office:appeals_case", args=[appeal.pk]),
                                 result=result) for u in users)


# --------------------------------------------------------------------------- lapse

def objection_over(appeal: Appeal, today: date) -> bool:
    """Whether no objection can come any more: the framework allows none, or the
    result's objection window has closed."""
    result = appeal.result
    rule = appeal_rule(framework_for(result.round))
    if not rule.allowed:
        return True
    window = windows.get_window(result.round, result.subject, rule.window)
    return window is not None and today > window.due_on


@transaction.atomic
def lapse(appeals: Sequence[Appeal], *, today: date | None = None, actor=None,
          actor_label: str = TICK) -> list[Appeal]:
    """Finalise and lock the released results of ``appeals`` that got no objection and
    can get none any more; others are left as they are. Returns those finalised."""
    today = today or windows.current_date()
    return _lapse(Appeal.objects.filter(pk__in=[a.pk for a in appeals]),
                  lambda a: objection_over(a, today), actor=actor, actor_label=actor_label)


def _lapse(candidates, over, *, actor=None, actor_label: str = TICK) -> list[Appeal]:
    """Lock the notified appeals among ``candidates`` and finalise those ``over`` says
    can get no objection any more."""
    locked = list(candidates.select_for_update(of=("self",))
                  .filter(state=AppealState.NOTIFIED)
                  .select_related("result__round__year", "result__round__framework_version",
                                  "result__subject"))
    due = [a for a in locked if over(a)]
    if due:
        _finalise(due, "lapse", Outcome.LAPSED, actor=actor, actor_label=actor_label)
    return due


#: framework version id -> the code of its objection window ("" without an objection).
#: Stored versions never change, so each is read once per process.
_WINDOW_CODES: dict[int, str] = {}


def _objection_code(version_id: int | None) -> str:
    if version_id is None:
        return ""
    if version_id not in _WINDOW_CODES:
        from seonggwa.evaluations.models import FrameworkVersion

        framework = FrameworkVersion.objects.get(pk=version_id).framework
        _WINDOW_CODES[version_id] = appeal_rule(framework).window
    return _WINDOW_CODES[version_id]


def on_window_closed(sender, window, **kwargs) -> None:
    """``schedules.signals.window_closed``: an objection window closed — the results it
    covered that got no objection become final. Other windows cost no query, and an
    objection window with no result waiting one light query (the scheduler closes
    thousands at once; locking and loading the appeals costs four times as much)."""
    if window.code != _objection_code(window.round.framework_version_id):
        return
    appeals = Appeal.objects.filter(result__round_id=window.round_id,
                                    state=AppealState.NOTIFIED)
    if window.subject_id is not None:
        appeals = appeals.filter(result__subject_id=window.subject_id)
    if appeals.exists():
        _lapse(appeals, lambda a: True)  # the window's close is the proof



