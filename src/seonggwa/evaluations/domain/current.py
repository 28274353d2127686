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

from seonggwa.evaluations.models import Result, Scheme
from seonggwa.registry.models import Service

BATCH = 2000
FIELDS = ("latest_result", "latest_score", "latest_year", "latest_decision_code",
          "latest_contractor_name")


def current_values(service_ids: Iterable[int]) -> dict[int, dict]:
    """The current result's figures of each service of ``service_ids`` (every field of
    :data:`FIELDS`; empty for a service without an outsourcing result)."""
    ids = list(dict.fromkeys(service_ids))
    out = {pk: {"latest_result_id": None, "latest_score": None, "latest_year": None,
                "latest_decision_code": "", "latest_contractor_name": ""} for pk in ids}
    for start in range(0, len(ids), BATCH):
        rows = (Result.objects.filter(round__scheme=Scheme.OUTSOURCING,
                                      service_id__in=ids[start:start + BATCH])
                .order_by("service_id", "-round__year__year", "-round__number", "-id")
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
    """Store the current result of each service of ``service_ids`` on its row; returns
    how many rows changed."""
    ids = list(dict.fromkeys(pk for pk in service_ids if pk is not None))
    changed = 0
    for start in range(0, len(ids), BATCH):
        values = current_values(ids[start:start + BATCH])
        services = list(Service.objects.filter(pk__in=list(values)).only(
            "pk", *(f + "_id" if f == "latest_result" else f for f in FIELDS)))
        stale = []
        for service in services:
            new = values[service.pk]
            if any(getattr(service, k) != v for k, v in new.items()):
                for k, v in new.items():
                    setattr(service, k, v)
                stale.append(service)
        Service.objects.bulk_update(stale, list(FIELDS), batch_size=BATCH)
        changed += len(stale)
    return changed


def refreshed(results: list[Result]) -> list[Result]:
    """``results`` after refreshing their services' current results (for the workflow's
    ``return``)."""
    refresh_current_results({r.service_id for r in results})
    return results
