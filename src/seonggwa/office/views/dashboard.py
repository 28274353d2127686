from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from seonggwa.access.schedules import visible_windows
from seonggwa.core.converters import year_or_404
from seonggwa.evaluations.interfaces import presentation
from seonggwa.evaluations.models import EvaluationYear, Result, Round
from seonggwa.schedules.domain import windows
from seonggwa.schedules.models import WindowState

from ..access import Perm, can_see_everything, require, visible_services


@require_safe
@require(Perm.OFFICE)
def dashboard(request):
    user = request.user
    everything = can_see_everything(user)
    results = Result.objects.outsourcing()
    results = results if everything else results.published()
    # per round, one probe of the (round, status, score) index: no scan of the results
    years_with_rows = sorted(set(
        Round.objects.filter(Exists(results.filter(round=OuterRef("pk"))))
        .values_list("year__year", flat=True)))
    all_years = list(EvaluationYear.objects.order_by("year").values_list("year", flat=True))

    # Multi-year average window (default: every year with rows).
    my_from = year_or_404(request.GET.get("my_from")) or (
        years_with_rows[0] if years_with_rows else None)
    my_to = year_or_404(request.GET.get("my_to")) or (
        years_with_rows[-1] if years_with_rows else None)
    multi_year = (my_from, my_to) if my_from and my_to and my_from <= my_to else None
    method = request.GET.get("method")
    method = method if method in ("pooled", "mean_of_years") else "pooled"

    cards = presentation.year_cards(results=results, multi_year=multi_year,
                                    multi_year_method=method, public=not everything,
                                    with_agreement=True)
    dist_year = year_or_404(request.GET.get("year"))
    if dist_year is not None and dist_year not in years_with_rows:
        raise Http404(_("결과가 없는 연도입니다."))
    if dist_year is None:
        dist_year = years_with_rows[-1] if years_with_rows else None
    dist_chart, bins = (presentation.distribution_chart(dist_year, results=results)
                        if dist_year else (None, []))
    threshold = next((c.stats.threshold for c in cards if c.year == dist_year), None)
    upcoming = upcoming_deadlines(user)
    own = None
    if not everything:
        own = visible_services(user).select_related("department").order_by("name")[:200]
    return render(request, "office/dashboard.html", {
        "nav": "dashboard",
        "cards": cards,
        "trend_chart": presentation.trend_chart(cards) if cards else None,
        "dist_year": dist_year,
        "dist_chart": dist_chart,
        "bins": bins,
        "threshold": threshold,
        "years_with_rows": years_with_rows,
        "all_years": all_years,
        "my_from": my_from,
        "my_to": my_to,
        "method": method,
        "everything": everything,
        "own_services": own,
        "latest_year": all_years[-1] if all_years else None,
        "upcoming": upcoming,
    })


#: How many of the user's next deadlines the overview lists.
UPCOMING = 8


def upcoming_deadlines(user) -> list:
    """The user's next open or scheduled deadlines (their own subjects', their
    assignments', every one for an officer), soonest first: one indexed query."""
    today = windows.current_date()
    found = (visible_windows(user)
             .filter(state__in=(WindowState.SCHEDULED, WindowState.OPEN), due_on__gte=today)
             .select_related("round", "subject").order_by("due_on", "pk")[:UPCOMING])
    return [(w, (w.due_on - today).days) for w in found]
