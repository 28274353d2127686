"""Who may do what with scoring sheets: rules and their queryset twins, registered with
the rest of the policy (:mod:`seonggwa.access.policy`).

- ``sheets.rate_subject`` — an evaluator (평가위원) assigned to the subject, or to the
  whole round, opens and fills their own sheet. Without an object: may open "my sheets".
  The object is a :class:`Target` (round, subject): the sheet may not exist yet.
- ``sheets.view_sheet`` — the sheet's author and officers; versions too.
- ``sheets.edit_sheet`` — only the author, while still assigned (the state — draft,
  re-opened, scoring still open — is the domain's to check, with its reason).
- ``sheets.reopen_sheet`` — officers (with a reason, in the domain).
- ``sheets.manage_scoring`` — officers: progress, desk-review scores, compute, the
  aggregation step by step.

Committee members, departments and contractors never hold a sheet; an evaluator outside
their assignment sees none.
"""

from __future__ import annotations

from dataclasses import dataclass

import rules
from django.db.models import Exists, OuterRef, Q

from seonggwa.access.policy import is_evaluator, is_officer
from seonggwa.accounts.models import Role, role_of
from seonggwa.evaluations.models import Assignment, Round, Subject
from seonggwa.sheets.domain.sheets import is_assigned
from seonggwa.sheets.models import Sheet


@dataclass(frozen=True)
class Target:
    """A subject in a round: what a member rates (their sheet may not exist yet)."""

    round: Round
    subject: Subject


# --- sheets.rate_subject --------------------------------------------------------------

@rules.predicate
def is_assigned_target(user, target) -> bool:
    if target is None:
        return True  # the "my sheets" page itself
    return is_assigned(user, target.round, target.subject)


rate_subject = is_evaluator & is_assigned_target


def rateable_subjects(user, round_: Round, subjects=None):
    """Twin of ``sheets.rate_subject``: the subjects of ``round_`` the user may rate."""
    qs = Subject.objects.all() if subjects is None else subjects
    if role_of(user) != Role.EVALUATOR or user.is_superuser or not user.is_active:
        return qs.none()
    mine = Assignment.objects.filter(round=round_, user=user)
    if mine.filter(subject__isnull=True).exists():
        return qs
    return qs.filter(pk__in=mine.values("subject"))


def assigned_pairs(user):
    """The (round, subject) assignments behind the user's sheets: what "my sheets" lists
    (whole-round assignments are expanded by the page from the round's subjects)."""
    if role_of(user) != Role.EVALUATOR or user.is_superuser:
        return Assignment.objects.none()
    return Assignment.objects.filter(user=user)


# --- sheets.view_sheet ------------------------------------------------------------------

@rules.predicate
def is_author(user, sheet) -> bool:
    return (sheet is not None and getattr(user, "is_authenticated", False)
            and sheet.evaluator_id == user.pk)


view_sheet = is_officer | (is_evaluator & is_author)


def visible_sheets(user, sheets=None):
    """Twin of ``sheets.view_sheet``."""
    qs = Sheet.objects.all() if sheets is None else sheets
    role = role_of(user)
    if role == Role.OFFICER:
        return qs
    if role == Role.EVALUATOR:
        return qs.filter(evaluator=user)
    return qs.none()


# --- sheets.edit_sheet --------------------------------------------------------------------

@rules.predicate
def is_still_assigned(user, sheet) -> bool:
    return sheet is not None and is_assigned(user, sheet.round, sheet.subject)


edit_sheet = is_evaluator & is_author & is_still_assigned


def editable_sheets(user, sheets=None):
    """Twin of ``sheets.edit_sheet``: the user's own sheets they are still assigned to."""
    qs = Sheet.objects.all() if sheets is None else sheets
    if role_of(user) != Role.EVALUATOR or user.is_superuser or not user.is_active:
        return qs.none()
    assigned = Assignment.objects.filter(user=user, round=OuterRef("round")).filter(
        Q(subject__isnull=True) | Q(subject=OuterRef("subject")))
    return qs.filter(evaluator=user).filter(Exists(assigned))


# --- sheets.reopen_sheet, sheets.manage_scoring (officer) ---------------------------------

reopen_sheet = is_officer


def reopenable_sheets(user, sheets=None):
    """Twin of ``sheets.reopen_sheet``."""
    qs = Sheet.objects.all() if sheets is None else sheets
    return qs if role_of(user) == Role.OFFICER else qs.none()


manage_scoring = is_officer


def scoring_rounds(user, rounds=None):
    """Twin of ``sheets.manage_scoring``: the rounds whose scoring the user manages."""
    qs = Round.objects.all() if rounds is None else rounds
    return qs if role_of(user) == Role.OFFICER else qs.none()


#: permission name -> django-rules predicate, registered by ``access.registry.register``.
PERMISSIONS: dict = {
    "sheets.rate_subject": rate_subject,
    "sheets.view_sheet": view_sheet,
    "sheets.edit_sheet": edit_sheet,
    "sheets.reopen_sheet": reopen_sheet,
    "sheets.manage_scoring": manage_scoring,
}
