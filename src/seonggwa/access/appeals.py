"""Who may do what in the appeals part of the evaluation process: rules and their queryset
twins, registered with the rest of the policy (:mod:`seonggwa.access.policy`).

- ``appeals.view_notices``: every signed-in user reads *their own* notices;
- ``appeals.release_results`` (a round): officers;
- ``appeals.view_appeal``: officers, and the evaluated organisation's department and
  contractor users (a platform: its own users; an outsourced service: its department and
  the contractors the result names, else those of the service's latest contract);
- ``appeals.file_objection``: the evaluated organisation's users only — not officers,
  not another organisation (the window and the one-objection rule are the domain's);
- ``appeals.decide_appeal``: officers record the panel's re-review.
"""

from __future__ import annotations

import rules
from django.db.models import Exists, OuterRef, Q, Subquery

from seonggwa.access.policy import is_officer
from seonggwa.accounts.models import Role, organisation_of, role_of
from seonggwa.appeals.domain import parties
from seonggwa.appeals.models import Appeal
from seonggwa.evaluations.models import Result, Round, SubjectKind
from seonggwa.registry.models import ContractPeriod

_ORGANISATION_KINDS = (SubjectKind.PLATFORM, SubjectKind.ORGANISATION)


@rules.predicate
def is_party(user, appeal) -> bool:
    """A department or contractor user of the organisation the appealed result is about."""
    if appeal is None:
        return False
    return parties.acting_organisation(user, appeal.result) is not None


def _party_appeals(org, appeals):
    """Twin of :func:`is_party` for one organisation (mirrors ``parties``)."""
    results = Result.contractors.through.objects.filter(result_id=OuterRef("result_id"))
    latest = (ContractPeriod.objects.filter(service_id=OuterRef("result__service_id"))
              .order_by("-start", "-id").values("pk")[:1])
    in_latest = ContractPeriod.contractors.through.objects.filter(
        contractperiod_id=OuterRef("latest_period"), organisation=org)
    service = Q(result__subject__kind=SubjectKind.SERVICE) & (
        Q(result__department=org)
        | Q(result__department__isnull=True, result__service__department=org)
        | Q(Exists(results.filter(organisation=org)))
        | (~Q(Exists(results)) & Q(Exists(in_latest))))
    platform = Q(result__subject__kind__in=_ORGANISATION_KINDS,
                 result__subject__object_id=str(org.pk))
    return appeals.annotate(latest_period=Subquery(latest)).filter(service | platform)


def party_appeals(user, appeals=None):
    """Twin of ``appeals.file_objection``: the appeals ``user`` may object to."""
    qs = Appeal.objects.all() if appeals is None else appeals
    org = organisation_of(user)
    if role_of(user) not in parties.PARTY_ROLES or org is None:
        return qs.none()
    return _party_appeals(org, qs)


view_appeal = is_officer | is_party


def visible_appeals(user, appeals=None):
    """Twin of ``appeals.view_appeal``."""
    qs = Appeal.objects.all() if appeals is None else appeals
    if role_of(user) == Role.OFFICER:
        return qs
    return party_appeals(user, qs)


def officer_appeals(user, appeals=None):
    """Twin of ``appeals.decide_appeal``."""
    qs = Appeal.objects.all() if appeals is None else appeals
    return qs if role_of(user) == Role.OFFICER else qs.none()


def releasable_rounds(user, rounds=None):
    """Twin of ``appeals.release_results``."""
    qs = Round.objects.all() if rounds is None else rounds
    return qs if role_of(user) == Role.OFFICER else qs.none()


#: permission name -> django-rules predicate, registered by ``access.registry.register``.
PERMISSIONS: dict = {
    "appeals.view_notices": rules.is_authenticated,
    "appeals.release_results": is_officer,
    "appeals.view_appeal": view_appeal,
    "appeals.file_objection": is_party,
    "appeals.decide_appeal": is_officer,
}
