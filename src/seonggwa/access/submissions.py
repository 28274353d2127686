"""Who may do what in the submissions part of the evaluation process: rules and their queryset
twins, registered with the rest of the policy (:mod:`seonggwa.access.policy`).

The object of every rule is a :class:`~seonggwa.submissions.models.Submission` — possibly
unsaved, when a subject has not submitted anything yet (only its round and subject are
read).

- ``submissions.view_submission`` (see the documents and actuals, download the files):
  officers; the evaluated organisation's contractor-role users; evaluators assigned to the
  round as a whole or to the subject (read-only); the owning department of an outsourced
  service (read-only). Committee members do not read submitted documents.
- ``submissions.change_submission`` (upload, enter actuals, submit): officers and the
  evaluated organisation's users only — acting in another organisation's name is refused.
- ``submissions.reopen_submission`` and ``submissions.manage_submissions`` (the round's
  overview, the audit history of a round): officers.
"""

from __future__ import annotations

import rules
from django.db.models import Exists, OuterRef, Q

from seonggwa.access.policy import is_officer
from seonggwa.accounts.models import Role, organisation_of, role_of
from seonggwa.evaluations.models import Assignment, Subject
from seonggwa.submissions.domain import parties
from seonggwa.submissions.models import Submission


@rules.predicate
def represents_subject(user, submission) -> bool:
    return submission is not None and parties.represents(user, submission.subject)


@rules.predicate
def owns_service_subject(user, submission) -> bool:
    return submission is not None and parties.owns_as_department(user, submission.subject)


@rules.predicate
def is_assigned_evaluator(user, submission) -> bool:
    """An evaluator assigned to the submission's round as a whole or to its subject."""
    if submission is None or role_of(user) != Role.EVALUATOR:
        return False
    return Assignment.objects.filter(user=user, round_id=submission.round_id).filter(
        Q(subject__isnull=True) | Q(subject_id=submission.subject_id)).exists()


view_submission = (is_officer | represents_subject | is_assigned_evaluator
                   | owns_service_subject)
change_submission = is_officer | represents_subject


def _subjects_q(user) -> Q | None:
    """A ``Subject`` filter of the subjects whose submissions ``user`` sees by their
    organisation (``None``: not by organisation)."""
    role = role_of(user)
    if role == Role.CONTRACTOR:
        return parties.represented_subjects(organisation_of(user))
    if role == Role.DEPARTMENT:
        return parties.department_subjects(organisation_of(user))
    return None


def visible_submissions(user, submissions=None):
    """Twin of ``submissions.view_submission``."""
    qs = Submission.objects.all() if submissions is None else submissions
    role = role_of(user)
    if role == Role.OFFICER:
        return qs
    by_org = _subjects_q(user)
    if by_org is not None:
        return qs.filter(subject__in=Subject.objects.filter(by_org))
    if role == Role.EVALUATOR:
        assigned = Assignment.objects.filter(user=user, round=OuterRef("round")).filter(
            Q(subject__isnull=True) | Q(subject=OuterRef("subject")))
        return qs.filter(Exists(assigned))
    return qs.none()


def changeable_submissions(user, submissions=None):
    """Twin of ``submissions.change_submission``."""
    qs = Submission.objects.all() if submissions is None else submissions
    role = role_of(user)
    if role == Role.OFFICER:
        return qs
    if role == Role.CONTRACTOR:
        return qs.filter(subject__in=Subject.objects.filter(_subjects_q(user)))
    return qs.none()


def reopenable_submissions(user, submissions=None):
    """Twin of ``submissions.reopen_submission`` (the state machine says which are
    submitted)."""
    qs = Submission.objects.all() if submissions is None else submissions
    return qs if role_of(user) == Role.OFFICER else qs.none()


def visible_subjects(user, round_, subjects):
    """Of ``subjects`` (a ``Subject`` queryset) in ``round_``, those whose submission
    ``user`` may see — the twin over subjects, for list pages (a subject need not have
    submitted anything yet)."""
    role = role_of(user)
    if role == Role.OFFICER:
        return subjects
    by_org = _subjects_q(user)
    if by_org is not None:
        return subjects.filter(by_org)
    if role == Role.EVALUATOR:
        mine = Assignment.objects.filter(user=user, round=round_)
        if mine.filter(subject__isnull=True).exists():
            return subjects
        return subjects.filter(pk__in=mine.values("subject"))
    return subjects.none()


#: permission name -> django-rules predicate, registered by ``access.registry.register``.
PERMISSIONS: dict = {
    "submissions.view_submission": view_submission,
    "submissions.change_submission": change_submission,
    "submissions.reopen_submission": is_officer,
    "submissions.manage_submissions": is_officer,
}
