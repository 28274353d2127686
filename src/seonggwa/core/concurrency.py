"""No lost updates: an optimistic version check for every edit form.

Every change of domain state writes an audit event through the one write path
(:mod:`seonggwa.core.audit`), so the id of the newest audit event about an object is its
*version*. An edit form carries the version it was loaded at as a hidden field
(:data:`FIELD`); the save locks the object's row, compares, and refuses when someone
changed it in between — naming who and when from that audit event — instead of silently
overwriting their change::

    version = concurrency.version_of(service)            # GET: into the form
    ...
    try:
        with concurrency.guarded(concurrency.posted(request.POST), service) as fresh:
            changes.update_service(fresh, ...)           # POST: only if unchanged
    except concurrency.StaleEdit as exc:
        form.add_error(None, exc.message)                # re-show, input kept

The row lock (``SELECT … FOR UPDATE OF`` the object's own table, which PostgreSQL needs
when a nullable relation is joined) makes two simultaneous saves take turns: the second
waits, then sees the first's audit event and is refused. A form whose conflicts are
wider than one object (a round's assignments, a year's due list) passes its own audit
``events`` queryset and the rows to lock.

An integer ``version`` column per model would need a migration in every app and a second
thing to keep in step with the audit trail; the audit trail is already written on every
change, by the one path that changes anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from seonggwa.core.models import AuditEvent

#: Name of the hidden form field carrying the version the form was loaded at.
FIELD = "version"


class StaleEdit(Exception):  # noqa: N818 - the domain word
    """The object changed since the form was loaded; ``event`` says who changed it when.

    ``version`` is the object's version now (for the re-shown form)."""

    def __init__(self, event: AuditEvent | None, version: int = 0):
        self.event = event
        self.version = version
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if self.event is None:
            return _("이 화면을 불러온 시점을 알 수 없습니다. 다시 불러온 뒤 수정하세요.")
        return _("%(who)s님이 %(when)s에 변경했습니다. 다시 불러온 뒤 수정하세요.") % {
            "who": who(self.event), "when": when(self.event)}


def who(event: AuditEvent) -> str:
    """The name of whoever wrote ``event``: the user's full name, else the label."""
    user = event.actor
    if user is not None:
        return user.get_full_name() or user.get_username()
    return event.actor_label or _("시스템")


def when(event: AuditEvent) -> str:
    """``event``'s time in the local zone and the active language's format."""
    return formats.date_format(timezone.localtime(event.at), "DATETIME_FORMAT")


def events_for(*objs: models.Model) -> models.QuerySet:
    """The audit events about any of ``objs``."""
    q = Q(pk__in=[])
    for obj in objs:
        q |= Q(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return AuditEvent.objects.filter(q)


def version(events: models.QuerySet) -> int:
    """The version of whatever ``events`` are about: the newest event's id (0: none)."""
    return events.order_by().aggregate(v=Max("id"))["v"] or 0


def version_of(*objs: models.Model) -> int:
    return version(events_for(*objs))


def versions_of(objs) -> dict:
    """The version of each of ``objs`` (all of one model), by primary key, in one query:
    for a list page whose rows each carry a form."""
    objs = list(objs)
    if not objs:
        return {}
    label = objs[0]._meta.label_lower
    rows = (AuditEvent.objects.filter(object_type=label,
                                      object_id__in=[str(o.pk) for o in objs])
            .order_by().values("object_id").annotate(v=Max("id")))
    found = {row["object_id"]: row["v"] for row in rows}
    return {o.pk: found.get(str(o.pk), 0) for o in objs}


def posted(data, field: str = FIELD) -> int | None:
    """The version a submitted form was loaded at (``None``: missing or not a number)."""
    raw = (data.get(field) or "").strip()
    return int(raw) if raw.isdigit() else None


def check(events: models.QuerySet, loaded: int | None) -> None:
    """Refuse (:class:`StaleEdit`) when any of ``events`` is newer than ``loaded``."""
    if loaded is None:
        raise StaleEdit(None, version(events))
    newer = events.filter(pk__gt=loaded).select_related("actor").order_by("-id").first()
    if newer is not None:
        raise StaleEdit(newer, newer.pk)


def lock(*objs: models.Model) -> list[models.Model]:
    """Each of ``objs`` read again under a row lock, held to the end of the transaction."""
    fresh = []
    for obj in objs:
        qs = type(obj)._default_manager.select_for_update(of=("self",))
        fresh.append(qs.get(pk=obj.pk))
    return fresh


@contextmanager
def guarded(loaded: int | None, *objs: models.Model,
            events: models.QuerySet | None = None) -> Iterator:
    """A transaction in which ``objs`` are locked and known unchanged since version
    ``loaded``; yields the locked objects read again (one object: itself, else a list).

    ``events`` (default: the audit events about ``objs``) are the changes that count as
    a conflict."""
    with transaction.atomic():
        fresh = lock(*objs)
        check(events_for(*objs) if events is None else events, loaded)
        yield fresh[0] if len(fresh) == 1 else fresh
