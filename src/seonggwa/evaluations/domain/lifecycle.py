"""The state machines of the evaluations app, declared in one place.

::

    result:  draft ──finalise──▶ finalised ──publish──▶ published
    round:   draft ──finalise──▶ finalised ──publish──▶ published

A correction (정정, :func:`~seonggwa.evaluations.domain.workflow.amend_result`) changes a
finalised or published result's inputs and outcomes with a reason and keeps its state.
Submissions, appeals and plan approvals declare their machines the same way.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from seonggwa.core.statemachine import StateMachine, Transition
from seonggwa.evaluations.models import Status

STATES = {code: label for code, label in Status.choices}


def _result_snapshot(result) -> dict:
    return {"score": result.score, "decision_code": result.decision_code}


def _round_has_version(round_) -> str | None:
    if round_.framework_version_id is None and not round_.published_only:
        return _("%(round)s에 평가틀 버전이 지정되지 않았습니다.") % {"round": round_}
    return None


RESULT = StateMachine(
    name="result", field="status", states=STATES, snapshot=_result_snapshot,
    transitions=(
        Transition("finalise", (Status.DRAFT,), Status.FINALISED, "result.finalise",
                   label=pgettext_lazy("action", "확정")),
        Transition("publish", (Status.FINALISED,), Status.PUBLISHED, "result.publish",
                   label=pgettext_lazy("action", "공개")),
    ),
)

ROUND = StateMachine(
    name="round", field="status", states=STATES,
    transitions=(
        Transition("finalise", (Status.DRAFT,), Status.FINALISED, "round.finalise",
                   label=pgettext_lazy("action", "확정"), guards=(_round_has_version,), waits_for="end"),
        Transition("publish", (Status.FINALISED,), Status.PUBLISHED, "round.publish",
                   label=pgettext_lazy("action", "공개")),
    ),
)
