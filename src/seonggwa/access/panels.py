"""Who may do what in the panels part of the evaluation process: rules and their queryset
twins, registered with the rest of the policy (:mod:`seonggwa.access.policy`).

- ``panels.manage_panels`` (seat and unseat, the round's default composition, the member
  pool, lifting a conflict): officers.
- ``panels.view_seat`` (who sits on a panel): officers; the member on their own seat;
  the evaluated organisation's contractor-role users on their subject's panel (they
  must know the members to challenge one). Evaluators see no one else's panels.
- ``panels.act_as_member`` (the member's own page: declare conflicts, recuse):
  evaluator-role users in the pool.
- ``panels.recuse`` (a seat): the member seated on it.
- ``panels.withdraw_recusal`` / ``panels.withdraw_declaration``: the member who made it,
  while it is in force.
- ``panels.file_challenge`` (a subject): the evaluated organisation's contractor-role
  users, for their own subject only.
- ``panels.view_challenge``: officers, the evaluated organisation's users.
- ``panels.decide_challenge``: officers, on a challenge not yet decided.
"""

from __future__ import annotations

import rules

from seonggwa.access.policy import is_evaluator, is_officer
from seonggwa.accounts.models import Role, organisation_of, role_of
from seonggwa.evaluations.models import Subject
from seonggwa.panels.domain.parties import acts_for, subjects_of_organisation
from seonggwa.panels.models import (
    Challenge,
    ChallengeState,
    DeclaredConflict,
    MemberProfile,
    Recusal,
    RecusalState,
    Seat,
)


def _own_subjects(user):
    """The subjects ``user`` acts for as a contractor-role user (else none)."""
    if role_of(user) != Role.CONTRACTOR:
        return Subject.objects.none()
    return subjects_of_organisation(organisation_of(user))


# --- panels.act_as_member ------------------------------------------------------------

@rules.predicate
def in_pool(user) -> bool:
    return (getattr(user, "is_authenticated", False)
            and MemberProfile.objects.filter(user=user).exists())


act_as_member = is_evaluator & in_pool


# --- panels.view_seat ---------------------------------------------------------------

@rules.predicate
def is_own_seat(user, seat) -> bool:
    return (seat is not None and role_of(user) == Role.EVALUATOR
            and seat.member_id == user.pk)


@rules.predicate
def is_evaluated_party(user, obj) -> bool:
    """A contractor-role user of the evaluated organisation of ``obj``'s subject (``obj``:
    a seat, a challenge, or the subject itself)."""
    if obj is None:
        return False
    subject = obj if isinstance(obj, Subject) else obj.subject
    return acts_for(user, subject)


view_seat = is_officer | is_own_seat | is_evaluated_party


def visible_seats(user, seats=None):
    """Twin of ``panels.view_seat``."""
    qs = Seat.objects.all() if seats is None else seats
    role = role_of(user)
    if role == Role.OFFICER:
        return qs
    if role == Role.EVALUATOR:
        return qs.filter(member=user)
    if role == Role.CONTRACTOR:
        return qs.filter(subject__in=_own_subjects(user))
    return qs.none()


# --- panels.recuse ------------------------------------------------------------------

@rules.predicate
def is_active_seat(user, seat) -> bool:
    return seat is not None and seat.ended_at is None


recuse = is_own_seat & is_active_seat & in_pool


def recusable_seats(user, seats=None):
    """Twin of ``panels.recuse``."""
    qs = Seat.objects.all() if seats is None else seats
    if not act_as_member.test(user):
        return qs.none()
    return qs.filter(member=user, ended_at__isnull=True)


# --- panels.withdraw_recusal / panels.withdraw_declaration --------------------------

@rules.predicate
def is_own_active_recusal(user, recusal) -> bool:
    return (recusal is not None and role_of(user) == Role.EVALUATOR
            and recusal.member_id == user.pk and recusal.state == RecusalState.ACTIVE)


withdraw_recusal = is_own_active_recusal


def withdrawable_recusals(user, recusals=None):
    """Twin of ``panels.withdraw_recusal``."""
    qs = Recusal.objects.all() if recusals is None else recusals
    if role_of(user) != Role.EVALUATOR:
        return qs.none()
    return qs.filter(member=user, state=RecusalState.ACTIVE)


@rules.predicate
def is_own_active_declaration(user, declaration) -> bool:
    return (declaration is not None and role_of(user) == Role.EVALUATOR
            and declaration.member_id == user.pk and declaration.withdrawn_at is None)


withdraw_declaration = is_own_active_declaration


def withdrawable_declarations(user, declarations=None):
    """Twin of ``panels.withdraw_declaration``."""
    qs = DeclaredConflict.objects.all() if declarations is None else declarations
    if role_of(user) != Role.EVALUATOR:
        return qs.none()
    return qs.filter(member=user, withdrawn_at__isnull=True)


# --- panels.file_challenge (object: a subject) --------------------------------------

file_challenge = is_evaluated_party


def challengeable_subjects(user, subjects=None):
    """Twin of ``panels.file_challenge``."""
    qs = Subject.objects.all() if subjects is None else subjects
    return qs.filter(pk__in=_own_subjects(user).values("pk"))


# --- panels.view_challenge / panels.decide_challenge --------------------------------

view_challenge = is_officer | is_evaluated_party


def visible_challenges(user, challenges=None):
    """Twin of ``panels.view_challenge``."""
    qs = Challenge.objects.all() if challenges is None else challenges
    if role_of(user) == Role.OFFICER:
        return qs
    return qs.filter(subject__in=_own_subjects(user))


@rules.predicate
def is_undecided(user, challenge) -> bool:
    return challenge is not None and challenge.state == ChallengeState.FILED


decide_challenge = is_officer & is_undecided


def decidable_challenges(user, challenges=None):
    """Twin of ``panels.decide_challenge``."""
    qs = Challenge.objects.all() if challenges is None else challenges
    if role_of(user) != Role.OFFICER:
        return qs.none()
    return qs.filter(state=ChallengeState.FILED)


# --- panels.manage_panels ----------------------------------------------------------

manage_panels = is_officer


#: permission name -> django-rules predicate, registered by ``access.registry.register``.
PERMISSIONS: dict = {
    "panels.manage_panels": manage_panels,
    "panels.view_seat": view_seat,
    "panels.act_as_member": act_as_member,
    "panels.recuse": recuse,
    "panels.withdraw_recusal": withdraw_recusal,
    "panels.withdraw_declaration": withdraw_declaration,
    "panels.file_challenge": file_challenge,
    "panels.view_challenge": view_challenge,
    "panels.decide_challenge": decide_challenge,
}
