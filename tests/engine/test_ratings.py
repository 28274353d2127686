"""The panel ratings: a value off its scale is refused naming subject, indicator and member.

Float ratings (the long-format reader's ``values``, ratings read from the database)
score exactly as the compact integer ratings they stand for, and whatever is not a whole
rating on the scale is still refused.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import numpy as np
import pytest

from seonggwa import engine
from seonggwa.engine import BatchInput, ScoringError, score_batch

from .factories import DAY, INTEGER, NAN, as_values, full_batch

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
eb = importlib.import_module("bench.engine")


def test_array_errors_name_subject_and_indicator(mixed):
    values, actuals = full_batch(2)
    values[1, 0, 2] = 6  # R1 scale is 1-5
    with pytest.raises(ScoringError) as info:
        score_batch(mixed, BatchInput(["a", "b"], values, actuals))
    assert (info.value.subject, info.value.indicator, info.value.member) == ("b", "R1", 2)
    values[1, 0, 2] = 3.5  # off the steps
    with pytest.raises(ScoringError, match="steps of 1"):
        score_batch(mixed, BatchInput(["a", "b"], values, actuals))
    values[1, 0, 2] = NAN
    values[0, 4, 0] = 3  # a panel value for a quantitative indicator
    with pytest.raises(ScoringError, match="quantitative"):
        score_batch(mixed, BatchInput(["a", "b"], values, actuals))
    with pytest.raises(ScoringError, match="shape"):
        score_batch(mixed, BatchInput(["a", "b"], values, actuals[:, :3]))


def test_compact_input_errors():
    ratings = np.full((2, 3, 3), 3, dtype=np.int16)
    with pytest.raises(ScoringError, match="no_rating=0 lies on the scale of SV"):
        score_batch(INTEGER, BatchInput(["a", "b"], ratings=ratings), DAY)
    ratings[1, 0, 2] = 6  # R1 is 1-5
    with pytest.raises(ScoringError, match="not on the scale") as info:
        score_batch(INTEGER, BatchInput(["a", "b"], ratings=ratings, no_rating=-1), DAY)
    assert (info.value.subject, info.value.indicator, info.value.member) == ("b", "R1", 2)
    ratings[1, 0, 2] = 3
    with pytest.raises(ScoringError, match="not both"):
        score_batch(INTEGER, BatchInput(["a", "b"], as_values(INTEGER, ratings, -1),
                                        ratings=ratings, no_rating=-1), DAY)
    with pytest.raises(ScoringError, match="ratings has shape"):
        score_batch(INTEGER, BatchInput(["a", "b"], ratings=ratings[:, :2], no_rating=-1), DAY)
    with pytest.raises(ScoringError, match="actuals has shape"):
        score_batch(INTEGER, BatchInput(["a", "b"], actuals=np.ones((2, 2)), ratings=ratings,
                                        no_rating=-1), DAY)


@pytest.fixture(scope="module")
def setup():
    fw = eb.make_framework()
    data = eb.generate(fw, 60, seed=7)
    return eb.prepare_engine(fw), data


def _score(handle, batch):
    return engine.score_batch(handle.framework, batch, on_date=handle.on_date)


def _same(a, b):
    for name in ("total", "total_rounded", "decision", "indicator_points", "indicator_sd",
                 "area_points", "panel_count"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)


def test_float_values_and_float_ratings_give_the_compact_bits(setup):
    handle, data = setup
    compact = _score(handle, eb.engine_batch(handle, data))
    _same(_score(handle, eb.engine_batch_float(handle, data)), compact)
    floats = engine.BatchInput(subject_ids=tuple(data.subject_ids),
                               ratings=data.ratings.astype(np.float64),
                               actuals=data.actual, targets=data.target)
    _same(_score(handle, floats), compact)


def test_missing_ratings_as_nan_count_as_the_integer_marker_does(setup):
    handle, data = setup
    ratings = data.ratings.copy()
    ratings[::3, 2, 4] = 0  # no rating (the compact marker)
    compact = _score(handle, engine.BatchInput(
        subject_ids=tuple(data.subject_ids), ratings=ratings, actuals=data.actual,
        targets=data.target))
    floats = ratings.astype(np.float64)
    floats[ratings == 0] = np.nan
    result = _score(handle, engine.BatchInput(
        subject_ids=tuple(data.subject_ids), ratings=floats, actuals=data.actual,
        targets=data.target))
    _same(result, compact)
    assert result.panel_count[0, 2] == 6


@pytest.mark.parametrize("bad", [3.5, 255.0, 300.0, -1.0, 0.0])
def test_a_rating_that_is_not_a_whole_step_on_the_scale_is_refused(setup, bad):
    handle, data = setup
    floats = data.ratings.astype(np.float64)
    floats[5, 1, 3] = bad
    with pytest.raises(engine.ScoringError) as refused:
        _score(handle, engine.BatchInput(subject_ids=tuple(data.subject_ids),
                                         ratings=floats, actuals=data.actual,
                                         targets=data.target))
    assert refused.value.subject == data.subject_ids[5]
