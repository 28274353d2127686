"""Who may open which office page, and which services and results they see there.

Every rule and list queryset comes from the one access policy, :mod:`seonggwa.access`
(re-exported here for the office views). The office pages are the working view: a
department or contractor sees *its own* services there (the public pages show everyone's
published results), an evaluator or committee member what they are assigned to plus
what is published, and only an officer sees everything.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from seonggwa.access.policy import (
    can_see_everything,
    visible_results,
    visible_rounds,
    visible_services,
    what_if_results,
)

__all__ = [
    "can_see_everything",
    "office_required",
    "office_results",
    "officer_required",
    "registry_officer_required",
    "visible_results",
    "visible_rounds",
    "visible_services",
    "what_if_required",
    "what_if_results",
]


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
registry_officer_required = _require("registry.change_service")
what_if_required = _require("evaluations.run_what_if")


def office_results(user):
    """Outsourcing results shown to ``user`` on the office pages: what the policy lets
    them see, of the services they may see."""
    from seonggwa.evaluations.models import Result

    qs = visible_results(user, Result.objects.outsourcing())
    if can_see_everything(user):
        return qs
    return qs.filter(service__in=visible_services(user).values("pk"))
