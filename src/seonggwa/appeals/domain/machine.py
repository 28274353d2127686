"""The objection process of one released result, as a state machine::

    notified ──object──▶ objected ──uphold──▶ final (locked)
        │                    └─────revise──▶ final (locked)
        └──────lapse (the objection window closed, or no objection allowed)──▶ final

Every transition writes an audit record (:mod:`seonggwa.core.statemachine`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from seonggwa.appeals.models import Appeal, AppealState
from seonggwa.core.statemachine import StateMachine, Transition

STATES = dict(AppealState.choices)


def _snapshot(appeal: Appeal) -> dict:
    return {"outcome": appeal.outcome, "score": appeal.result.score,
            "band_code": appeal.result.band_code,
            "decision_code": appeal.result.decision_code}


def _has_objection(appeal: Appeal) -> str | None:
    if not Appeal.objects.filter(pk=appeal.pk, objection__isnull=False).exists():
        return _("접수된 이의신청이 없습니다.")
    return None


APPEAL = StateMachine(
    name="appeal", field="state", states=STATES, snapshot=_snapshot,
    transitions=(
        Transition("object", (AppealState.NOTIFIED,), AppealState.OBJECTED, "appeal.object",
                   label=pgettext_lazy("action", "이의신청"), needs_reason=True,
                   waits_for="objection"),
        Transition("uphold", (AppealState.OBJECTED,), AppealState.FINAL, "appeal.uphold",
                   label=pgettext_lazy("action", "원안 유지"), needs_reason=True,
                   guards=(_has_objection,)),
        Transition("revise", (AppealState.OBJECTED,), AppealState.FINAL, "appeal.revise",
                   label=pgettext_lazy("action", "수정 의결"), needs_reason=True,
                   guards=(_has_objection,)),
        Transition("lapse", (AppealState.NOTIFIED,), AppealState.FINAL, "appeal.lapse",
                   label=pgettext_lazy("action", "이의신청 없이 확정"), waits_for="objection"),
    ),
)
