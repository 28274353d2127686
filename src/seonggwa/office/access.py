"""Who may open which office page, and which services and results they see there.

Role checks use the permissions of :mod:`seonggwa.accounts.rules`
(``office.view_office``, ``office.manage_evaluations``); object checks and list
querysets use the domain rules (:mod:`seonggwa.registry.rules`,
:mod:`seonggwa.evaluations.rules`). The office pages are the working view: a department
or contractor sees *its own* services there (the public pages show everyone's published
results), so the lists are narrowed to the services the user owns or holds — by
:func:`seonggwa.registry.rules.visible_services`, the one rule for that.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from seonggwa.accounts.models import Role, role_of
from seonggwa.evaluations.rules import visible_results
from seonggwa.registry.rules import visible_services

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
registry_officer_required = _require("registry.change_service")


def office_results(user):
    """Results shown to ``user`` on the office pages: what the rules let them see, of
    their own services."""
    from seonggwa.evaluations.models import Result

    qs = visible_results(user, Result.objects.all())
    if role_of(user) in SEE_ALL:
        return qs
    return qs.filter(service__in=visible_services(user).values("pk"))


def can_see_everything(user) -> bool:
    return role_of(user) in SEE_ALL
