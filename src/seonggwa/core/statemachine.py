"""Declarative state machines for domain objects: states, transitions, guards, reasons,
the deadline a transition waits for — and the audit record every transition writes.

Each app declares its machines in one module (e.g.
:mod:`seonggwa.evaluations.domain.lifecycle`); domain functions call
:meth:`StateMachine.fire`; views, imports and commands never set a status field.
A transition names the deadline or event it waits for (``waits_for``) so a scheduler can
fire it when the time comes instead of waiting for someone to open a page.

Written here rather than taken from django-fsm-2 or python-statemachine: both are fine
libraries, but we need exactly three things they do not give together — transitions as
plain data that pages and docs can list, a refusal *message* (translated, naming the
object and the state) instead of an exception type per guard, and the audit record
written in the same call as the change. That is 100 lines; a dependency for it would be
more to learn than to read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from seonggwa.core.audit import record, record_many

# Rows per UPDATE … WHERE pk IN (…): below every backend's bound-parameter limit
# (SQLite builds before 3.32 allow 999).
_UPDATE_CHUNK = 900


class TransitionRefused(ValidationError):
    """A transition that may not happen now; the message says why."""


Guard = Callable[[Any], "str | None"]  # returns the refusal message, or None to allow


@dataclass(frozen=True)
class Transition:
    name: str
    source: tuple[str, ...]
    target: str
    action: str  # audit action, e.g. "result.publish"
    label: str = ""
    guards: tuple[Guard, ...] = ()
    needs_reason: bool = False
    waits_for: str = ""  # the deadline or event this transition waits for, if any


@dataclass(frozen=True)
class StateMachine:
    name: str
    field: str
    states: Mapping[str, Any]  # code -> (lazy) label
    transitions: tuple[Transition, ...]
    snapshot: Callable[[Any], dict] = field(default=lambda obj: {})

    def __post_init__(self):
        names = [t.name for t in self.transitions]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: duplicate transition names")
        for t in self.transitions:
            unknown = [s for s in (*t.source, t.target) if s not in self.states]
            if unknown:
                raise ValueError(f"{self.name}.{t.name}: unknown state(s) {unknown}")

    def transition(self, name: str) -> Transition:
        for t in self.transitions:
            if t.name == name:
                return t
        raise LookupError(f"{self.name} has no transition {name!r}")

    def state_label(self, state: str) -> str:
        return str(self.states.get(state, state))

    def refusal(self, obj, name: str, *, reason: str = "") -> str | None:
        """Why ``name`` may not fire on ``obj`` now, or ``None`` if it may."""
        t = self.transition(name)
        current = getattr(obj, self.field)
        if current not in t.source:
            return _("%(obj)s: %(state)s 상태에서는 '%(transition)s'을(를) 할 수 없습니다.") % {
                "obj": obj, "state": self.state_label(current),
                "transition": t.label or t.name}
        if t.needs_reason and not (reason or "").strip():
            return _("'%(transition)s'에는 사유가 필요합니다.") % {
                "transition": t.label or t.name}
        for guard in t.guards:
            message = guard(obj)
            if message:
                return message
        return None

    def available(self, obj) -> list[Transition]:
        """Transitions that could fire now (guards checked; a reason is asked for later)."""
        current = getattr(obj, self.field)
        return [t for t in self.transitions if current in t.source
                and not any(g(obj) for g in t.guards)]

    def fire(self, obj: models.Model, name: str, *, actor=None, actor_label: str = "",
             reason: str = "", update_fields: tuple[str, ...] = ()) -> models.Model:
        """Move ``obj`` along ``name``: check, set the state, save, audit. Refused
        transitions raise :class:`TransitionRefused` and change nothing."""
        t = self.transition(name)
        message = self.refusal(obj, name, reason=reason)
        if message:
            raise TransitionRefused(message)
        before = {self.field: getattr(obj, self.field), **self.snapshot(obj)}
        setattr(obj, self.field, t.target)
        fields = [self.field, *update_fields]
        if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
            fields.append("updated_at")
        obj.save(update_fields=fields)
        record(t.action, obj, before=before, after={self.field: t.target, **self.snapshot(obj)},
               reason=(reason or "").strip(), actor=actor, actor_label=actor_label)
        return obj

    def fire_many(self, objects: Iterable[models.Model], name: str, *, actor=None,
                  actor_label: str = "", reason: str = "") -> list[models.Model]:
        """Move every object of ``objects`` along ``name`` at once — for loaders,
        generators and whole rounds, where :meth:`fire` one by one costs a save and an
        audit insert per object.

        Every object is checked as :meth:`fire` checks it (state, reason, guards). If any
        is refused, the whole batch is refused: :class:`TransitionRefused` carries one
        message per refused object and nothing changes. Otherwise, in one transaction,
        the state field (and ``updated_at`` where the model has it) is set by one
        ``UPDATE`` per model (in chunks under the backends' parameter limits) guarded by
        the source states, and one audit row per object is written with
        :func:`~seonggwa.core.audit.record_many`. An object whose row changed state
        meanwhile (another process) makes the ``UPDATE`` count fall short: the batch is
        refused and rolled back. The objects in memory get the new state. End state and
        audit rows are those of firing one by one.
        """
        t = self.transition(name)
        objects = list(objects)
        refusals = [message for obj in objects
                    if (message := self.refusal(obj, name, reason=reason))]
        if refusals:
            raise TransitionRefused(refusals)
        if not objects:
            return objects
        if len({(type(obj), obj.pk) for obj in objects}) != len(objects):
            raise ValueError(f"{self.name}.{name}: the same object twice in one batch")
        reason = (reason or "").strip()
        befores = [{self.field: getattr(obj, self.field), **self.snapshot(obj)}
                   for obj in objects]
        by_model: dict[type, list[models.Model]] = {}
        for obj in objects:
            by_model.setdefault(type(obj), []).append(obj)
        now = timezone.now()
        with transaction.atomic():
            for model, members in by_model.items():
                values: dict[str, Any] = {self.field: t.target}
                if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                    values["updated_at"] = now
                pks = [obj.pk for obj in members]
                changed = 0
                for i in range(0, len(pks), _UPDATE_CHUNK):
                    changed += (model._base_manager
                                .filter(pk__in=pks[i:i + _UPDATE_CHUNK],
                                        **{f"{self.field}__in": t.source})
                                .update(**values))
                if changed != len(set(pks)):
                    raise TransitionRefused(
                        _("%(count)s건 중 일부가 그사이 다른 작업으로 바뀌었습니다. "
                          "다시 불러와 주십시오.") % {"count": len(pks)})
                for obj in members:
                    setattr(obj, self.field, t.target)
                    if "updated_at" in values:
                        obj.updated_at = now
            record_many([(t.action, obj, before, {self.field: t.target, **self.snapshot(obj)})
                         for obj, before in zip(objects, befores, strict=True)],
                        actor=actor, actor_label=actor_label, reason=reason)
        return objects

    def table(self) -> list[dict]:
        """The machine as rows (for docs and pages): from, transition, to, waits for."""
        return [{"from": [self.state_label(s) for s in t.source], "transition": t.label or t.name,
                 "to": self.state_label(t.target), "needs_reason": t.needs_reason,
                 "waits_for": t.waits_for} for t in self.transitions]
