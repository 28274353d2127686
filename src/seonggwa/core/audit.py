"""``record()`` is the one way to write the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import models

from seonggwa.core.models import AuditEvent


def record(
    action: str,
    obj: models.Model,
    *,
    actor=None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    actor_label: str = "",
) -> AuditEvent:
    """Append one audit event about ``obj``.

    ``actor`` is a user or ``None`` for system jobs (loaders, schedulers); give those an
    ``actor_label`` such as ``"load_seoul"`` so the trail says who acted.
    """
    user, label = resolve_actor(actor, actor_label)
    return AuditEvent.objects.create(
        actor=user,
        actor_label=label,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=_jsonable(before),
        after=_jsonable(after),
        reason=reason,
    )


def resolve_actor(actor, actor_label: str = "") -> tuple[Any, str]:
    """The user to store (``None`` unless authenticated) and the label naming who acted:
    ``actor_label`` if given, else the user's name, else ``"system"``."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return user, actor_label or (user.get_username() if user else "system")


def _jsonable(value: Any) -> Any:
    """Decimals and dates go into JSON as strings, exactly as they were."""
    if value is None:
        return None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def record_many(events: list[tuple[str, models.Model, dict | None, dict | None]], *,
                actor=None, actor_label: str = "", reason: str = "") -> int:
    """Append one audit event per ``(action, obj, before, after)`` in one bulk insert —
    for loaders, generators and imports that change thousands of rows at once."""
    user, label = resolve_actor(actor, actor_label)
    AuditEvent.objects.bulk_create([
        AuditEvent(actor=user, actor_label=label, action=action,
                   object_type=obj._meta.label_lower, object_id=str(obj.pk),
                   object_repr=str(obj)[:300], before=_jsonable(before),
                   after=_jsonable(after), reason=reason)
        for action, obj, before, after in events
    ], batch_size=2000)
    return len(events)
