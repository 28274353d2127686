"""Notification and the one appeal, in the office.

- notices: each user's own notices, unread first counted, marked read on request;
- the appeals index: an officer's rounds with results waiting to be released and the
  objections waiting for a re-review; an evaluated organisation's notified results;
- a round's release: every outgoing message (grade, total, decision, the objection
  deadline, who receives it) reviewed on one page, then released together — refused
  (409) when the pending results changed since the page was loaded;
- one appeal: what was notified, the objection form (the organisation, within its
  window), the re-review form (the officer: upheld or revised, with reasons and the
  revised ratings), and the trail.

State changes only on POST through :mod:`seonggwa.appeals.domain.process`; forms carry
the version they were loaded at (:mod:`seonggwa.core.concurrency`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from seonggwa.access.appeals import releasable_rounds, visible_appeals
from seonggwa.appeals.domain import notices, process
from seonggwa.appeals.domain.machine import APPEAL
from seonggwa.appeals.models import Appeal, AppealState, Notice, ObjectionFile, Outcome
from seonggwa.appeals.vocabulary import PART
from seonggwa.core import concurrency, vocabulary
from seonggwa.core.listing import paginate
from seonggwa.evaluations.domain.decisions import decision_label
from seonggwa.evaluations.domain.frameworks import framework_for
from seonggwa.evaluations.interfaces import presentation
from seonggwa.evaluations.models import Rating, Round, Status
from seonggwa.schedules.domain import windows

from .. import trail
from ..access import Perm, require
from ..actions import attempt
from ..forms.appeals import DecisionForm, ObjectionForm

NOTICES_PER_PAGE = 50
APPEALS_PER_PAGE = 100


# ----------------------------------------------------------------------------- notices

@require_http_methods(["GET", "POST"])
@require(Perm.NOTICES)
def notice_list(request):
    """The user's notices, newest first; POST marks one (``notice``) or all read."""
    if request.method == "POST":
        raw = request.POST.get("notice", "")
        ids = [int(raw)] if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None
        if raw and ids is None:
            messages.error(request, _("알림을 찾을 수 없습니다."))
        else:
            notices.mark_read(request.user, ids)
        return redirect("office:appeals_notices")
    page = paginate(request, Notice.objects.filter(user=request.user), NOTICES_PER_PAGE)
    return render(request, "office/appeals/notices.html", {
        "nav": "notices", "page": page, "notices": page.object_list,
        "unread": notices.unread_count(request.user)})


# ----------------------------------------------------------------------------- index

@require_safe
@require(Perm.OFFICE)
def appeal_index(request):
    """Officers: rounds with results to release and objections to re-review.
    Evaluated organisations: their notified results."""
    user = request.user
    appeals = (visible_appeals(user, Appeal.objects.all())
               .select_related("result__subject", "result__round__year", "objection")
               .order_by("state", "-notified_on", "pk"))
    page = paginate(request, appeals, APPEALS_PER_PAGE)
    rounds = []
    if user.has_perm("appeals.release_results"):
        for rnd in (releasable_rounds(user, Round.objects.filter(status=Status.DRAFT))
                    .select_related("year").order_by("-year__year", "scheme", "number")):
            pending = process.pending_results(rnd).count()
            if pending:
                rounds.append((rnd, pending))
    presentation.label_decisions(a.result for a in page.object_list)  # score decimals
    return render(request, "office/appeals/index.html", {
        "nav": "appeals", "rounds": rounds, "page": page, "appeals": page.object_list,
        "officer": user.has_perm("appeals.release_results")})


# ----------------------------------------------------------------------------- release

@require_http_methods(["GET", "POST"])
@require(Perm.OFFICE)
def release_round(request, pk: int):
    """Review every outgoing message of a round (GET) and release them together (POST)."""
    rnd = Round.objects.select_related("year", "framework_version").filter(pk=pk).first()
    if rnd is None:
        raise Http404(_("볼 수 있는 평가 차수가 아닙니다."))
    if not request.user.has_perm("appeals.release_results", rnd):
        raise PermissionDenied
    today = windows.current_date()
    problem, status = None, 200
    if request.method == "POST":
        confirmed = request.POST.get("count", "")

        def release(_none):
            if not (confirmed.isascii() and confirmed.isdigit() and len(confirmed) <= 9):
                raise process.StaleRelease(_("확인한 결과 수가 없습니다. 화면을 다시 불러와 "
                                             "확인하십시오."))
            return process.release(rnd, expected=int(confirmed), actor=request.user,
                                   today=today)

        done = attempt(request, release, conflicts=(process.StaleRelease,))
        if done.ok:
            messages.success(request, _("%(round)s 결과 %(n)s건을 통보했습니다.")
                             % {"round": rnd, "n": done.value.count})
            return redirect("office:appeals_release", pk=rnd.pk)
        problem, status = done.joined(), done.status
    refusal = process.refusal_to_release(rnd)
    outgoing = [] if refusal else process.outgoing(rnd, today=today)
    released = (Appeal.objects.filter(result__round=rnd)
                .select_related("result__subject", "objection").order_by("result__subject__name"))
    return render(request, "office/appeals/release.html", {
        "nav": "appeals", "round": rnd, "outgoing": outgoing, "count": len(outgoing),
        "refusal": refusal, "problem": problem, "today": today, "released": released,
    }, status=status)


# ----------------------------------------------------------------------------- one appeal

@dataclass
class RatingCell:
    field: str
    indicator: str
    evaluator: str
    value: object
    name: str  # the indicator's name in the framework


def _rating_cells(appeal: Appeal) -> list[RatingCell]:
    result = appeal.result
    framework = framework_for(result.round)
    rows = Rating.objects.filter(round=result.round, subject=result.subject,
                                 superseded_at__isnull=True).order_by("indicator",
                                                                      "evaluator_label")
    return [RatingCell(f"rating-{r.pk}", r.indicator, r.evaluator_label, r.value,
                       framework.indicator(r.indicator).name) for r in rows]


def _revised(post, cells: list[RatingCell]) -> list[process.RevisedRating]:
    return [process.RevisedRating(c.indicator, c.evaluator, post.get(c.field, "").strip()[:40])
            for c in cells if post.get(c.field, "").strip() != ""]


def _appeal(user, pk: int) -> Appeal:
    appeal = (visible_appeals(user, Appeal.objects.all())
              .select_related("result__subject", "result__round__year",
                              "result__round__framework_version", "release")
              .filter(pk=pk).first())
    if appeal is None:
        raise Http404(_("볼 수 있는 이의신청 건이 아닙니다."))
    return appeal


@require_http_methods(["GET", "POST"])
@require(Perm.OFFICE)
def appeal_case(request, pk: int):
    user = request.user
    appeal = _appeal(user, pk)
    may_object = (user.has_perm("appeals.file_objection", appeal)
                  and appeal.state == AppealState.NOTIFIED)
    may_decide = (user.has_perm("appeals.decide_appeal", appeal)
                  and appeal.state == AppealState.OBJECTED)
    objection_form = ObjectionForm() if may_object else None
    decision_form = DecisionForm() if may_decide else None
    cells = _rating_cells(appeal) if may_decide else []
    version = concurrency.version_of(appeal)
    status = 200
    if request.method == "POST":
        kind = request.POST.get("form")
        if kind == "objection" and user.has_perm("appeals.file_objection", appeal):
            objection_form = ObjectionForm(request.POST)
            status, version = _object(request, appeal, objection_form, version)
        elif kind == "decision" and user.has_perm("appeals.decide_appeal", appeal):
            decision_form = DecisionForm(request.POST)
            status, version = _decide(request, appeal, decision_form, cells, version)
        else:
            raise PermissionDenied
        if status == 302:
            return redirect("office:appeals_case", pk=appeal.pk)
        objection_form = objection_form if may_object or kind == "objection" else None
    presentation.label_decisions([appeal.result])  # score decimals
    return render(request, "office/appeals/case.html", {
        "nav": "appeals", "appeal": appeal, "result": appeal.result,
        "objection": getattr(appeal, "objection", None) if _has_objection(appeal) else None,
        "window": _window(appeal), "objection_form": objection_form,
        "decision_form": decision_form, "cells": cells, "version": version,
        "window_refusal": _window_refusal(appeal) if may_object else None,
        "trail": _trail(appeal), "locked": _locked(appeal),
        "outcome_label": Outcome(appeal.outcome).label if appeal.outcome else "",
    }, status=status)


def _has_objection(appeal: Appeal) -> bool:
    try:
        appeal.objection  # noqa: B018 - a reverse one-to-one: absent raises
    except Appeal.objection.RelatedObjectDoesNotExist:
        return False
    return True


def _locked(appeal: Appeal) -> bool:
    try:
        appeal.lock  # noqa: B018
    except Appeal.lock.RelatedObjectDoesNotExist:
        return False
    return True


def _window(appeal: Appeal):
    result = appeal.result
    rule_window = process.appeal_rule(framework_for(result.round)).window
    if not rule_window:
        return None
    window = windows.get_window(result.round, result.subject, rule_window)
    if window is not None:
        window.how = windows.explain(window)
    return window


def _window_refusal(appeal: Appeal) -> str | None:
    result = appeal.result
    rule = process.appeal_rule(framework_for(result.round))
    if not rule.allowed:
        return _("이 평가의 평가틀에는 이의신청 절차가 없습니다.")
    try:
        windows.require_open(result.round, result.subject, rule.window)
    except ValidationError as exc:  # DeadlineRefused: not open yet, or closed, and how
        return " ".join(exc.messages)
    return None


def _object(request, appeal: Appeal, form: ObjectionForm, version: int) -> tuple[int, int]:
    if not form.is_valid():
        return 400, concurrency.posted(request.POST) or version
    done = attempt(request, lambda fresh: process.file_objection(
        fresh, request.user, form.cleaned_data["reasons"], request.FILES.getlist("files")),
        appeal, form=form)
    if not done.ok:
        return done.status, done.version_or(concurrency.posted(request.POST) or version)
    messages.success(request, _("이의신청을 접수했습니다. 평가단이 재심의한 뒤 결과를 알려 드립니다."))
    return 302, version


def _decide(request, appeal: Appeal, form: DecisionForm, cells, version: int) -> tuple[int, int]:
    if not form.is_valid():
        return 400, concurrency.posted(request.POST) or version
    data = form.cleaned_data
    done = attempt(request, lambda fresh: process.decide(
        fresh, data["outcome"], data["reason"], actor=request.user,
        revised=_revised(request.POST, cells) if data["outcome"] == Outcome.REVISED else ()),
        appeal, form=form)
    if not done.ok:
        return done.status, done.version_or(concurrency.posted(request.POST) or version)
    messages.success(request, _("재심의 결과를 기록했습니다. 결과가 최종 확정되어 잠겼고, 평가받은 "
                                "기관에 알렸습니다."))
    return 302, version


@require_safe
@require(Perm.OFFICE)
def objection_file(request, pk: int, file_id: int):
    """An objection's evidence file, for the officer and the evaluated organisation."""
    appeal = _appeal(request.user, pk)
    row = ObjectionFile.objects.filter(pk=file_id, objection__appeal=appeal).first()
    if row is None:
        raise Http404(_("첨부 파일을 찾을 수 없습니다."))
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.name)


# ----------------------------------------------------------------------------- trail

#: The records of an appeal, said with the fields below (the others as the office trail
#: says them).
RECORDS = ("appeal.release", "appeal.object", "appeal.uphold", "appeal.revise", "appeal.lapse",
           "result.lock", "rating.record")
#: The recorded fields an appeal's trail shows, in words.
SHOWN = ("state", "grade", "total", "scale_max", "decision", "deadline", "deadline_how",
         "score", "band_code", "decision_code", "locked", "outcome")


def _value(key: str, value, framework) -> str:
    if value in (None, ""):
        return "–"
    if key == "state":
        return APPEAL.state_label(value)
    if key == "outcome":
        return str(dict(Outcome.choices).get(value, value))
    if key == "band_code":
        return process.band_label(framework, value)
    if key == "decision_code":
        return decision_label(value, framework)
    if key == "locked":
        return _("예") if value is True or value == "True" else _("아니오")
    return str(value)


def _appeal_entry(event, framework) -> trail.Entry:
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    changes = [trail.Change(trail.field_label(None, k, part=PART),
                            _value(k, before.get(k), framework) if before else "",
                            _value(k, after.get(k), framework))
               for k in dict.fromkeys([*before, *after])
               if k in SHOWN and before.get(k) != after.get(k)]
    return trail.Entry(event=event, who=concurrency.who(event), when=concurrency.when(event),
                       what=vocabulary.action_label(event.action) or _("변경"), changes=changes,
                       reason=event.reason)


def _trail(appeal: Appeal) -> list[trail.Entry]:
    """The appeal's and its result's trail, newest first, in words."""
    framework = framework_for(appeal.result.round)
    labels = trail.code_labels(appeal.result.round)  # grades, decisions in words
    events = (concurrency.events_for(appeal, appeal.result).select_related("actor")
              .order_by("-at", "-id")[:200])
    return [_appeal_entry(e, framework) if e.action in RECORDS else trail.entry(e, labels)
            for e in events]
