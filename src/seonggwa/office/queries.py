"""The office service list as one query (plus a fixed number for the page's rows).

Every service row shows "its" result: the latest evaluation, or, with a year filter, the
evaluation of that year.

- Without a year, for a user who sees every result (officers), the current result is
  read from the service row itself (``Service.latest_*``, kept by the evaluation
  workflow), so filtering, sorting and counting use the service table's indexes.
- With a year, the shown result is the year's latest: for officers a join with the
  year's results table (``YearResult``, one row per service and year, kept by database
  triggers, indexed on year and score); for others a subquery on the indexed
  (service, round) pair over the year's few rounds.
- For users who see only some results, the same correlated subqueries run on what
  they may see.

The shown results themselves are fetched for the 50 rows of the page only.
"""

from __future__ import annotations

from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, Subquery

from seonggwa.core.listing import Sorter
from seonggwa.core.search import matching, search, search_key
from seonggwa.evaluations.models import Result, Round
from seonggwa.registry.models import ContractPeriod

SERVICE_SORTER = Sorter(
    {
        "name": ("name",),
        "department": ("department__name", "name"),
        "year": ("shown_year", "name"),
        "contractor": ("shown_contractor", "name"),
        "score": ("shown_score", "name"),
        "decision": ("shown_decision", "shown_score"),
    },
    default="name",
)

# Which annotations each sort key needs beyond the always-present id and score.
_SORT_NEEDS = {"year": "shown_year", "contractor": "shown_contractor",
               "decision": "shown_decision"}


# the same figures of a year's result (``YearResult``, kept by database triggers)
_OF_YEAR = {
    "shown_result_id": "result_id",
    "shown_score": "score",
    "shown_year": "year",
    "shown_decision": "decision_code",
    "shown_contractor": "contractor_name",
}

_CURRENT = {
    "shown_result_id": "latest_result_id",
    "shown_score": "latest_score",
    "shown_year": "latest_year",
    "shown_decision": "latest_decision_code",
    "shown_contractor": "latest_contractor_name",
}


def service_list(services, results, *, year=None, department=None, contractor="", q="",
                 score_min=None, score_max=None, decision="", sort=None,
                 all_results=False):
    """``services`` and ``results`` are what the user may see; returns the filtered,
    annotated, ordered queryset of services. ``all_results``: ``results`` are every
    outsourcing result (an officer), so the current result kept on each service row is
    the one to show."""
    in_year = None
    shown = None
    if year and not all_results:
        # the year's few rounds by id: an index lookup on (service, round) per service
        rounds = Round.objects.filter(year__year=year)
        in_year = results.filter(round_id__in=list(rounds.values_list("pk", flat=True)))
        shown = in_year.filter(service=OuterRef("pk")).order_by("-round__number", "-id")
    elif not year:
        shown = results.filter(service=OuterRef("pk")).order_by(
            "-round__year__year", "-round__number", "-id")
    needed = {"shown_result_id", "shown_score"}
    if decision and decision != "none":
        needed.add("shown_decision")
    if sort is not None and sort.key in _SORT_NEEDS:
        needed.add(_SORT_NEEDS[sort.key])
    columns = {
        "shown_result_id": "id",
        "shown_score": "score",
        "shown_year": "round__year__year",
        "shown_decision": "decision_code",
        "shown_contractor": "contractor_name",
    }
    if all_results and not year:
        qs = services.select_related("department").annotate(
            **{name: F(_CURRENT[name]) for name in needed})
    elif all_results:  # the year's result of each service, kept in a table of its own
        qs = services.select_related("department").annotate(
            of_year=FilteredRelation("year_results",
                                     condition=Q(year_results__year=year))).filter(
            of_year__isnull=False).annotate(
            **{name: F(f"of_year__{_OF_YEAR[name]}") for name in needed})
    else:
        qs = services.select_related("department").annotate(
            **{name: Subquery(shown.values(columns[name])[:1]) for name in needed})
    if year and not all_results:  # the year's evaluated services, read once (a semi-join)
        qs = qs.filter(pk__in=in_year.values("service_id"))
    if department is not None:
        qs = qs.filter(department=department)
    # Searches ignore spacing, as on the public pages ("서울시 청소년" = "서울시청소년").
    if search_key(contractor):
        qs = qs.filter(
            Exists(search(results.filter(service=OuterRef("pk")), contractor,
                          ("contractor_name",)))
            | Exists(search(ContractPeriod.objects.filter(service=OuterRef("pk")),
                            contractor, ("contractors__name",)))
        )
    if search_key(q):
        qs, match = matching(qs, q, ("name", "department__name"))
        qs = qs.filter(match | Exists(search(results.filter(service=OuterRef("pk")), q,
                                             ("service_name", "contractor_name"))))
    if score_min is not None:
        qs = qs.filter(shown_score__gte=score_min)
    if score_max is not None:
        qs = qs.filter(shown_score__lte=score_max)
    if decision == "none":
        qs = qs.filter(shown_result_id__isnull=True)
    elif decision:
        qs = qs.filter(shown_decision=decision)
    if sort is not None:
        qs = SERVICE_SORTER.apply(qs, sort)
    return qs


def attach_shown_results(rows) -> None:
    """Give each service row of a page its shown result (``row.shown``), in one query."""
    ids = [r.shown_result_id for r in rows if r.shown_result_id]
    found = Result.objects.select_related("round", "round__year").in_bulk(ids)
    for r in rows:
        r.shown = found.get(r.shown_result_id)
