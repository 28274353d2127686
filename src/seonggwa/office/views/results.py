"""One result in the office: its state, the transitions the official may make
(확정, 공개) with the reason when one is not possible now, the score form of a draft, the
correction form (정정, reason required) of a finalised or published result, and its
audit trail.

State changes only on POST, through :mod:`seonggwa.evaluations.domain.workflow`, and only
for officers (``evaluations.change_result`` / ``publish_result`` / ``correct_result``);
every form carries the version it was loaded at (:mod:`seonggwa.core.concurrency`), so a
second official's save never silently overwrites the first's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from seonggwa.core import concurrency
from seonggwa.evaluations.domain import lifecycle, workflow
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.interfaces import presentation
from seonggwa.evaluations.models import Result

from .. import trail
from ..access import Perm, require, visible_results
from ..actions import attempt
from ..forms.results import CorrectionForm, ResultScoreForm

#: The permission each result transition needs.
TRANSITION_PERMS = {"finalise": "evaluations.change_result",
                    "publish": "evaluations.publish_result"}


@dataclass
class Action:
    """A transition button: may it fire now, and if not, why not."""

    name: str
    label: str
    refusal: str | None
    url: str


def ahead(machine, obj, transition) -> bool:
    """Whether ``transition`` leads past ``obj``'s state (a published result is not
    offered 확정 again: that step is behind it)."""
    order = list(machine.states)
    return order.index(transition.target) > order.index(getattr(obj, machine.field))


def result_actions(user, result: Result) -> list[Action]:
    """The result transitions ahead of its state that ``user`` may make, each with the
    reason it cannot fire now (``None``: it can). Empty for anyone but officers."""
    actions = []
    for t in lifecycle.RESULT.transitions:
        perm = TRANSITION_PERMS.get(t.name)
        if perm is None or not user.has_perm(perm, result):
            continue
        if not ahead(lifecycle.RESULT, result, t):
            continue
        actions.append(Action(t.name, str(t.label), lifecycle.RESULT.refusal(result, t.name),
                              reverse("office:result_transition", args=[result.pk, t.name])))
    return actions


def _result(user, pk: int) -> Result:
    result = (visible_results(user, Result.objects.all())
              .select_related("round", "round__year", "round__framework_version", "subject",
                              "service", "department", "framework_version")
              .filter(pk=pk).first())
    if result is None or not user.has_perm("evaluations.view_result", result):
        raise Http404(_("볼 수 있는 평가 결과가 아닙니다."))
    return result


def _scored_by_total(result: Result) -> bool:
    """Whether the result's total is entered as one number (outsourcing totals)."""
    try:
        workflow.total_indicator(result.round.framework_version.framework)
    except (WorkflowError, AttributeError):
        return False
    return True


def _next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _may_see_trail(user, result: Result) -> bool:
    if user.has_perm("evaluations.change_result", result):
        return True
    return result.service is not None and user.has_perm("registry.view_decision_sheet",
                                                        result.service)


@require_http_methods(["GET", "POST"])
@require(Perm.OFFICE)
def result_detail(request, pk: int):
    user = request.user
    result = _result(user, pk)
    may_edit = user.has_perm("evaluations.change_result", result) and not result.is_locked
    may_correct = user.has_perm("evaluations.correct_result", result)
    by_total = _scored_by_total(result)
    version = concurrency.version_of(result)
    score_form = correction_form = None
    if by_total and may_edit:
        score_form = ResultScoreForm(initial={"score": result.score, "remark": result.remark})
    if by_total and may_correct:
        correction_form = CorrectionForm(initial={"score": result.score,
                                                  "remark": result.remark})
    status = 200
    if request.method == "POST":
        kind = request.POST.get("form")
        if kind == "score" and may_edit and by_total:
            score_form = ResultScoreForm(request.POST)
            form, status, version = _save(request, result, score_form, version, correct=False)
        elif kind == "correct" and may_correct and by_total:
            correction_form = CorrectionForm(request.POST)
            form, status, version = _save(request, result, correction_form, version,
                                          correct=True)
        elif not user.has_perm("evaluations.change_result", result):
            raise PermissionDenied
        elif not by_total:
            messages.error(request, _("이 평가는 지표별로 채점합니다: 점수는 평가 입력을 고친 뒤 "
                                      "다시 채점해 바꿉니다."))
            return redirect("office:result", pk=result.pk)
        else:  # a form this result no longer offers (e.g. it was finalised meanwhile)
            messages.error(request, _("이 결과는 지금 %(status)s 상태입니다: 화면을 다시 "
                                      "불러온 뒤 수정하세요.")
                           % {"status": result.get_status_display()})
            return redirect("office:result", pk=result.pk)
        if status == 302:
            return redirect(reverse("office:result", args=[result.pk]) + "#trail")
    presentation.label_decisions([result])
    return render(request, "office/result_detail.html", {
        "nav": "rounds", "result": result, "actions": result_actions(user, result),
        "score_form": score_form, "correction_form": correction_form,
        "may_edit": may_edit, "may_correct": may_correct, "by_total": by_total,
        "version": version,
        "trail": (trail.for_objects(result, round_=result.round) if _may_see_trail(user, result)
                  else None),
        "next": request.get_full_path(),
    }, status=status)


def _save(request, result: Result, form, version: int, *, correct: bool):
    """Save a score or correction form under the version check: ``(form, status,
    version)``; status 302 when saved."""
    if not form.is_valid():
        return form, 400, concurrency.posted(request.POST) or version
    data = form.cleaned_data
    remark = (data.get("remark") or "").strip()

    def change(fresh):
        if correct:
            workflow.amend_result(fresh, data["score"], data["reason"], request.user,
                                  remark=remark)
        else:
            workflow.update_result(fresh, score=data["score"], remark=remark,
                                   actor=request.user)

    done = attempt(request, change, result, form=form)
    if not done.ok:
        return form, done.status, done.version_or(concurrency.posted(request.POST) or version)
    messages.success(request, _("결과를 정정했습니다. 사유와 변경 전후 점수가 변경 이력에 "
                                "남았습니다.") if correct else _("결과를 수정했습니다."))
    return form, 302, version


@require_POST
@require(Perm.OFFICE)
def result_transition(request, pk: int, name: str):
    """Finalise (확정) or publish (공개) one result."""
    user = request.user
    result = _result(user, pk)
    perm = TRANSITION_PERMS.get(name)
    if perm is None:
        raise Http404
    if not user.has_perm(perm, result):
        raise PermissionDenied
    fire = {"finalise": workflow.finalise_result, "publish": workflow.publish_result}[name]
    label = str(lifecycle.RESULT.transition(name).label)

    def change(fresh):
        refusal = lifecycle.RESULT.refusal(fresh, name)
        if refusal:
            raise WorkflowError(refusal)
        fire(fresh, request.user)

    if attempt(request, change, result, tell=True).ok:
        messages.success(request, _("'%(what)s' 결과를 %(action)s했습니다.")
                         % {"what": result.service_name or result.subject, "action": label})
    return redirect(_next(request, reverse("office:result", args=[result.pk])))
