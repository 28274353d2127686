"""Rounds of every scheme and their results as the engine computed them: totals on the
framework's own scale, grade, decision, and the points of each area."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from seonggwa.access.policy import visible_results, visible_rounds
from seonggwa.core import concurrency
from seonggwa.core.language import shown
from seonggwa.core.listing import paginate
from seonggwa.evaluations.domain import decisions, lifecycle, workflow
from seonggwa.evaluations.domain.decisions import decision_date
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.interfaces import presentation
from seonggwa.evaluations.models import AreaOutcome, Round, Status

from ..access import Perm, require
from ..actions import attempt
from .results import ahead, result_actions


@require_safe
@require(Perm.OFFICE)
def round_list(request):
    rounds = (visible_rounds(request.user, Round.objects.all())
              .select_related("year", "framework_version")
              .order_by("-year__year", "scheme", "number"))
    rounds = list(rounds)
    for r in rounds:  # the framework by its title and version, not its stored code
        fv = r.framework_version
        r.framework_label = presentation.framework_version_label(
            fv.framework, fv.version) if fv else ""
    return render(request, "office/rounds.html", {"nav": "rounds", "rounds": rounds})


#: Results per page of a round's page.
ROUND_PAGE_SIZE = 100


@require_safe
@require(Perm.OFFICE)
def round_detail(request, pk: int):
    rnd = (visible_rounds(request.user, Round.objects.all())
           .select_related("year", "framework_version").filter(pk=pk).first())
    if rnd is None:
        raise Http404(_("볼 수 있는 평가 차수가 아닙니다."))
    framework = rnd.framework_version.framework if rnd.framework_version_id else None
    # Every result, a page at a time (a national round has thousands): highest score first.
    page = paginate(request, visible_results(request.user, rnd.results.all())
                    .select_related("subject").order_by("-score", "subject__name", "pk"),
                    per_page=ROUND_PAGE_SIZE)
    results = list(page.object_list)
    areas = []
    policy = None
    officer_view = request.user.has_perm("evaluations.manage_round", rnd)
    if officer_view:
        versions = concurrency.versions_of(results)
        for r in results:
            r.actions = result_actions(request.user, r)
            r.version = versions[r.pk]
    if framework is not None:
        areas = [(a.code, shown(a.name, a.name_en)) for a in framework.areas]
        bands = {b.code: shown(b.label, b.label_en) for b in framework.bands}
        points = {(o.result_id, o.area): o.points for o in
                  AreaOutcome.objects.filter(result__in=results)}
        presentation.label_decisions(results)  # decision label, adverse mark, decimals
        for r in results:
            r.band_label = bands.get(r.band_code, "")
            r.area_points = [points.get((r.pk, code)) for code, _name in areas]
        policy = decisions.policy_in_force_or_none(decision_date(rnd), framework)
    return render(request, "office/round_detail.html", {
        "nav": "rounds", "round": rnd, "framework": framework, "results": results,
        "page": page,
        "officer_view": officer_view, "round_actions": round_actions(request.user, rnd),
        "next": request.get_full_path(),
        "areas": areas, "policy": policy, "decision_date": decision_date(rnd),
        "framework_title": shown(framework.title, framework.title_en) if framework else "",
        "bands": [(shown(b.label, b.label_en), b.lower, b.upper) for b in framework.bands]
        if framework else [],
    })


# ----------------------------------------------------------------------------- round
# 확정 (finalise) and 공개 (publish) of a whole round: a confirmation page that says how
# many results change, then one POST through the workflow.

#: transition -> (permissions needed, the result status it moves, the verb)
ROUND_TRANSITIONS = {
    "finalise": (("evaluations.manage_round", "evaluations.change_result"), Status.DRAFT),
    "publish": (("evaluations.manage_round", "evaluations.publish_result"), Status.FINALISED),
}


@dataclass
class RoundAction:
    name: str
    label: str
    refusal: str | None
    url: str
    count: int  # results this transition changes


def _may(user, name: str, rnd: Round) -> bool:
    perms, _status = ROUND_TRANSITIONS[name]
    return all(user.has_perm(p, rnd) if p.endswith("_round") else user.has_perm(p)
               for p in perms)


def _affected(rnd: Round, name: str) -> int:
    return rnd.results.filter(status=ROUND_TRANSITIONS[name][1]).count()


def round_actions(user, rnd: Round) -> list[RoundAction]:
    """The round transitions ``user`` may make (officers only), each with how many
    results it changes and why it cannot happen now, if it cannot."""
    actions = []
    for t in lifecycle.ROUND.transitions:
        if t.name not in ROUND_TRANSITIONS or not _may(user, t.name, rnd):
            continue
        if not ahead(lifecycle.ROUND, rnd, t):
            continue
        refusal = lifecycle.ROUND.refusal(rnd, t.name)
        actions.append(RoundAction(t.name, str(t.label), refusal,
                                   reverse("office:round_transition", args=[rnd.pk, t.name]),
                                   _affected(rnd, t.name)))
    return actions


class ChangedMeanwhile(WorkflowError):
    """The number of results a round transition changes is not the number confirmed."""


@require_http_methods(["GET", "POST"])
@require(Perm.OFFICE)
def round_transition(request, pk: int, name: str):
    """Confirm (GET) and make (POST) a round's 확정 or 공개: every draft result of the
    round is finalised with it; publishing publishes every finalised result."""
    if name not in ROUND_TRANSITIONS:
        raise Http404
    rnd = Round.objects.select_related("year").filter(pk=pk).first()
    if rnd is None:
        raise Http404(_("볼 수 있는 평가 차수가 아닙니다."))
    if not _may(request.user, name, rnd):  # officers only (who see every round)
        raise PermissionDenied
    transition = lifecycle.ROUND.transition(name)
    count = _affected(rnd, name)
    problem = None
    status = 200
    if request.method == "POST":
        confirmed = request.POST.get("count", "")
        fire = {"finalise": workflow.finalise_round, "publish": workflow.publish_round}[name]

        def change(fresh):
            if confirmed != str(count):
                raise ChangedMeanwhile(
                    _("확인하신 뒤 결과 수가 %(before)s건에서 %(now)s건으로 바뀌었습니다. 아래 "
                      "내용을 다시 확인하세요.") % {"before": confirmed or "–", "now": count})
            fire(fresh, request.user)

        done = attempt(request, change, rnd, conflicts=(ChangedMeanwhile,))
        if not done.ok:
            problem, status = done.joined(), done.status
        if problem is None:
            messages.success(request, _("%(round)s 평가를 %(action)s했습니다: 결과 %(n)s건.")
                             % {"round": rnd, "action": transition.label, "n": count})
            return redirect("office:round", pk=rnd.pk)
        rnd.refresh_from_db()
        count = _affected(rnd, name)
    refusal = lifecycle.ROUND.refusal(rnd, name)
    drafts_left = (rnd.results.filter(status=Status.DRAFT).count()
                   if name == "publish" else 0)
    return render(request, "office/round_confirm.html", {
        "nav": "rounds", "round": rnd, "name": name, "label": transition.label,
        "count": count, "refusal": refusal, "problem": problem, "drafts_left": drafts_left,
        "version": concurrency.version_of(rnd),
        "target": lifecycle.ROUND.state_label(transition.target),
    }, status=status)
