"""Evaluation cycles, subjects, inputs, results and narratives — every scheme.

Thin models. State changes go through :mod:`seonggwa.evaluations.domain`.
"""

from seonggwa.evaluations.models.assignments import Assignment
from seonggwa.evaluations.models.cycles import EvaluationYear, PublishedSummary, Round, Scheme
from seonggwa.evaluations.models.due import DueAdjustment
from seonggwa.evaluations.models.frameworks import FrameworkVersion, ImmutableError
from seonggwa.evaluations.models.inputs import (
    ClassificationOverride,
    Measurement,
    NotApplicable,
    Rating,
)
from seonggwa.evaluations.models.published import PublishedDataVersion
from seonggwa.evaluations.models.results import (
    AreaOutcome,
    FollowUpStatus,
    IndicatorOutcome,
    ItemKind,
    Narrative,
    NarrativeItem,
    Result,
    ResultQuerySet,
    Status,
)
from seonggwa.evaluations.models.subjects import Subject, SubjectKind

__all__ = [
    "AreaOutcome",
    "Assignment",
    "ClassificationOverride",
    "DueAdjustment",
    "EvaluationYear",
    "FollowUpStatus",
    "FrameworkVersion",
    "ImmutableError",
    "IndicatorOutcome",
    "ItemKind",
    "Measurement",
    "Narrative",
    "NarrativeItem",
    "NotApplicable",
    "PublishedDataVersion",
    "PublishedSummary",
    "Rating",
    "Result",
    "ResultQuerySet",
    "Round",
    "Scheme",
    "Status",
    "Subject",
    "SubjectKind",
]
