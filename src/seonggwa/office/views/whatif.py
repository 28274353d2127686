from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from seonggwa.core.language import is_english
from seonggwa.evaluations.domain import decisions as policies
from seonggwa.evaluations.domain.whatif import what_if
from seonggwa.evaluations.models import Result
from seonggwa.registry.models import Service

from ..access import Perm, require, what_if_results
from ..forms.whatif import WhatIfForm

MAX_ROWS = 500  # rows listed on the page; the counts above always cover every result


@require_safe
@require(Perm.WHAT_IF)
def what_if_view(request):
    results = what_if_results(request.user, Result.objects.outsourcing())
    years = list(results.order_by("round__year__year")
                 .values_list("round__year__year", flat=True).distinct())
    form = WhatIfForm(request.GET or None, years=years)
    context = {"nav": "what_if", "form": form}
    if request.GET and form.is_valid():
        data = form.cleaned_data
        outcome = what_if(data["threshold"], policy=data["policy"] or None,
                          results=results, years=data["years"] or None)
        summary = outcome.summary()
        all_rows = outcome.rows(changed_only=True)
        rows = all_rows[:MAX_ROWS]
        keys = dict(Service.objects.filter(pk__in={r["service_id"] for r in rows})
                    .values_list("pk", "key"))
        for r in rows:
            r["key"] = keys.get(r["service_id"])
            r["old_label"] = policies.decision_label(r["old_decision"], outcome.policy.framework)
            r["new_label"] = policies.decision_label(r["new_decision"], outcome.policy.framework)
        english = is_english()
        context.update({
            "summary": summary,
            "by_year": sorted(summary["by_year"].items()),
            "rows": rows,
            "rows_total": len(all_rows),
            "rows_cut": len(all_rows) > len(rows),
            "policy": outcome.policy,
            "policy_label": outcome.policy.label_en if english else outcome.policy.label_ko,
            "policies": policies.policies(),
            "score_decimals": outcome.policy.framework.decimals,
        })
    return render(request, "office/what_if.html", context)
