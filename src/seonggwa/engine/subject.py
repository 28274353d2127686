"""The single-subject scoring call.

:func:`score_subject` is a convenience over :func:`score_batch`: it builds a one-row
:class:`BatchInput` (:func:`subject_batch`, keyed by indicator code, ratings given as
numbers or scale labels) and takes row 0 of the result, so single and batch scoring are
the same code path. The result classes live in :mod:`seonggwa.engine.results`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from .batch import score_batch
from .batch_input import BatchInput, ClassOverride
from .errors import ScoringError
from .framework import Framework
from .results import SubjectResult

__all__ = ["score_subject", "subject_batch"]


# --------------------------------------------------------------------------- single subject


def score_subject(
    framework: Framework,
    subject_id: str,
    *,
    ratings: Mapping[str, Sequence[float | str | None]] | None = None,
    actuals: Mapping[str, float | None] | None = None,
    targets: Mapping[str, float | None] | None = None,
    not_applicable: Iterable[str] = (),
    group: str | None = None,
    overrides: Mapping[str, tuple[str, str]] | None = None,
    on_date: dt.date | None = None,
) -> SubjectResult:
    """Score one subject; keyword data is keyed by indicator code.

    ``ratings`` maps a code to the panel's values (numbers or scale labels);
    ``overrides`` maps a code to ``(level, reason)``.
    """
    batch = subject_batch(framework, subject_id, ratings=ratings, actuals=actuals,
                          targets=targets, not_applicable=not_applicable, group=group,
                          overrides=overrides)
    return score_batch(framework, batch, on_date).subject(0)


def subject_batch(
    framework: Framework,
    subject_id: str,
    *,
    ratings: Mapping[str, Sequence[float | str | None]] | None = None,
    actuals: Mapping[str, float | None] | None = None,
    targets: Mapping[str, float | None] | None = None,
    not_applicable: Iterable[str] = (),
    group: str | None = None,
    overrides: Mapping[str, tuple[str, str]] | None = None,
) -> BatchInput:
    """The one-row :class:`BatchInput` for :func:`score_subject`."""
    ratings, actuals, targets = ratings or {}, actuals or {}, targets or {}
    k = len(framework.indicators)
    p = max((len(v) for v in ratings.values()), default=0) or 1
    values = np.full((1, k, p), np.nan)
    for code, panel in ratings.items():
        column = _column(framework, code, subject_id)
        for slot, value in enumerate(panel):
            values[0, column, slot] = _rating_value(framework, column, value, subject_id)
    actual_array, target_array = np.full((1, k), np.nan), np.full((1, k), np.nan)
    for source, array in ((actuals, actual_array), (targets, target_array)):
        for code, value in source.items():
            array[0, _column(framework, code, subject_id)] = np.nan if value is None else value
    na = np.zeros((1, k), dtype=bool)
    for code in not_applicable:
        na[0, _column(framework, code, subject_id)] = True
    return BatchInput(
        subject_ids=(subject_id,), values=values, actuals=actual_array, targets=target_array,
        not_applicable=na, groups=_group_index(framework, group, subject_id),
        overrides=tuple(ClassOverride(0, code, level, reason)
                        for code, (level, reason) in (overrides or {}).items()),
    )


def _column(framework: Framework, code: str, subject_id: str) -> int:
    try:
        return framework.indicator_index[code]
    except KeyError:
        raise ScoringError(f"unknown indicator code (framework {framework.id} has: "
                           f"{', '.join(framework.indicator_codes)})", subject_id, code) from None


def _rating_value(framework: Framework, column: int, value: float | str | None,
                  subject_id: str) -> float:
    if value is None:
        return np.nan
    if isinstance(value, str):
        scale = framework.indicators[column].scale
        labelled = scale.value_of(value) if scale else None
        if labelled is None:
            try:
                return float(value)
            except ValueError:
                raise ScoringError(f"{value!r} is neither a number nor a label of the scale",
                                   subject_id, framework.indicator_codes[column]) from None
        return labelled
    return float(value)


def _group_index(framework: Framework, group: str | None, subject_id: str) -> np.ndarray | None:
    if group is None:
        return None
    if group not in framework.groups:
        raise ScoringError(f"unknown group {group!r} (groups: {', '.join(framework.groups)})",
                           subject_id)
    return np.array([framework.groups.index(group)])
