"""Who may do what to which object — and, right beside each rule, its queryset twin.

Every object rule is a django-rules predicate registered as a permission by
:func:`register`; its twin narrows a queryset to exactly the objects for which the rule
holds (``user.has_perm(perm, obj)`` ⇔ ``obj in twin(user, qs)``, tested as a matrix in
``tests/access``). List pages use the twin, detail pages the rule.

Roles (:class:`seonggwa.accounts.models.Role`):

- officer (and superuser): everything;
- department: its own services and their results (also results where it was the
  department at evaluation), plus published results and rounds;
- contractor: services it holds or held a contract for, or was evaluated on, and results
  where it is (one of) the contractor(s), plus published results and rounds;
- evaluator, committee: what they are **assigned** to (an
  :class:`~seonggwa.evaluations.models.Assignment` for a round — the whole round when its
  subject is empty, else that subject in that round), plus what is published to everyone;
- anyone else (anonymous, or signed in without a role): published results and rounds, and
  services with a published result.

What the public pages and open data show is one rule here too, the same for everyone,
signed in or not: ``evaluations.view_public_result`` (:func:`is_public_result`) and its
twin :func:`public_results` — a published result of a published round — and
:func:`public_narratives`, the narratives of published rounds. The portal asks these,
never a filter of its own.

Changing results is the officer's: editing a draft and finalising it
(``evaluations.change_result``), publishing (``evaluations.publish_result``), correcting a
finalised or published result with a reason (``evaluations.correct_result``, which holds
only for such results) and finalising or publishing a whole round
(``evaluations.manage_round``).

Department and contractor users see *their own* services in the office, not every service
with a published result (those are on the public portal, which asks the public rule).
"""

from __future__ import annotations

import rules
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q

from seonggwa.accounts.models import Role, organisation_of, role_of
from seonggwa.evaluations.models import (
    Assignment,
    Narrative,
    Result,
    Round,
    Status,
    SubjectKind,
)
from seonggwa.registry.models import Service

#: Roles whose view is limited to their assignments (plus what is published).
ASSIGNED_ROLES = (Role.EVALUATOR, Role.COMMITTEE)


# --- roles --------------------------------------------------------------------------

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


def can_see_everything(user) -> bool:
    """Only officers (and superusers) see every row, whatever its status."""
    return role_of(user) == Role.OFFICER


def _org(user, role):
    """The user's organisation when the user has ``role``, else ``None``."""
    return organisation_of(user) if role_of(user) == role else None


def assignments_of(user):
    """The assignments that scope ``user`` (none unless evaluator or committee)."""
    if role_of(user) not in ASSIGNED_ROLES:
        return Assignment.objects.none()
    return Assignment.objects.filter(user=user)


@rules.predicate
def is_published(user, obj) -> bool:
    return obj is not None and getattr(obj, "status", None) == Status.PUBLISHED


# --- results: evaluations.view_result ------------------------------------------------

@rules.predicate
def is_own_department_result(user, result) -> bool:
    org = _org(user, Role.DEPARTMENT)
    if result is None or org is None:
        return False
    return result.department_id == org.pk or (
        result.service_id is not None and result.service.department_id == org.pk)


@rules.predicate
def is_own_contractor_result(user, result) -> bool:
    org = _org(user, Role.CONTRACTOR)
    if result is None or org is None:
        return False
    return result.contractors.filter(pk=org.pk).exists()


@rules.predicate
def is_assigned_result(user, result) -> bool:
    """An evaluator or committee member assigned to the result's round as a whole, or to
    its subject in that round."""
    if result is None:
        return False
    return assignments_of(user).filter(round_id=result.round_id).filter(
        Q(subject__isnull=True) | Q(subject_id=result.subject_id)).exists()


view_result = (is_officer | is_published | is_own_department_result
               | is_own_contractor_result | is_assigned_result)


def visible_results(user, results=None):
    """Twin of ``evaluations.view_result``: the results ``user`` may see."""
    qs = Result.objects.all() if results is None else results
    role = role_of(user)
    if role == Role.OFFICER:
        return qs
    published = Q(status=Status.PUBLISHED)
    org = organisation_of(user)
    if role == Role.DEPARTMENT and org is not None:
        return qs.filter(published | Q(department=org) | Q(service__department=org)).distinct()
    if role == Role.CONTRACTOR and org is not None:
        return qs.filter(published | Q(contractors=org)).distinct()
    if role in ASSIGNED_ROLES:
        assigned = assignments_of(user).filter(round=OuterRef("round")).filter(
            Q(subject__isnull=True) | Q(subject=OuterRef("subject")))
        return qs.filter(published | Q(Exists(assigned)))
    return qs.filter(published)


# --- the public: evaluations.view_public_result (everyone; public pages, open data) ---

@rules.predicate
def is_public_result(user, result) -> bool:
    """Disclosed to everyone: a published result of a published round (a result published
    before its round is seen in the office by those who may, not yet by the public)."""
    return (result is not None and result.status == Status.PUBLISHED
            and result.round.status == Status.PUBLISHED)


view_public_result = is_public_result


def public_results(results=None):
    """Twin of ``evaluations.view_public_result``: the results on the public pages and in
    open data (the same for every user)."""
    qs = Result.objects.all() if results is None else results
    return qs.filter(status=Status.PUBLISHED, round__status=Status.PUBLISHED)


def public_narratives(narratives=None):
    """The narratives the public pages show: those of published rounds."""
    qs = Narrative.objects.all() if narratives is None else narratives
    return qs.filter(round__status=Status.PUBLISHED)


# --- results: evaluations.change_result (officer; only through the workflow) ----------

change_result = is_officer


def changeable_results(user, results=None):
    """Twin of ``evaluations.change_result``."""
    qs = Result.objects.all() if results is None else results
    return qs if role_of(user) == Role.OFFICER else qs.none()


# --- results: evaluations.publish_result (officer) ----------------------------------
# Finalising (확정) a draft is a change of the result (``change_result``); publishing
# (공개) discloses it to everyone, a separate permission so it can be given on its own.

publish_result = is_officer


def publishable_results(user, results=None):
    """Twin of ``evaluations.publish_result``."""
    qs = Result.objects.all() if results is None else results
    return qs if role_of(user) == Role.OFFICER else qs.none()


# --- results: evaluations.correct_result (officer; finalised or published results) ---

LOCKED_STATUSES = (Status.FINALISED, Status.PUBLISHED)


@rules.predicate
def is_locked_result(user, result) -> bool:
    """A finalised or published result: it changes only by a correction (정정)."""
    return result is not None and getattr(result, "status", None) in LOCKED_STATUSES


correct_result = is_officer & is_locked_result


def correctable_results(user, results=None):
    """Twin of ``evaluations.correct_result``: an officer's finalised and published
    results."""
    qs = Result.objects.all() if results is None else results
    if role_of(user) != Role.OFFICER:
        return qs.none()
    return qs.filter(status__in=LOCKED_STATUSES)


# --- rounds: evaluations.manage_round (officer: finalise and publish a round) --------

manage_round = is_officer


def manageable_rounds(user, rounds=None):
    """Twin of ``evaluations.manage_round``."""
    qs = Round.objects.all() if rounds is None else rounds
    return qs if role_of(user) == Role.OFFICER else qs.none()


# --- results: evaluations.run_what_if (officer | committee) --------------------------

@rules.predicate
def _what_if_over(user, result) -> bool:
    """Without an object: may open the what-if page; with a result: may see it there."""
    return result is None or view_result.test(user, result)


run_what_if = is_officer | (is_committee & _what_if_over)


def what_if_results(user, results=None):
    """Twin of ``evaluations.run_what_if``: the results the what-if of ``user`` covers —
    an officer's all of ``results``; a committee member's the ones they may see."""
    qs = Result.objects.all() if results is None else results
    role = role_of(user)
    if role == Role.OFFICER:
        return qs
    if role == Role.COMMITTEE:
        return visible_results(user, qs)
    return qs.none()


# --- rounds: evaluations.view_round --------------------------------------------------

@rules.predicate
def is_assigned_round(user, round_) -> bool:
    """Assigned to the round as a whole or to any of its subjects."""
    return round_ is not None and assignments_of(user).filter(round_id=round_.pk).exists()


view_round = is_officer | is_published | is_assigned_round


def visible_rounds(user, rounds=None):
    """Twin of ``evaluations.view_round``."""
    qs = Round.objects.all() if rounds is None else rounds
    role = role_of(user)
    if role == Role.OFFICER:
        return qs
    published = Q(status=Status.PUBLISHED)
    if role in ASSIGNED_ROLES:
        return qs.filter(published | Q(pk__in=assignments_of(user).values("round")))
    return qs.filter(published)


# --- services: registry.view_service -------------------------------------------------

def _published_result_exists():
    return Exists(Result.objects.filter(service=OuterRef("pk"), status=Status.PUBLISHED))


def _assigned_service_q(user) -> Q:
    """Services ``user`` is assigned to: a service subject assigned directly, or a service
    with a result in a round assigned as a whole."""
    mine = assignments_of(user)
    ctype = ContentType.objects.get_for_model(Service)
    ids = {int(oid) for oid in mine.filter(
        subject__kind=SubjectKind.SERVICE, subject__content_type=ctype,
    ).values_list("subject__object_id", flat=True) if str(oid).isdigit()}
    whole_rounds = mine.filter(subject__isnull=True).values("round")
    return Q(pk__in=ids) | Q(Exists(Result.objects.filter(service=OuterRef("pk"),
                                                          round__in=whole_rounds)))


@rules.predicate
def is_own_department_service(user, service) -> bool:
    org = _org(user, Role.DEPARTMENT)
    return service is not None and org is not None and service.department_id == org.pk


@rules.predicate
def is_own_contractor_service(user, service) -> bool:
    org = _org(user, Role.CONTRACTOR)
    if service is None or org is None:
        return False
    return Service.objects.for_contractor(org).filter(pk=service.pk).exists()


@rules.predicate
def is_assigned_service(user, service) -> bool:
    if service is None or role_of(user) not in ASSIGNED_ROLES:
        return False
    return Service.objects.filter(pk=service.pk).filter(_assigned_service_q(user)).exists()


@rules.predicate
def has_published_result(user, service) -> bool:
    """The public's access: a service with a published result — not for department and
    contractor users, who see their own services."""
    if service is None or role_of(user) in (Role.DEPARTMENT, Role.CONTRACTOR):
        return False
    return Service.objects.filter(pk=service.pk).filter(_published_result_exists()).exists()


view_service = (is_officer | is_own_department_service | is_own_contractor_service
                | is_assigned_service | has_published_result)


def visible_services(user, services=None):
    """Twin of ``registry.view_service``: the services ``user`` may see."""
    qs = Service.objects.all() if services is None else services
    role = role_of(user)
    if role == Role.OFFICER:
        return qs
    if role in (Role.DEPARTMENT, Role.CONTRACTOR):
        org = organisation_of(user)
        if org is None:
            return qs.none()
        if role == Role.DEPARTMENT:
            return qs.filter(department=org)
        return qs.filter(pk__in=Service.objects.for_contractor(org).values("pk"))
    published = Q(_published_result_exists())
    if role in ASSIGNED_ROLES:
        return qs.filter(published | _assigned_service_q(user))
    return qs.filter(published)


# --- services: registry.change_service (officer) -------------------------------------

change_service = is_officer


def changeable_services(user, services=None):
    """Twin of ``registry.change_service``."""
    qs = Service.objects.all() if services is None else services
    return qs if role_of(user) == Role.OFFICER else qs.none()


# --- services: registry.view_decision_sheet ------------------------------------------

view_decision_sheet = (is_officer | (is_committee & is_assigned_service)
                       | is_own_department_service)


def decision_sheet_services(user, services=None):
    """Twin of ``registry.view_decision_sheet``."""
    qs = Service.objects.all() if services is None else services
    role = role_of(user)
    if role == Role.OFFICER:
        return qs
    if role == Role.COMMITTEE:
        return qs.filter(_assigned_service_q(user))
    org = organisation_of(user)
    if role == Role.DEPARTMENT and org is not None:
        return qs.filter(department=org)
    return qs.none()


# --- improvement tasks: evaluations.set_follow_up -------------------------------------

@rules.predicate
def is_own_department_item(user, item) -> bool:
    """An improvement task (``NarrativeItem``) of a service the user's department owns."""
    org = _org(user, Role.DEPARTMENT)
    if item is None or org is None:
        return False
    return item.narrative.service.department_id == org.pk


set_follow_up = is_officer | is_own_department_item


def follow_up_items(user, items):
    """Twin of ``evaluations.set_follow_up`` over a ``NarrativeItem`` queryset."""
    role = role_of(user)
    if role == Role.OFFICER:
        return items
    org = organisation_of(user)
    if role == Role.DEPARTMENT and org is not None:
        return items.filter(narrative__service__department=org)
    return items.none()


# --- registration --------------------------------------------------------------------

PERMISSIONS = {
    "office.view_office": is_staff_member,
    "office.manage_evaluations": is_officer,
    "evaluations.view_result": view_result,
    "evaluations.view_public_result": view_public_result,
    "evaluations.change_result": change_result,
    "evaluations.view_round": view_round,
    "evaluations.manage_round": manage_round,
    "evaluations.publish_result": publish_result,
    "evaluations.correct_result": correct_result,
    "evaluations.run_what_if": run_what_if,
    "evaluations.adjust_due": is_officer,
    "evaluations.set_follow_up": set_follow_up,
    "registry.view_service": view_service,
    "registry.change_service": change_service,
    "registry.view_decision_sheet": view_decision_sheet,
}
