"""Who a result is about: the evaluated organisations that are notified and may object.

- a civic platform (or any organisation subject): the organisation itself;
- an outsourced service: its department and its contractor(s) — those the result names,
  else those of the service's latest contract.

Their users are the department and contractor users whose profile names one of those
organisations (:class:`seonggwa.accounts.models.Profile`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model

from seonggwa.accounts.models import Role, organisation_of, role_of
from seonggwa.evaluations.models import Result, SubjectKind
from seonggwa.registry.models import ContractPeriod

#: Roles that act for an evaluated organisation.
PARTY_ROLES = (Role.DEPARTMENT, Role.CONTRACTOR)
_ORGANISATION_KINDS = (SubjectKind.PLATFORM, SubjectKind.ORGANISATION)


def evaluated_organisations(results: Iterable[Result]) -> dict[int, set[int]]:
    """The ids of the evaluated organisations of each result, by result id (a few
    queries for any number of results)."""
    results = list(results)
    found: dict[int, set[int]] = defaultdict(set)
    services = []
    for r in results:
        if r.subject.kind in _ORGANISATION_KINDS and str(r.subject.object_id).isdigit():
            found[r.pk].add(int(r.subject.object_id))
        elif r.subject.kind == SubjectKind.SERVICE:
            services.append(r)
    if services:
        named = defaultdict(set)
        for result_id, org_id in Result.contractors.through.objects.filter(
                result__in=services).values_list("result_id", "organisation_id"):
            named[result_id].add(org_id)
        latest = _latest_contractors({r.service_id for r in services if r.service_id})
        for r in services:
            department = r.department_id or (r.service.department_id if r.service_id else None)
            if department:
                found[r.pk].add(department)
            found[r.pk] |= named.get(r.pk) or latest.get(r.service_id, set())
    return {r.pk: found.get(r.pk, set()) for r in results}


def _latest_contractors(service_ids: set[int]) -> dict[int, set[int]]:
    """The contractors of each service's latest contract period, by service id."""
    latest: dict[int, int] = {}  # service -> its latest period
    for period_id, service_id in (ContractPeriod.objects.filter(service_id__in=service_ids)
                                  .order_by("service_id", "start", "id")
                                  .values_list("id", "service_id")):
        latest[service_id] = period_id
    service_of = {period: service for service, period in latest.items()}
    found: dict[int, set[int]] = defaultdict(set)
    for period_id, org_id in ContractPeriod.contractors.through.objects.filter(
            contractperiod_id__in=service_of).values_list("contractperiod_id",
                                                           "organisation_id"):
        found[service_of[period_id]].add(org_id)
    return found


def recipients(results: Iterable[Result]) -> dict[int, list]:
    """The active users of each result's evaluated organisations, by result id."""
    orgs = evaluated_organisations(results)
    wanted = set().union(*orgs.values()) if orgs else set()
    by_org: dict[int, list] = defaultdict(list)
    users = (get_user_model().objects.filter(
        is_active=True, profile__organisation_id__in=wanted, profile__role__in=PARTY_ROLES)
        .select_related("profile").order_by("pk"))
    for user in users:
        by_org[user.profile.organisation_id].append(user)
    return {rid: [u for org in sorted(ids) for u in by_org.get(org, [])]
            for rid, ids in orgs.items()}


def acting_organisation(user, result: Result):
    """The evaluated organisation ``user`` acts for on ``result``, or ``None`` when the
    user may not act in its name."""
    if role_of(user) not in PARTY_ROLES:
        return None
    org = organisation_of(user)
    if org is None or org.pk not in evaluated_organisations([result])[result.pk]:
        return None
    return org
