"""Evaluation cycles, results and narratives of the outsourced-service evaluation.

Thin models. State changes go through :mod:`seonggwa.evaluations.domain.workflow`.
"""

from seonggwa.evaluations.models.cycles import EvaluationYear, PublishedSummary, Round
from seonggwa.evaluations.models.due import DueAdjustment
from seonggwa.evaluations.models.results import (
    FollowUpStatus,
    ItemKind,
    Narrative,
    NarrativeItem,
    Result,
    ResultQuerySet,
    Status,
)

__all__ = [
    "DueAdjustment",
    "EvaluationYear",
    "FollowUpStatus",
    "ItemKind",
    "Narrative",
    "NarrativeItem",
    "PublishedSummary",
    "Result",
    "ResultQuerySet",
    "Round",
    "Status",
]
