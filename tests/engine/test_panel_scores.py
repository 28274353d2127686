"""Panel indicators: sd in points, and the exact integer path scoring as the float path.

The compact input form: ``BatchInput.ratings`` (panel indicators only, integers with a
"no rating" marker, or floats with NaN) and [n, kq] actuals/targets.

It must score exactly as the float ``values`` [n, k, p] form does — every output, bit for
bit — and a subject scored alone must equal the same subject in a batch.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seonggwa.engine import BatchInput, framework_from_dict, score_batch, score_subject

from .factories import (
    DAY,
    INTEGER,
    MIXED,
    NAN,
    OUTPUTS,
    as_values,
    assert_same,
    integer_document,
    widen,
)


def test_sd_is_reported_in_points_beside_the_combined_score(mixed):
    result = score_subject(mixed, "S", ratings={"R1": [1, 3, 5]})
    r1 = result.indicators[0]
    # ratings 1,3,5: population sd = sqrt(8/3) scale units; 1 unit = 20/4 = 5 points
    assert r1.sd == pytest.approx(np.sqrt(8 / 3) * 5)
    assert r1.panel_count == 3


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
