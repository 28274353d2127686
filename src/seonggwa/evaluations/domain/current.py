"""Each service's current result, kept on the service row.

The office service list shows, filters and sorts every service by "its" result: the
latest outsourcing evaluation (latest year, then round, then the latest row). Reading it
through subqueries costs a scan of the results per request; instead the service keeps
the result and the figures the list uses (``Service.latest_*``), refreshed here whenever
the workflow writes results (:mod:`seonggwa.evaluations.domain.workflow` calls
:func:`refresh_current_results` after every write: record, update, correction,
rescoring; publishing changes no figure the list shows).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from seonggwa.evaluations.models import Result, Scheme
from seonggwa.registry.models import Service

BATCH = 2000


#: "Latest first" for a service's results: the latest year, then round, then row.
LATEST_FIRST = ("-round__year__year", "-round__number", "-id")


def latest_first(results):
    """``results`` newest first, as "the latest result" is meant everywhere."""
    return results.order_by(*LATEST_FIRST)


def _latest(service=None):
    """The current result of a service: its latest outsourcing evaluation (year, round,
    then the latest row), as the list has always shown it."""
    rows = Result.objects.filter(round__scheme=Scheme.OUTSOURCING)
    if service is not None:
        rows = rows.filter(service=service)
    return latest_first(rows)


def latest_result(service: Service) -> Result | None:
    """The current result of ``service`` (its latest outsourcing evaluation), or None."""
    return (_latest(service).select_related("round__year", "framework_version").first())


def current_values(service_ids: Iterable[int]) -> dict[int, dict]:
    """The current result's figures of each service of ``service_ids``, computed from
    the result rows (empty for a service without an outsourcing result)."""
    ids = list(dict.fromkeys(service_ids))
    out = {pk: {"latest_result_id": None, "latest_score": None, "latest_year": None,
                "latest_decision_code": "", "latest_contractor_name": ""} for pk in ids}
    for start in range(0, len(ids), BATCH):
        rows = (_latest().filter(service_id__in=ids[start:start + BATCH])
                .order_by("service_id", *LATEST_FIRST)
                .values_list("service_id", "id", "score", "round__year__year",
                             "decision_code", "contractor_name"))
        seen = set()
        for service_id, pk, score, year, decision, contractor in rows.iterator(2000):
            if service_id in seen:
                continue
            seen.add(service_id)
            out[service_id] = {"latest_result_id": pk, "latest_score": score,
                               "latest_year": year, "latest_decision_code": decision,
                               "latest_contractor_name": contractor}
    return out


def refresh_current_results(service_ids: Iterable[int | None]) -> int:
    """Store the current result of each service of ``service_ids`` on its row, in two
    UPDATE statements per 2,000 services (the database picks each latest result);
    returns how many service rows were refreshed."""
    ids = list(dict.fromkeys(pk for pk in service_ids if pk is not None))
    done = 0
    for start in range(0, len(ids), BATCH):
        batch = Service.objects.filter(pk__in=ids[start:start + BATCH])
        done += batch.update(latest_result_id=Subquery(
            _latest(OuterRef("pk")).values("pk")[:1]))
        of_latest = Result.objects.filter(pk=OuterRef("latest_result_id"))
        batch.update(
            latest_score=Subquery(of_latest.values("score")[:1]),
            latest_year=Subquery(of_latest.values("round__year__year")[:1]),
            latest_decision_code=Coalesce(Subquery(of_latest.values("decision_code")[:1]),
                                          Value("")),
            latest_contractor_name=Coalesce(
                Subquery(of_latest.values("contractor_name")[:1]), Value("")))
    return done


def refreshed(results: list[Result]) -> list[Result]:
    """``results`` after refreshing their services' current results (for the workflow's
    ``return``)."""
    refresh_current_results({r.service_id for r in results})
    return results
