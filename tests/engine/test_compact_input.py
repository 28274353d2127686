"""The compact input form: ``BatchInput.ratings`` (panel indicators only, integers with a
"no rating" marker, or floats with NaN) and [n, kq] actuals/targets.

It must score exactly as the float ``values`` [n, k, p] form does — every output, bit for
bit — and a subject scored alone must equal the same subject in a batch.
"""

from __future__ import annotations

import copy
import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seonggwa.engine import BatchInput, ScoringError, framework_from_dict, score_batch
from seonggwa.engine.lazy_outputs import competition_ranks

from .conftest import mixed_document

NAN = np.nan
DAY = dt.date(2023, 1, 1)
OUTPUTS = ("indicator_points", "indicator_sd", "panel_count", "achievement", "classification",
           "class_overridden", "status", "area_points", "area_max", "total", "total_rounded",
           "max_points", "band_index", "decision", "rank")


def integer_document() -> dict:
    """Every panel scale in whole steps of 1 (the exact integer path applies): a linear
    1-5 rating, a table 1-5 rating and a 0-100 survey in whole points; three directions."""
    doc = copy.deepcopy(mixed_document())
    doc["scales"]["survey100"] = {"min": 0, "max": 100, "step": 1, "conversion": "ratio"}
    qual = doc["areas"][0]["indicators"]
    qual[2].update(scale="survey100", points=20)  # SV
    del qual[3]  # D (direct points are continuous)
    return doc


INTEGER = framework_from_dict(integer_document())
MIXED = framework_from_dict(mixed_document())


def assert_same(a, b) -> None:
    for name in OUTPUTS:
        x, y = getattr(a, name), getattr(b, name)
        assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), name
    assert a.override_reasons == b.override_reasons


def as_values(framework, ratings: np.ndarray, marker: int | None) -> np.ndarray:
    """The float [n, k, p] form of compact ratings (NaN for the marker)."""
    n, _, p = ratings.shape
    values = np.full((n, len(framework.indicators), p), NAN)
    panel = [framework.indicator_index[code] for code in framework.panel_codes]
    floats = ratings.astype(np.float64)
    if marker is not None:
        floats[ratings == marker] = NAN
    values[:, panel, :] = floats
    return values


def widen(framework, compact: np.ndarray) -> np.ndarray:
    """[n, kq] quantities -> [n, k] with NaN in the panel columns."""
    wide = np.full((len(compact), len(framework.indicators)), NAN)
    columns = [framework.indicator_index[code] for code in framework.quantitative_codes]
    wide[:, columns] = compact
    return wide


@st.composite
def integer_batches(draw):
    """Integer ratings on INTEGER's scales, with empty slots (marker -1) and N/A cells."""
    n = draw(st.integers(1, 5))
    p = draw(st.integers(1, 7))
    full = draw(st.booleans())
    ratings = np.empty((n, 3, p), dtype=np.int16)
    for row in range(n):
        for slot in range(p):
            ratings[row, 0, slot] = draw(st.integers(1, 5))
            ratings[row, 1, slot] = draw(st.integers(1, 5))
            ratings[row, 2, slot] = draw(st.integers(0, 100))
            if not full:
                for column in range(3):
                    if draw(st.booleans()):
                        ratings[row, column, slot] = -1
    actuals = np.array(draw(st.lists(st.lists(st.one_of(st.just(NAN), st.floats(0.1, 500)),
                                              min_size=3, max_size=3),
                                     min_size=n, max_size=n)))
    na = None
    if draw(st.booleans()):
        na = np.array(draw(st.lists(st.lists(st.booleans(), min_size=6, max_size=6),
                                    min_size=n, max_size=n)))
    return ratings, actuals, na


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(integer_batches())
def test_compact_integers_score_exactly_as_float_values(case):
    ratings, actuals, na = case
    ids = [f"s{i}" for i in range(len(ratings))]
    compact = score_batch(INTEGER, BatchInput(ids, actuals=actuals, not_applicable=na,
                                              ratings=ratings, no_rating=-1), DAY)
    floats = score_batch(INTEGER, BatchInput(ids, as_values(INTEGER, ratings, -1),
                                             widen(INTEGER, actuals), not_applicable=na), DAY)
    assert_same(compact, floats)
    # the same numbers as float ratings with NaN, compact too
    as_float = ratings.astype(np.float64)
    as_float[ratings == -1] = NAN
    assert_same(compact, score_batch(INTEGER, BatchInput(ids, actuals=actuals,
                                                         not_applicable=na, ratings=as_float),
                                     DAY))


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(integer_batches())
def test_compact_single_subject_equals_batch(case):
    ratings, actuals, na = case
    ids = [f"s{i}" for i in range(len(ratings))]
    batch = score_batch(INTEGER, BatchInput(ids, actuals=actuals, not_applicable=na,
                                            ratings=ratings, no_rating=-1), DAY)
    for row in range(len(ids)):
        # alone, with only the slots this subject used (a narrower panel, maybe full)
        used = ~(ratings[row] == -1).all(axis=0)
        mine = ratings[row : row + 1][:, :, used] if used.any() else ratings[row : row + 1]
        single = score_batch(INTEGER, BatchInput(
            [ids[row]], actuals=actuals[row : row + 1],
            not_applicable=None if na is None else na[row : row + 1], ratings=mine,
            no_rating=-1), DAY)
        for name in OUTPUTS:
            if name == "rank":
                continue  # ranks depend on the other subjects
            x, y = getattr(single, name)[0], getattr(batch, name)[row]
            assert np.array_equal(x, y, equal_nan=np.asarray(x).dtype.kind == "f"), name


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.integers(1, 4), st.integers(1, 6), st.randoms(use_true_random=False))
def test_integer_ratings_on_continuous_scales_match_float_values(n, p, rnd):
    """MIXED has a continuous survey and direct points: integer ratings take the float
    path there, with the same results as the float form."""
    ratings = np.empty((n, 4, p), dtype=np.int16)
    for row in range(n):
        for slot in range(p):
            ratings[row, :, slot] = (rnd.randint(1, 5), rnd.randint(1, 5), rnd.randint(0, 100),
                                     rnd.randint(0, 10))
            if rnd.random() < 0.3:
                ratings[row, rnd.randint(0, 3), slot] = -1
    ids = [f"s{i}" for i in range(n)]
    compact = score_batch(MIXED, BatchInput(ids, ratings=ratings, no_rating=-1), DAY)
    floats = score_batch(MIXED, BatchInput(ids, as_values(MIXED, ratings, -1)), DAY)
    assert_same(compact, floats)


def test_uint8_with_zero_marker_and_a_unanimous_panel():
    doc = integer_document()
    del doc["areas"][0]["indicators"][2]  # SV: 0 lies on its scale
    doc["areas"][0]["indicators"][0]["points"] = 30
    doc["areas"][0]["indicators"][1]["points"] = 30
    framework = framework_from_dict(doc)
    ratings = np.array([[[4, 4, 4, 0], [5, 3, 1, 0]], [[2, 3, 4, 5], [1, 1, 1, 1]]],
                       dtype=np.uint8)
    result = score_batch(framework, BatchInput(["a", "b"], ratings=ratings), DAY)
    assert result.indicator_sd[0, 0] == 0.0  # exact: no cancellation
    assert result.panel_count[:, :2].tolist() == [[3, 3], [4, 4]]
    # R1 linear 1-5: 4 -> 3/4 x 30 = 22.5; R2 table: 3 -> 0.6 x 30 = 18
    assert result.indicator_points[0, :2].tolist() == pytest.approx([22.5, 18.0])
    floats = score_batch(framework, BatchInput(["a", "b"], as_values(framework, ratings, 0)),
                         DAY)
    assert_same(result, floats)


def test_compact_quantities_equal_the_wide_form():
    ratings = np.full((2, 3, 3), 4, dtype=np.int16)
    actuals = np.array([[90.0, 5.0, 60.0], [120.0, 0.0, NAN]])
    targets = np.array([[100.0, 4.0, 50.0], [NAN, 4.0, 50.0]])
    compact = score_batch(INTEGER, BatchInput(["a", "b"], actuals=actuals, targets=targets,
                                              ratings=ratings, no_rating=-1), DAY)
    wide = score_batch(INTEGER, BatchInput(["a", "b"], actuals=widen(INTEGER, actuals),
                                           targets=widen(INTEGER, targets), ratings=ratings,
                                           no_rating=-1), DAY)
    assert_same(compact, wide)
    assert compact.achievement[1, 4] == 1.0  # zero delays: the best result, capped


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


@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=60),
       st.lists(st.integers(-1, 1), min_size=60, max_size=60))
def test_ranks_by_counting_equal_ranks_by_sorting(units, groups):
    basis = np.array(units, dtype=np.float64) / 100.0
    basis[::7] = NAN
    group = np.array(groups[: len(basis)], dtype=np.int32)
    assert np.array_equal(competition_ranks(basis, group, 2, (0.0, 100.0)), competition_ranks(basis, group))
