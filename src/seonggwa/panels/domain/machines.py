"""The states of recusals (회피) and challenges (기피), as data.

- recusal: active → withdrawn (by the member, with a reason; the member may then be
  seated again);
- challenge: filed → accepted | rejected (by the officer, always with a reason); a
  decided challenge is final;
- lifted conflict (waiver): lifted → revoked (by the officer, with a reason; the
  conflict applies again, and the officer may lift it anew later).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from seonggwa.core.statemachine import StateMachine, Transition
from seonggwa.panels.models import (
    Challenge,
    ChallengeState,
    ConflictWaiver,
    Recusal,
    RecusalState,
    WaiverState,
)


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _recusal_snapshot(recusal: Recusal) -> dict:
    return {"round_id": recusal.round_id, "subject_id": recusal.subject_id,
            "member": _name(recusal.member)}


def _challenge_snapshot(challenge: Challenge) -> dict:
    return {"round_id": challenge.round_id, "subject_id": challenge.subject_id,
            "member": _name(challenge.member),
            "decision_reason": challenge.decision_reason}


def _waiver_snapshot(waiver: ConflictWaiver) -> dict:
    return {"round_id": waiver.round_id, "subject_id": waiver.subject_id,
            "member": _name(waiver.member), "kind": waiver.kind}


RECUSAL = StateMachine(
    name="recusal",
    field="state",
    states=dict(RecusalState.choices),
    transitions=(
        Transition("withdraw", (RecusalState.ACTIVE,), RecusalState.WITHDRAWN,
                   "panels.recusal_withdraw", label=_("회피 철회"), needs_reason=True),
    ),
    snapshot=_recusal_snapshot,
)

CHALLENGE = StateMachine(
    name="challenge",
    field="state",
    states=dict(ChallengeState.choices),
    transitions=(
        Transition("accept", (ChallengeState.FILED,), ChallengeState.ACCEPTED,
                   "panels.challenge_accept", label=_("기피 인용"), needs_reason=True),
        Transition("reject", (ChallengeState.FILED,), ChallengeState.REJECTED,
                   "panels.challenge_reject", label=_("기피 기각"), needs_reason=True),
    ),
    snapshot=_challenge_snapshot,
)

WAIVER = StateMachine(
    name="waiver",
    field="state",
    states=dict(WaiverState.choices),
    transitions=(
        Transition("revoke", (WaiverState.LIFTED,), WaiverState.REVOKED,
                   "panels.conflict_revoke", label=_("이해충돌 해제 취소"), needs_reason=True),
    ),
    snapshot=_waiver_snapshot,
)
