"""Object permissions of the registry (django-rules).

- officer: every service (view and change);
- department: the services it owns — only those;
- contractor: services it holds or held a contract for, or was evaluated on — only those;
- evaluator, committee: every service (read);
- public (anonymous, or signed in without a role): services with at least one published
  result.

Department and contractor users work on their own services: another organisation's
service is not theirs to open in the office, even when its result is published (anyone
can read published results on the public portal, which does not use this rule).

Querysets for lists: :func:`visible_services` — the one place the office pages get
their services from.
"""

from __future__ import annotations

import rules
from django.db.models import Exists, OuterRef

from seonggwa.accounts.models import Role, organisation_of, role_of
from seonggwa.accounts.rules import is_committee, is_evaluator, is_officer
from seonggwa.registry.models import Service


def _published_result_exists():
    from seonggwa.evaluations.models import Result, Status

    return Exists(Result.objects.filter(service=OuterRef("pk"), status=Status.PUBLISHED))


@rules.predicate
def is_own_department_service(user, service) -> bool:
    org = organisation_of(user)
    return (service is not None and org is not None and role_of(user) == Role.DEPARTMENT
            and service.department_id == org.pk)


@rules.predicate
def is_own_contractor_service(user, service) -> bool:
    org = organisation_of(user)
    if service is None or org is None or role_of(user) != Role.CONTRACTOR:
        return False
    return Service.objects.for_contractor(org).filter(pk=service.pk).exists()


@rules.predicate
def has_published_result(user, service) -> bool:
    """The public's access: a service with a published result — for users without a
    working role only (department and contractor users see their own services)."""
    if service is None or role_of(user) in (Role.DEPARTMENT, Role.CONTRACTOR):
        return False
    return Service.objects.filter(pk=service.pk).filter(_published_result_exists()).exists()


rules.add_perm("registry.view_service",
               is_officer | is_evaluator | is_committee | is_own_department_service
               | is_own_contractor_service | has_published_result)
rules.add_perm("registry.change_service", is_officer)
rules.add_perm("registry.view_decision_sheet",
               is_officer | is_committee | is_own_department_service)


def visible_services(user, services=None):
    """The services ``user`` may see (the list counterpart of ``registry.view_service``)."""
    qs = Service.objects.all() if services is None else services
    role = role_of(user)
    if role in (Role.OFFICER, Role.EVALUATOR, Role.COMMITTEE):
        return qs
    if role in (Role.DEPARTMENT, Role.CONTRACTOR):
        org = organisation_of(user)
        if org is None:
            return qs.none()
        if role == Role.DEPARTMENT:
            return qs.filter(department=org)
        return qs.filter(pk__in=Service.objects.for_contractor(org).values("pk"))
    return qs.filter(pk__in=Service.objects.filter(_published_result_exists()).values("pk"))
