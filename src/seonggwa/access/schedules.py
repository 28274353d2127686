"""Who may do what in the schedules part of the evaluation process: rules and their queryset
twins, registered with the rest of the policy (:mod:`seonggwa.access.policy`).

- ``schedules.view_schedule`` (a subject's schedule in a round: period, submission due,
  meeting) and ``schedules.view_window`` (a deadline window and how it was counted):
  officers; evaluators and committee members assigned to the round as a whole or to the
  subject; the evaluated organisation's own users — a contractor-role user of the
  subject's organisation (a district's civic platform) or of a contractor of the
  service, a department user of the service's department. A round-wide window (no
  subject) is seen by whoever sees a subject of that round.
- ``schedules.change_schedule`` (edit schedules, set windows, record notices, early
  evaluation) and ``schedules.manage_days_off`` (the table of extra days off): officers.
"""

from __future__ import annotations

import rules
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast

from seonggwa.access.policy import ASSIGNED_ROLES, assignments_of, is_officer
from seonggwa.accounts.models import Role, organisation_of, role_of
from seonggwa.evaluations.models import Subject, SubjectKind
from seonggwa.registry.models import Organisation, Service
from seonggwa.schedules.models import Schedule, Window

#: Subject kinds that stand for an organisation (the organisation's own users see them).
ORGANISATION_KINDS = (SubjectKind.PLATFORM, SubjectKind.ORGANISATION)


def _service_ids(services) -> object:
    return services.annotate(key_text=Cast("pk", CharField())).values("key_text")


def own_subjects_q(user) -> Q | None:
    """A ``Subject`` filter of the subjects ``user``'s organisation is evaluated as, or
    owns (``None``: the user sees subjects through no organisation)."""
    role, org = role_of(user), organisation_of(user)
    if org is None or role not in (Role.CONTRACTOR, Role.DEPARTMENT):
        return None
    org_type = ContentType.objects.get_for_model(Organisation)
    service_type = ContentType.objects.get_for_model(Service)
    services = (Service.objects.for_contractor(org) if role == Role.CONTRACTOR
                else Service.objects.filter(department=org))
    return (Q(kind__in=ORGANISATION_KINDS, content_type=org_type, object_id=str(org.pk))
            | Q(kind=SubjectKind.SERVICE, content_type=service_type,
                object_id__in=_service_ids(services)))


def _sees_subject(user, round_id: int, subject_id: int) -> bool:
    role = role_of(user)
    if role in ASSIGNED_ROLES:
        return assignments_of(user).filter(round_id=round_id).filter(
            Q(subject__isnull=True) | Q(subject_id=subject_id)).exists()
    own = own_subjects_q(user)
    return own is not None and Subject.objects.filter(own, pk=subject_id).exists()


def _sees_round(user, round_id: int) -> bool:
    """Sees some subject of the round: assigned to it, or its own subject has a schedule
    or a window there."""
    role = role_of(user)
    if role in ASSIGNED_ROLES:
        return assignments_of(user).filter(round_id=round_id).exists()
    own = own_subjects_q(user)
    if own is None:
        return False
    mine = Subject.objects.filter(own)
    return (Schedule.objects.filter(round_id=round_id, subject__in=mine).exists()
            or Window.objects.filter(round_id=round_id, subject__in=mine).exists())


@rules.predicate
def sees_schedule(user, schedule) -> bool:
    return schedule is not None and _sees_subject(user, schedule.round_id, schedule.subject_id)


@rules.predicate
def sees_window(user, window) -> bool:
    if window is None:
        return False
    if window.subject_id is None:
        return _sees_round(user, window.round_id)
    return _sees_subject(user, window.round_id, window.subject_id)


view_schedule = is_officer | sees_schedule
view_window = is_officer | sees_window
change_schedule = is_officer
manage_days_off = is_officer


def _assigned_q(user, round_field: str, subject_field: str | None) -> Q:
    assigned = assignments_of(user).filter(round=OuterRef(round_field))
    if subject_field is not None:
        assigned = assigned.filter(Q(subject__isnull=True) | Q(subject=OuterRef(subject_field)))
    return Q(Exists(assigned))


def visible_schedules(user, schedules=None):
    """Twin of ``schedules.view_schedule``."""
    qs = Schedule.objects.all() if schedules is None else schedules
    role = role_of(user)
    if role == Role.OFFICER:
        return qs
    if role in ASSIGNED_ROLES:
        return qs.filter(_assigned_q(user, "round", "subject"))
    own = own_subjects_q(user)
    if own is None:
        return qs.none()
    return qs.filter(subject__in=Subject.objects.filter(own))


def visible_windows(user, windows=None):
    """Twin of ``schedules.view_window``."""
    qs = Window.objects.all() if windows is None else windows
    role = role_of(user)
    if role == Role.OFFICER:
        return qs
    roundwide = Q(subject__isnull=True)
    if role in ASSIGNED_ROLES:
        return qs.filter((~roundwide & _assigned_q(user, "round", "subject"))
                         | (roundwide & _assigned_q(user, "round", None)))
    own = own_subjects_q(user)
    if own is None:
        return qs.none()
    mine = Subject.objects.filter(own)
    in_round = (Q(Exists(Schedule.objects.filter(round=OuterRef("round"), subject__in=mine)))
                | Q(Exists(Window.objects.filter(round=OuterRef("round"), subject__in=mine))))
    return qs.filter(Q(subject__in=mine) | (roundwide & in_round))


def changeable_schedules(user, schedules=None):
    """Twin of ``schedules.change_schedule`` (schedules and their windows)."""
    qs = Schedule.objects.all() if schedules is None else schedules
    return qs if role_of(user) == Role.OFFICER else qs.none()


#: permission name -> django-rules predicate, registered by ``access.registry.register``.
PERMISSIONS: dict = {
    "schedules.view_schedule": view_schedule,
    "schedules.view_window": view_window,
    "schedules.change_schedule": change_schedule,
    "schedules.manage_days_off": manage_days_off,
}
