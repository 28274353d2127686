"""Object permissions of the evaluations app (django-rules), tested as a matrix.

- officer (and superuser): everything;
- department: results of services it owns (or was the department of at evaluation);
- contractor: results where it is (one of) the contractor(s);
- evaluator, committee: all results (read);
- anyone, including anonymous users: published results.

Permissions: ``evaluations.view_result``, ``evaluations.change_result`` (officer, and only
through the workflow), ``evaluations.view_round``, ``evaluations.manage_round``,
``evaluations.set_follow_up`` (the follow-up status of an improvement task: officer, or
the department that owns the service).
Querysets for lists: :func:`visible_results`.
"""

from __future__ import annotations

import rules
from django.db.models import Q

from seonggwa.accounts.models import Role, organisation_of, role_of
from seonggwa.accounts.rules import is_committee, is_evaluator, is_officer
from seonggwa.evaluations.models import Result, Status


@rules.predicate
def is_published(user, obj) -> bool:
    return obj is not None and getattr(obj, "status", None) == Status.PUBLISHED


@rules.predicate
def is_own_department_result(user, result) -> bool:
    org = organisation_of(user)
    if result is None or org is None or role_of(user) != Role.DEPARTMENT:
        return False
    return result.department_id == org.pk or result.service.department_id == org.pk


@rules.predicate
def is_own_contractor_result(user, result) -> bool:
    org = organisation_of(user)
    if result is None or org is None or role_of(user) != Role.CONTRACTOR:
        return False
    return result.contractors.filter(pk=org.pk).exists()


@rules.predicate
def is_own_department_item(user, item) -> bool:
    """An improvement task (``NarrativeItem``) of a service the user's department owns."""
    org = organisation_of(user)
    if item is None or org is None or role_of(user) != Role.DEPARTMENT:
        return False
    return item.narrative.service.department_id == org.pk


can_view_result = (is_officer | is_evaluator | is_committee | is_published
                   | is_own_department_result | is_own_contractor_result)

rules.add_perm("evaluations.view_result", can_view_result)
rules.add_perm("evaluations.change_result", is_officer)
rules.add_perm("evaluations.view_round", is_officer | is_evaluator | is_committee | is_published)
rules.add_perm("evaluations.manage_round", is_officer)
rules.add_perm("evaluations.run_what_if", is_officer | is_committee)
rules.add_perm("evaluations.adjust_due", is_officer)
rules.add_perm("evaluations.set_follow_up", is_officer | is_own_department_item)


def visible_results(user, results=None):
    """The results ``user`` may see (the list-page counterpart of ``view_result``)."""
    qs = Result.objects.all() if results is None else results
    role = role_of(user)
    if role in (Role.OFFICER, Role.EVALUATOR, Role.COMMITTEE):
        return qs
    published = Q(status=Status.PUBLISHED)
    org = organisation_of(user)
    if role == Role.DEPARTMENT and org is not None:
        return qs.filter(published | Q(department=org) | Q(service__department=org)).distinct()
    if role == Role.CONTRACTOR and org is not None:
        return qs.filter(published | Q(contractors=org)).distinct()
    return qs.filter(published)
