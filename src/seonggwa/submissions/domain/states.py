"""The submission's state machine, declared in one place.

::

    submission:  draft ──submit──▶ submitted ──reopen (officer, with a reason)──▶ draft

Submitting needs every required document of the subject's project year and every actual of
the framework's quantitative indicators (those marked not applicable excepted); the
deadline is checked by :mod:`seonggwa.submissions.domain.submitting` before the machine
fires.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from seonggwa.core.statemachine import StateMachine, Transition
from seonggwa.submissions.domain.checklists import checklist
from seonggwa.submissions.models import State


def _nothing_missing(submission) -> str | None:
    found = checklist(submission)
    if found is None or found.complete:
        return None
    missing = [d.label for d in found.missing_documents]
    missing += [_("정량 실적: %(name)s") % {"name": ind.name} for ind in found.missing_actuals]
    return _("아직 제출하지 않은 항목이 있습니다: %(items)s.") % {"items": ", ".join(missing)}


def _snapshot(submission) -> dict:
    return {"submitted_label": submission.submitted_label, "late": submission.late}


SUBMISSION = StateMachine(
    name="submission", field="state", states=dict(State.choices), snapshot=_snapshot,
    transitions=(
        Transition("submit", (State.DRAFT,), State.SUBMITTED, "submission.submit",
                   label=pgettext_lazy("action", "제출"), guards=(_nothing_missing,),
                   waits_for="submission"),
        Transition("reopen", (State.SUBMITTED,), State.DRAFT, "submission.reopen",
                   label=pgettext_lazy("action", "제출 다시 열기"), needs_reason=True),
    ),
)
