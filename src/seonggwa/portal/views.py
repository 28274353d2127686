"""Public disclosure pages (no login): published results only (SPEC §1 citizen, §3)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from seonggwa.core.converters import year_or_404
from seonggwa.core.downloads import XLSX
from seonggwa.core.listing import paginate
from seonggwa.core.options import option_tags
from seonggwa.evaluations.domain import statistics
from seonggwa.evaluations.interfaces import opendata, opendata_published, presentation
from seonggwa.registry.models import Service

from .cache import cached_page, opendata_file
from .forms import PublicResultFilter
from .opendata_docs import column_docs
from .queries import (
    RESULT_SORTER,
    filter_narratives,
    filter_results,
    narrative_only,
    public_departments,
    public_evaluation_years,
    public_years,
    published_narratives,
    published_results,
)


@require_safe
@cached_page
def home(request):
    results = published_results()
    cards = presentation.year_cards(results=results, public=True)
    return render(request, "portal/home.html", {
        "cards": cards,
        "trend_chart": presentation.trend_chart(cards) if cards else None,
        "total_results": statistics.result_count(results),
        "nav": "home",
    })


class _CountedResults:
    """Results for the paginator, counted from the per-round tallies when they can
    answer (a year or all years, no search): counting a year's rows read 16,000 of them
    at 50,000 services."""

    ordered = True

    def __init__(self, results):
        self.results = results

    def count(self) -> int:
        return statistics.result_count(self.results)

    def __getitem__(self, window):
        return self.results[window]


def _results_context(request, *, fixed_year: int | None = None) -> dict:
    years = public_evaluation_years()  # with 2022/2023, known from their narratives
    data = request.GET.copy()
    if fixed_year is not None:
        data["year"] = str(fixed_year)
    elif year_or_404(data.get("year")) not in (None, *years):
        raise Http404(_("공개된 결과가 없는 연도입니다."))
    departments = public_departments()
    form = PublicResultFilter(data, years=years, departments=departments)
    form.is_valid()
    filters = getattr(form, "cleaned_data", {}) or {}
    year = fixed_year if fixed_year is not None else filters.get("year")
    qs = filter_results(published_results(), year=year,
                        department=filters.get("department"), q=filters.get("q", ""))
    sort = RESULT_SORTER.parse(request.GET.get("sort"))
    qs = RESULT_SORTER.apply(qs, sort)
    page = paginate(request, _CountedResults(qs))
    presentation.label_decisions(page.object_list)
    # services of evaluations that published no per-service score (2022, 2023): found
    # by the same search, listed below the scored results
    narrated = list(filter_narratives(narrative_only(published_narratives()), year=year,
                                      department=filters.get("department"),
                                      q=filters.get("q", ""))
                    .order_by("round__year__year", "round__number", "order"))
    return {"form": form, "page": page, "sort": sort, "count": page.paginator.count,
            "department_options": option_tags(departments.values_list("pk", "name"),
                                              form["department"].value()),
            "years": years, "narrated": narrated,
            "searching": bool(filters.get("q") or filters.get("department"))}


@require_safe
@cached_page
def results(request):
    return render(request, "portal/results.html", {**_results_context(request), "nav": "results"})


@require_safe
@cached_page
def year_results(request, year: int):
    cards = [c for c in presentation.year_cards(results=published_results(), public=True)
             if c.year == year]
    narratives = list(published_narratives().filter(round__year__year=year)
                      .order_by("round__number", "order"))
    context = _results_context(request, fixed_year=year)
    if not cards and not context["count"] and not narratives:
        raise Http404(_("공개된 결과가 없는 연도입니다."))
    chart, bins = (presentation.distribution_chart(year, results=published_results())
                   if context["count"] else (None, []))
    context.update({"year": year, "cards": cards, "narratives": narratives,
                    "distribution_chart": chart, "bins": bins})
    return render(request, "portal/year.html", context)


@require_safe
@cached_page
def service_detail(request, key: str):
    service = get_object_or_404(Service.objects.select_related("department"), key=key)
    results = list(published_results().filter(service=service)
                   .order_by("round__year__year", "round__number"))
    narratives = list(published_narratives().filter(service=service)
                      .prefetch_related("items").order_by("round__year__year",
                                                          "round__number"))
    if not results and not narratives:
        raise Http404(_("공개된 결과가 없는 사무입니다."))
    presentation.label_decisions(results)
    chart = None
    if results:
        chart = presentation.score_history_chart(
            results, _("%(name)s 점수 이력") % {"name": service.name})
    return render(request, "portal/service.html", {
        "service": service, "results": results, "narratives": narratives, "chart": chart,
    })


# --- open data -------------------------------------------------------------------------


OPEN_DATA_FORMATS = {
    # format: (serialiser, Content-Type); CSV comes as an iterator of byte chunks
    "csv": (opendata.iter_csv, "text/csv; charset=utf-8"),
    "xlsx": (opendata.to_xlsx, XLSX),
    "json": (opendata.to_json, "application/json; charset=utf-8"),
}


@require_safe
@cached_page
def open_data(request):
    return render(request, "portal/open_data.html", {
        "columns": column_docs(opendata.COLUMNS),
        "datasets": [
            ("summaries", _("연도·차수별 공표 요약 수치 (평균, 기준 미만 비율, 전년 대비 등)"),
             column_docs(opendata_published.SUMMARY_COLUMNS)),
            ("narratives", _("사무별 사업내용·주요 성과·개선과제 (2022년 3차, 2023년 2차)"),
             column_docs(opendata_published.NARRATIVE_COLUMNS)),
        ],
        "years": public_years(),
        "formats": list(OPEN_DATA_FORMATS),
        "nav": "open_data",
    })


@require_safe
def open_data_download(request, fmt: str):
    serialise, content_type = OPEN_DATA_FORMATS[fmt]
    year = year_or_404(request.GET.get("year"))
    if year is not None and year not in public_years():
        raise Http404(_("공개된 결과가 없는 연도입니다."))
    qs = published_results()
    if year is not None:
        qs = qs.filter(round__year__year=year)
    filename = f"seonggwa-results{'-' + str(year) if year else ''}.{fmt}"
    # built once per published data version, then served from disk (portal/cache.py)
    return opendata_file(request, filename, lambda: serialise(qs), content_type)


@require_safe
def open_data_dataset(request, dataset: str, fmt: str):
    """Published summary figures or narratives (every year; they are small)."""
    _serialise, content_type = OPEN_DATA_FORMATS[fmt]
    return opendata_file(request, f"seonggwa-{dataset}.{fmt}",
                         lambda: opendata_published.serialise(dataset, fmt), content_type)
