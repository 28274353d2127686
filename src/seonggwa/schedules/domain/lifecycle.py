"""The window's state machine: scheduled → open → closed, moved by dates.

The scheduler (:func:`seonggwa.schedules.domain.windows.tick`) opens and closes windows
as days pass; an officer's change of dates can also move a window back (a closed window
reopened by an extension, an open one postponed), which needs a reason.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from seonggwa.core.statemachine import StateMachine, Transition
from seonggwa.schedules.models import WindowState

S = WindowState

WINDOW = StateMachine(
    name="window",
    field="state",
    states={s.value: s.label for s in WindowState},
    transitions=(
        Transition("open", (S.SCHEDULED,), S.OPEN, "window.open", label=_("기한 시작"),
                   waits_for="opens_on"),
        Transition("close", (S.SCHEDULED, S.OPEN), S.CLOSED, "window.close",
                   label=_("기한 마감"), waits_for="due_on"),
        Transition("reopen", (S.CLOSED,), S.OPEN, "window.reopen", label=_("기한 다시 열기"),
                   needs_reason=True),
        Transition("postpone", (S.OPEN, S.CLOSED), S.SCHEDULED, "window.postpone",
                   label=_("기한 시작 미루기"), needs_reason=True),
    ),
    snapshot=lambda w: {"opens_on": w.opens_on, "due_on": w.due_on},
)
