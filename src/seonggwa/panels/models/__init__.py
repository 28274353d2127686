"""Panels: the member pool, declared conflicts, recusals, challenges, conflicts lifted by
the officer, seats and the round's default composition."""

from .members import DeclaredConflict, MemberProfile
from .panels import (
    Challenge,
    ChallengeState,
    ConflictKind,
    ConflictWaiver,
    Recusal,
    RecusalState,
    Seat,
    TemplateEntry,
    WaiverState,
)

__all__ = [
    "Challenge",
    "ChallengeState",
    "ConflictKind",
    "ConflictWaiver",
    "DeclaredConflict",
    "MemberProfile",
    "Recusal",
    "RecusalState",
    "Seat",
    "TemplateEntry",
    "WaiverState",
]
