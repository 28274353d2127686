"""The lazy outputs of BatchResult (counts, achievement, classification, status, ranks, ids).

They are computed on first access and cached. Each must equal what a direct, eager
computation gives — here a reference written from the definitions, column by column,
with the public ``achievement``/``classify`` functions and ranks by sorting — keep its
dtype and shape, come back as the same object on every access, and not change when the
caller changes its own arrays after ``score_batch`` returned.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from seonggwa.engine import (
    STATUS_LABELS,
    BatchInput,
    ClassOverride,
    ScoringError,
    achievement,
    classify,
    framework_from_dict,
    score_batch,
)
from seonggwa.engine.lazy_outputs import competition_ranks

from .factories import DAY, NAN, mixed_document

LAZY = ("subject_ids", "panel_count", "achievement", "classification", "class_overridden",
        "status", "rank")


def grouped_document(met: bool = False) -> dict:
    doc = copy.deepcopy(mixed_document())
    doc["groups"] = ["시부", "도부"]
    doc["areas"][1]["indicators"][1]["applies_to"] = ["시부"]  # L: a partial indicator
    if met:
        doc["areas"][1]["indicators"][0]["score_rule"] = "met"  # H scored from its class
    return doc


def random_batch(framework, n: int = 60, p: int = 5, seed: int = 7) -> BatchInput:
    """Every kind of indicator, empty slots, short panels, missing actuals, N/A, groups and
    two overrides."""
    rng = np.random.default_rng(seed)
    k = len(framework.indicators)
    values = rng.integers(1, 6, size=(n, k, p)).astype(float)
    values[:, 2, :] = rng.integers(0, 101, size=(n, p))  # SV 0-100
    values[:, 3, :] = rng.uniform(0, 10, size=(n, p))  # D direct points
    values[rng.random((n, k, p)) < 0.2] = NAN
    values[:, 4:, :] = NAN
    actuals = np.full((n, k), NAN)
    actuals[:, 4:] = rng.uniform(0, 150, size=(n, 3))
    actuals[0, 5] = 0.0  # zero delays: the best result
    actuals[rng.random((n, k)) < 0.1] = NAN
    actuals[:, :4] = NAN
    not_applicable = rng.random((n, k)) < 0.1
    not_applicable[[1, 3], [4, 6]] = False
    groups = rng.integers(-1, 2, size=n).astype(np.int32)
    groups[[1, 3]] = 0
    overrides = (ClassOverride(1, "H", "달성", "조기달성"), ClassOverride(3, 6, "미달성", "사유"))
    return BatchInput(tuple(f"s{i:03d}" for i in range(n)), values=values, actuals=actuals,
                      not_applicable=not_applicable, groups=groups, overrides=overrides)


def eager_reference(framework, batch: BatchInput, result) -> dict:
    """The lazy outputs computed directly from their definitions."""
    n, k = len(batch.subject_ids), len(framework.indicators)
    applicable = ~batch.not_applicable
    for c, ind in enumerate(framework.indicators):
        if ind.applies_to:
            # a subject without a group (-1) is not restricted
            applicable[:, c] &= np.array([g < 0 or framework.groups[g] in ind.applies_to
                                          for g in batch.groups.tolist()])
    count = np.zeros((n, k), dtype=np.int16)
    ach = np.full((n, k), NAN)
    classes = np.full((n, k), -1, dtype=np.int8)
    minimums = np.array([level.min for level in framework.levels])
    for c, ind in enumerate(framework.indicators):
        if ind.uses_panel:
            count[:, c] = (~np.isnan(batch.values[:, c, :])).sum(axis=1)
        else:
            target = np.full(n, float(ind.target))
            ach[:, c] = achievement(ind.direction, batch.actuals[:, c], target, cap=ind.cap)
            classes[:, c] = classify(ach[:, c], minimums)
    ach[~applicable] = NAN
    classes[~applicable] = -1
    overridden = np.zeros((n, k), dtype=bool)
    for override in batch.overrides:
        column = framework.indicator_index.get(override.indicator, override.indicator)
        level = next(i for i, lv in enumerate(framework.levels)
                     if override.level in (lv.code, lv.label))
        classes[override.subject, column] = level
        overridden[override.subject, column] = True
    status = np.where(applicable, STATUS_LABELS.index("scored"),
                      STATUS_LABELS.index("not_applicable")).astype(np.int8)
    status[applicable & np.isnan(result.indicator_points)] = STATUS_LABELS.index(
        "missing_excluded")
    basis = result.total_rounded if framework.decide_on == "rounded" else result.total
    return {
        "subject_ids": tuple(batch.subject_ids),
        "panel_count": count,
        "achievement": ach,
        "classification": classes,
        "class_overridden": overridden,
        "status": status,
        "rank": competition_ranks(basis, batch.groups),  # by sorting, not by counting
    }


@pytest.mark.parametrize("met", [False, True])
def test_lazy_outputs_equal_the_eager_computation(met):
    framework = framework_from_dict(grouped_document(met))
    batch = random_batch(framework)
    result = score_batch(framework, batch, DAY)
    expected = eager_reference(framework, batch, result)
    assert set(result.status.ravel().tolist()) == {0, 1, 2}  # every status occurs
    for name in LAZY:
        got, want = getattr(result, name), expected[name]
        if name == "subject_ids":
            assert got == want and type(got) is tuple
            continue
        assert (got.dtype, got.shape) == (want.dtype, want.shape), name
        assert np.array_equal(got, want, equal_nan=got.dtype.kind == "f"), name


def test_lazy_outputs_are_computed_once_on_first_access():
    framework = framework_from_dict(grouped_document())
    result = score_batch(framework, random_batch(framework), DAY)
    assert not set(LAZY) & set(vars(result))  # score_batch computed none of them
    for name in LAZY:
        first = getattr(result, name)
        assert getattr(result, name) is first, name  # the cached object, not a recomputation
    assert result.subject(3).indicators[6].classification_reason == "사유"


def test_lazy_outputs_do_not_follow_later_changes_to_the_caller_arrays():
    framework = framework_from_dict(grouped_document())
    batch = random_batch(framework)
    reference = score_batch(framework, batch, DAY)
    expected = {name: copy.deepcopy(getattr(reference, name)) for name in LAZY}
    result = score_batch(framework, batch, DAY)
    # The caller (or a consumer of the result) writes into arrays the result shares or
    # was built from, before any lazy output is read.
    batch.groups[:] = -1
    batch.actuals[:] = 0.0
    batch.values[:] = 1.0
    batch.not_applicable[:] = True
    result.total_rounded[:] = 0.0
    result.total[:] = 0.0
    for name in LAZY:
        got, want = getattr(result, name), expected[name]
        if name == "subject_ids":
            assert got == want
        else:
            assert np.array_equal(got, want, equal_nan=got.dtype.kind == "f"), name


def test_input_checks_stay_eager():
    framework = framework_from_dict(grouped_document())
    batch = random_batch(framework)
    bad = BatchInput(batch.subject_ids, values=batch.values, actuals=batch.actuals,
                     groups=batch.groups,
                     overrides=(ClassOverride(0, "R1", "달성", "panel indicator"),))
    with pytest.raises(ScoringError, match="only quantitative"):
        score_batch(framework, bad, DAY)
    doc = grouped_document()
    doc["missing"] = "error"
    strict = framework_from_dict(doc)
    with pytest.raises(ScoringError, match="no usable data"):
        score_batch(strict, batch, DAY)


@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=60),
       st.lists(st.integers(-1, 1), min_size=60, max_size=60))
def test_ranks_by_counting_equal_ranks_by_sorting(units, groups):
    basis = np.array(units, dtype=np.float64) / 100.0
    basis[::7] = NAN
    group = np.array(groups[: len(basis)], dtype=np.int32)
    assert np.array_equal(competition_ranks(basis, group, 2, (0.0, 100.0)),
                          competition_ranks(basis, group))
