"""Who may open which office page, and which services and results they see there.

Role checks use the permissions of :mod:`seonggwa.accounts.rules`
(``office.view_office``, ``office.manage_evaluations``); object checks and list
querysets use the domain rules (:mod:`seonggwa.registry.rules`,
:mod:`seonggwa.evaluations.rules`). The office pages are the working view: a department
or contractor sees *its own* services there (the public pages show everyone's published
results), so the lists are narrowed to the services the user owns or holds.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from seonggwa.accounts.models import Role, organisation_of, role_of
from seonggwa.evaluations.rules import visible_results
from seonggwa.registry.models import Service

SEE_ALL = (Role.OFFICER, Role.EVALUATOR, Role.COMMITTEE)


def _require(perm: str):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


office_required = _require("office.view_office")
officer_required = _require("office.manage_evaluations")


def office_services(user):
    """Services shown to ``user`` on the office pages."""
    role = role_of(user)
    if role in SEE_ALL:
        return Service.objects.all()
    org = organisation_of(user)
    if org is None:
        return Service.objects.none()
    if role == Role.DEPARTMENT:
        return Service.objects.for_department(org)
    if role == Role.CONTRACTOR:
        return Service.objects.filter(pk__in=Service.objects.for_contractor(org).values("pk"))
    return Service.objects.none()


def office_results(user):
    """Results shown to ``user`` on the office pages: what the rules let them see, of
    their own services."""
    from seonggwa.evaluations.models import Result

    qs = visible_results(user, Result.objects.all())
    if role_of(user) in SEE_ALL:
        return qs
    return qs.filter(service__in=office_services(user).values("pk"))


def can_see_everything(user) -> bool:
    return role_of(user) in SEE_ALL
