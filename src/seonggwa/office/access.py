"""Who may open which office page, and which services and results they see there.

Every rule and list queryset comes from the one access policy, :mod:`seonggwa.access`
(re-exported here for the office views). The office pages are the working view: a
department or contractor sees *its own* services there (the public pages show everyone's
published results), an evaluator or committee member what they are assigned to plus
what is published, and only an officer sees everything.
"""

from __future__ import annotations

from enum import StrEnum
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
    "Perm",
    "can_see_everything",
    "office_results",
    "require",
    "visible_results",
    "visible_rounds",
    "visible_services",
    "what_if_results",
]


class Perm(StrEnum):
    """The page permissions of the office, by name: every office view declares one with
    :func:`require`. A view whose page serves several roles declares the widest and
    checks the object permission inside (a sheet, a submission, an appeal)."""

    #: Anyone who works in the office: officers, departments, contractors, evaluators,
    #: committee members.
    OFFICE = "office.view_office"
    #: The evaluation officer: assignments, the due list, result workbooks, panels.
    EVALUATIONS = "office.manage_evaluations"
    #: The registry officer: services and their registry rows, the registry workbook.
    REGISTRY = "registry.change_service"
    #: Who may run a what-if over results.
    WHAT_IF = "evaluations.run_what_if"
    #: Who may change schedules and windows.
    SCHEDULES = "schedules.change_schedule"
    #: Who may keep the table of extra days off.
    DAYS_OFF = "schedules.manage_days_off"
    #: Any signed-in user: a page about one record checks the record inside and answers
    #: 404 for someone it is not for (a sheet), so its existence is not revealed.
    SIGNED_IN = "appeals.view_notices"
    #: Any signed-in user: their own notices (the same rule as :attr:`SIGNED_IN`).
    NOTICES = "appeals.view_notices"


#: The attribute a view's declared page permission is kept in (the URL test reads it).
DECLARED = "office_permission"


def require(perm: Perm):
    """Declare and enforce a view's page permission: anonymous users go to the login
    page, signed-in users without ``perm`` get 403."""
    perm = Perm(perm)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        setattr(wrapped, DECLARED, perm)
        return wrapped

    return decorator


def office_results(user):
    """Outsourcing results shown to ``user`` on the office pages: what the policy lets
    them see, of the services they may see."""
    from seonggwa.evaluations.models import Result

    qs = visible_results(user, Result.objects.outsourcing())
    if can_see_everything(user):
        return qs
    return qs.filter(service__in=visible_services(user).values("pk"))
