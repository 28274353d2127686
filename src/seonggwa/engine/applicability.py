"""Which indicator counts for which subject, and the rules that change a scored cell.

:func:`applicable_mask`: not marked not applicable and meant for the subject's group
(``applies_to``). :func:`check_overrides`: the manual classifications, resolved and
checked in the call (a bad override is an input error). :func:`apply_met_rule`: full
points or none from the (possibly overridden) class. :func:`apply_missing_rule`: an
applicable indicator without usable data is left out, scored 0 or an error, as the
framework says.
"""

from __future__ import annotations

import numpy as np

from .batch_input import BatchInput, ClassOverride, first_cell
from .batch_plan import Outputs, Plan
from .errors import ScoringError
from .framework import Framework
from .lazy_outputs import panel_count_array

__all__ = ["applicable_mask", "apply_met_rule", "apply_missing_rule", "check_overrides"]


def applicable_mask(plan: Plan, batch: BatchInput, groups: np.ndarray) -> np.ndarray | None:
    """Indicators that count for each subject: not marked N/A and meant for its group.

    None when every indicator counts for every subject (the common case: no mask).
    """
    marked = None
    if batch.not_applicable is not None:
        marked = np.asarray(batch.not_applicable, dtype=bool)
        if not marked.any():
            marked = None
    restricted = not plan.group_applicable.all() and (groups >= 0).any()
    if marked is None and not restricted:
        return None
    applicable = plan.group_applicable[groups]  # group -1 picks the last row (all True)
    if marked is not None:
        applicable &= ~marked
    return applicable


def check_overrides(framework: Framework, batch: BatchInput, applicable: np.ndarray | None
                     ) -> tuple[tuple[tuple[int, int, int], ...], dict[tuple[int, int], str]]:
    """Resolve and check every manual classification: (row, column, level) and reasons.

    Always eager (a bad override is an input error), even though the classification
    array it feeds is built lazily.
    """
    resolved: list[tuple[int, int, int]] = []
    reasons: dict[tuple[int, int], str] = {}
    for override in batch.overrides:
        row, column, level = _resolve_override(framework, batch, override)
        if applicable is not None and not applicable[row, column]:
            raise ScoringError("cannot classify an indicator that is not applicable",
                               str(batch.subject_ids[row]), framework.indicator_codes[column])
        resolved.append((row, column, level))
        reasons[(row, column)] = override.reason.strip()
    return tuple(resolved), reasons


def _resolve_override(framework: Framework, batch: BatchInput,
                      override: ClassOverride) -> tuple[int, int, int]:
    row = override.subject
    if not 0 <= row < len(batch.subject_ids):
        raise ScoringError(f"override names subject row {row}, outside the batch")
    column = (framework.indicator_index.get(override.indicator)
              if isinstance(override.indicator, str) else override.indicator)
    subject = str(batch.subject_ids[row])
    if column is None or not 0 <= column < len(framework.indicators):
        raise ScoringError(f"override names unknown indicator {override.indicator!r}", subject)
    code = framework.indicator_codes[column]
    if framework.indicators[column].kind != "quantitative":
        raise ScoringError("only quantitative indicators are classified", subject, code)
    if not override.reason or not override.reason.strip():
        raise ScoringError("a manual classification needs a non-empty reason", subject, code)
    for index, level in enumerate(framework.levels):
        if override.level in (level.code, level.label):
            return row, column, index
    known = ", ".join(f"{lv.code}/{lv.label}" for lv in framework.levels)
    raise ScoringError(f"unknown level {override.level!r} (levels: {known})", subject, code)


def apply_met_rule(plan: Plan, classes: np.ndarray, points: np.ndarray) -> None:
    """score_rule 'met': full points when the (possibly overridden) class is the top level."""
    for column in plan.met_columns:
        met = (classes[:, column] == 0).astype(float)
        points[:, column] = np.where(classes[:, column] < 0, np.nan, met * plan.points[column])


def apply_missing_rule(framework: Framework, plan: Plan, batch: BatchInput, out: Outputs,
                       applicable: np.ndarray | None
                       ) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Apply the missing-data rule (raising for ``missing: error``).

    Returns the counted mask (None = everything counts) and the mask of applicable
    indicators without usable data (None = none), from which the status is built lazily.
    """
    points = out.points
    missing = np.isnan(points)
    if applicable is not None:
        missing &= applicable
    any_missing = bool(missing.any())
    if applicable is None and not any_missing:  # the common case: everything counts
        return None, None
    counted = np.ones(points.shape, dtype=bool) if applicable is None else applicable
    if not any_missing:
        return counted, None
    if framework.missing == "error":
        row, column = first_cell(missing)
        if plan.panel[column]:
            why = (f"{panel_count_array(plan, len(points), out.counts)[row, column]} "
                   f"rating(s) given, min_panel is {plan.min_panel[column]}")
        else:
            why = "no actual, or no target"
        raise ScoringError(f"no usable data ({why}; the framework says missing: error)",
                           str(batch.subject_ids[row]), framework.indicator_codes[column])
    if framework.missing == "zero":
        points[missing] = 0.0
        return counted, missing
    return counted & ~missing, missing
