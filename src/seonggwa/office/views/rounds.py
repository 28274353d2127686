"""Rounds of every scheme and their results as the engine computed them: totals on the
framework's own scale, grade, decision, and the points of each area."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from seonggwa.access.policy import visible_results, visible_rounds
from seonggwa.evaluations.domain import decisions
from seonggwa.evaluations.domain.decisions import decision_date
from seonggwa.evaluations.models import AreaOutcome, Round

from ..access import office_required


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _label(ko: str, en: str | None) -> str:
    return (en or ko) if _english() else ko


@require_GET
@office_required
def round_list(request):
    rounds = (visible_rounds(request.user, Round.objects.all())
              .select_related("year", "framework_version")
              .order_by("-year__year", "scheme", "number"))
    return render(request, "office/rounds.html", {"nav": "rounds", "rounds": rounds})


@require_GET
@office_required
def round_detail(request, pk: int):
    rnd = (visible_rounds(request.user, Round.objects.all())
           .select_related("year", "framework_version").filter(pk=pk).first())
    if rnd is None:
        raise Http404(_("볼 수 있는 평가 차수가 아닙니다."))
    framework = rnd.framework_version.framework if rnd.framework_version_id else None
    results = list(visible_results(request.user, rnd.results.all())
                   .select_related("subject").order_by("-score", "subject__name")[:500])
    areas = []
    policy = None
    if framework is not None:
        areas = [(a.code, _label(a.name, a.name_en)) for a in framework.areas]
        bands = {b.code: _label(b.label, b.label_en) for b in framework.bands}
        points = {(o.result_id, o.area): o.points for o in
                  AreaOutcome.objects.filter(result__in=results)}
        for r in results:
            r.band_label = bands.get(r.band_code, "")
            r.decision_display = decisions.decision_label(r.decision_code, framework)
            r.area_points = [points.get((r.pk, code)) for code, _name in areas]
        policy = decisions.policy_in_force_or_none(decision_date(rnd), framework)
    return render(request, "office/round_detail.html", {
        "nav": "rounds", "round": rnd, "framework": framework, "results": results,
        "areas": areas, "policy": policy, "decision_date": decision_date(rnd),
        "framework_title": _label(framework.title, framework.title_en) if framework else "",
        "bands": [(_label(b.label, b.label_en), b.lower, b.upper) for b in framework.bands]
        if framework else [],
    })
