"""Assigning evaluators and committee members to what they evaluate or review.

An :class:`~seonggwa.evaluations.models.Assignment` scopes what an evaluator or committee
member sees (the access policy, :mod:`seonggwa.access`): a whole round (``subject``
empty) or one subject in it. Only officers assign (the office page checks
``office.manage_evaluations``); every change is audited.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from seonggwa.accounts.models import Role, role_of
from seonggwa.core.audit import record, resolve_actor
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.models import Assignment, Round, Subject

#: The roles whose view is scoped by assignments.
ASSIGNABLE_ROLES = (Role.EVALUATOR, Role.COMMITTEE)


def _describe(assignment: Assignment) -> dict:
    return {"user": assignment.user.get_username(), "round": str(assignment.round),
            "round_id": assignment.round_id, "subject": str(assignment.subject or ""),
            "subject_id": assignment.subject_id}


def _check(user, round_: Round, subject: Subject | None) -> None:
    if role_of(user) not in ASSIGNABLE_ROLES or user.is_superuser:
        raise WorkflowError(_("평가위원이나 위원회·의회 사용자만 배정할 수 있습니다."))


def _same(user, round_: Round, subject: Subject | None):
    qs = Assignment.objects.filter(user=user, round=round_)
    return qs.filter(subject=subject) if subject is not None else qs.filter(
        subject__isnull=True)


@transaction.atomic
def assign(user, round_: Round, subject: Subject | None = None, *, actor,
           actor_label: str = "") -> Assignment:
    """Assign ``user`` (an evaluator or committee member) to ``round_`` — the whole round
    when ``subject`` is ``None``, else that subject in it. Refuses a duplicate."""
    _check(user, round_, subject)
    if _same(user, round_, subject).exists():
        raise WorkflowError(_("이미 같은 배정이 있습니다."))
    by, label = resolve_actor(actor, actor_label)
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                user=user, round=round_, subject=subject, assigned_by=by,
                assigned_label=label)
    except IntegrityError as exc:  # a concurrent duplicate
        raise WorkflowError(_("이미 같은 배정이 있습니다.")) from exc
    record("assignment.add", assignment, actor=actor, actor_label=actor_label,
           after=_describe(assignment))
    return assignment


@transaction.atomic
def unassign(user, round_: Round, subject: Subject | None = None, *, actor,
             actor_label: str = "") -> None:
    """Remove the assignment of ``user`` to ``round_`` (and ``subject``). Refuses when
    there is no such assignment."""
    _check(user, round_, subject)
    assignment = _same(user, round_, subject).select_related("user", "round", "subject").first()
    if assignment is None:
        raise WorkflowError(_("해당 배정이 없습니다."))
    before = _describe(assignment)
    record("assignment.remove", assignment, actor=actor, actor_label=actor_label,
           before=before)
    assignment.delete()
