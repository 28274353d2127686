"""Float ratings (the long-format reader's ``values``, ratings read from the database)
score exactly as the compact integer ratings they stand for, and whatever is not a whole
rating on the scale is still refused."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
eb = importlib.import_module("bench.engine")

from seonggwa import engine  # noqa: E402


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
