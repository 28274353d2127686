"""Scoring subjects evaluated on different dates, each under the policy then in force.

A threshold policy is chosen by date (``Framework.policy_for``): 2020 results are decided
under the 60-point line even when they are scored today. :func:`score_by_date` groups
the subjects of one :class:`BatchInput` by their date, scores each group with one
:func:`score_batch` call on that date, and returns a :class:`DatedResults` that reads
back in input order. Ranks are computed within each date group (subjects decided under
different dates are not ranked against each other).

A subject without a date takes ``default``; when the framework has threshold policies
and a subject has neither, :func:`score_by_date` raises :class:`ScoringError` — a
decision is never made silently under today's policy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from .batch import BatchResult, score_batch
from .batch_input import BatchInput, ClassOverride
from .errors import ScoringError
from .framework import Framework
from .results import SubjectResult

__all__ = ["DatedPart", "DatedResults", "score_by_date", "take_rows"]


def take_rows(batch: BatchInput, rows: Sequence[int] | np.ndarray) -> BatchInput:
    """The sub-batch of the subjects at ``rows`` (in that order); overrides follow."""
    rows = np.asarray(rows, dtype=np.intp)
    position = {int(row): i for i, row in enumerate(rows.tolist())}

    def pick(array):
        return None if array is None else np.asarray(array)[rows]

    ids = batch.subject_ids
    return replace(
        batch,
        subject_ids=tuple(str(ids[i]) for i in rows.tolist()),
        values=pick(batch.values), ratings=pick(batch.ratings), actuals=pick(batch.actuals),
        targets=pick(batch.targets), targets_high=pick(batch.targets_high),
        not_applicable=pick(batch.not_applicable), groups=pick(batch.groups),
        overrides=tuple(ClassOverride(position[o.subject], o.indicator, o.level, o.reason)
                        for o in batch.overrides if o.subject in position),
    )


@dataclass(frozen=True)
class DatedPart:
    """The subjects scored on one date: ``rows`` are their positions in the input."""

    on_date: dt.date
    rows: np.ndarray
    result: BatchResult


@dataclass(frozen=True)
class DatedResults:
    """The results of :func:`score_by_date`, one part per date, readable in input order."""

    framework: Framework
    parts: tuple[DatedPart, ...]
    n: int

    def __len__(self) -> int:
        return self.n

    def locate(self) -> list[tuple[DatedPart, int]]:
        """(part, row within the part's result) for every input subject, in input order."""
        where: list[tuple[DatedPart, int] | None] = [None] * self.n
        for part in self.parts:
            for i, row in enumerate(part.rows.tolist()):
                where[row] = (part, i)
        return where  # type: ignore[return-value]

    def subjects(self) -> list[SubjectResult]:
        return [part.result.subject(i) for part, i in self.locate()]


def score_by_date(framework: Framework, batch: BatchInput,
                  dates: Sequence[dt.date | None], default: dt.date | None = None, *,
                  check: bool = True) -> DatedResults:
    """Score each subject under the policy in force on its date (``default`` if None).

    Subjects sharing a date are scored together in one :func:`score_batch` call. Without
    policies, undated subjects are scored on ``default`` or today.
    """
    n = len(batch.subject_ids)
    if len(dates) != n:
        raise ScoringError(f"{len(dates)} dates for {n} subjects")
    resolved: list[dt.date | None] = [day or default for day in dates]
    if framework.policies:
        for i, day in enumerate(resolved):
            if day is None:
                raise ScoringError("no evaluation date: the framework's threshold policies "
                                   "depend on it (give a date per subject or a default)",
                                   str(batch.subject_ids[i]))
    today = dt.date.today()
    keys = [day or today for day in resolved]
    distinct = sorted(set(keys))
    if len(distinct) == 1:  # the common case: no copies
        result = score_batch(framework, batch, distinct[0], check=check)
        part = DatedPart(distinct[0], np.arange(n), result)
        return DatedResults(framework, (part,), n)
    parts = []
    key_array = np.array([day.toordinal() for day in keys])
    for day in distinct:
        rows = np.flatnonzero(key_array == day.toordinal())
        result = score_batch(framework, take_rows(batch, rows), day, check=check)
        parts.append(DatedPart(day, rows, result))
    return DatedResults(framework, tuple(parts), n)
