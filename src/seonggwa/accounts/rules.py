"""Role predicates (django-rules). Object-level rules live beside their models
(e.g. ``seonggwa.registry.rules``) and build on these."""

import rules

from seonggwa.accounts.models import Role, role_of


@rules.predicate
def is_officer(user) -> bool:
    return role_of(user) == Role.OFFICER


@rules.predicate
def is_department(user) -> bool:
    return role_of(user) == Role.DEPARTMENT


@rules.predicate
def is_contractor(user) -> bool:
    return role_of(user) == Role.CONTRACTOR


@rules.predicate
def is_evaluator(user) -> bool:
    return role_of(user) == Role.EVALUATOR


@rules.predicate
def is_committee(user) -> bool:
    return role_of(user) == Role.COMMITTEE


is_staff_member = is_officer | is_department | is_contractor | is_evaluator | is_committee

rules.add_perm("office.view_office", is_staff_member)
rules.add_perm("office.manage_evaluations", is_officer)
