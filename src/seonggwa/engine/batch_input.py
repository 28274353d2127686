"""The batch input: the arrays of one batch, and the checks of their shapes.

Array layout (``n`` subjects, ``k`` indicators in :attr:`Framework.indicators` order,
``kp`` panel indicators in :attr:`Framework.panel_codes` order, ``p`` panel slots)::

    BatchInput
      subject_ids     sequence[str]        n        identifiers, kept as given
      ratings         any real [n, kp, p]   compact ratings of the panel indicators only
                                            (rating / survey / direct), in their own
                                            scale. Integers: ``no_rating`` (default 0)
                                            = no rating; floats: NaN = no rating.
      values          float32|64 [n, k, p] the same over all k indicators, NaN = no
                                            rating; quantitative columns must be NaN.
                                            Give ``ratings`` or ``values``, not both.
      actuals         float [n, k]          quantitative actuals; NaN = none
      targets         float [n, k]          per-subject targets; NaN = framework target
      targets_high    float [n, k]          upper end for direction: range (optional)
      not_applicable  bool  [n, k]          True = indicator left out for this subject
      groups          int   [n]             index into framework.groups, -1 = none
      overrides       ClassOverride, ...    manual 달성/일부달성/미달성 with a reason

Any array may be None (no ratings, no actuals, ...). Panel slots carry no identity: a
subject's evaluators fill slots 0..p-1 in any order (aggregations are permutation
invariant) and unused slots hold the "no rating" marker.

:class:`ClassOverride` is one manual classification; :func:`shape_check`,
:func:`group_indices` and :func:`as_subject_ids` check and normalise the input for the
scorer, and :func:`first_cell` finds the cell an error message names.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .errors import ScoringError
from .framework import Framework

__all__ = ["BatchInput", "ClassOverride", "as_subject_ids", "first_cell", "group_indices",
           "shape_check"]


@dataclass(frozen=True)
class ClassOverride:
    """A manual classification (달성/일부달성/미달성) of one quantitative indicator.

    ``subject`` is the row index, ``indicator`` a code or column index, ``level`` a level
    code or label of the framework's classification. ``reason`` must be non-empty: the
    judgement rules (early achievement, justified change of project, ...) are reasons.
    """

    subject: int
    indicator: int | str
    level: str
    reason: str


@dataclass(frozen=True)
class BatchInput:
    """The arrays of one batch (see the module docstring for shapes and meanings).

    ``ratings`` is the compact form of ``values``: only the panel indicators
    (``framework.panel_codes``), any real dtype; with integers, ``no_rating`` marks an
    empty slot (0 suits scales starting at 1; it must lie off every panel scale).
    """

    subject_ids: Sequence[str]
    values: np.ndarray | None = None
    actuals: np.ndarray | None = None
    targets: np.ndarray | None = None
    targets_high: np.ndarray | None = None
    not_applicable: np.ndarray | None = None
    groups: np.ndarray | None = None
    overrides: tuple[ClassOverride, ...] = ()
    ratings: np.ndarray | None = None
    no_rating: int = 0


def shape_check(name: str, array: np.ndarray | None, shape: tuple[int, ...]) -> None:
    if array is None:
        return
    panel = name in ("values", "ratings")
    if array.shape[: len(shape)] != shape or array.ndim != len(shape) + panel:
        expected = "x".join(map(str, shape)) + ("xp" if panel else "")
        raise ScoringError(f"{name} has shape {array.shape}, expected {expected}")


def first_cell(mask: np.ndarray) -> tuple[int, ...]:
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(mask)), mask.shape))


def as_subject_ids(ids) -> tuple[str, ...]:
    if isinstance(ids, np.ndarray):
        return tuple(ids.astype(str).tolist())
    if isinstance(ids, tuple) and all(map(isinstance, ids, itertools.repeat(str))):
        return ids  # already what the result holds: no copy
    return tuple(map(str, ids))


def group_indices(framework: Framework, batch: BatchInput, n: int) -> np.ndarray:
    if batch.groups is None:
        return np.full(n, -1, dtype=np.int32)
    groups = np.asarray(batch.groups, dtype=np.int32)
    if groups.shape != (n,):
        raise ScoringError(f"groups has shape {groups.shape}, expected ({n},)")
    bad = (groups < -1) | (groups >= len(framework.groups))
    if bad.any():
        row = int(np.argmax(bad))
        raise ScoringError(f"group index {groups[row]} is not one of the framework's groups "
                           f"{framework.groups}", str(batch.subject_ids[row]))
    return groups
