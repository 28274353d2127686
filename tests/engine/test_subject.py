"""The single-subject call is the batch call with one row."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings

from seonggwa.engine import score_batch, score_subject

from .factories import DAY, MIXED, mixed_inputs


def test_labels_are_accepted_for_ratings(mixed):
    by_label = score_subject(mixed, "S", ratings={"R1": ["탁월", "우수", "보통"]})
    by_value = score_subject(mixed, "S", ratings={"R1": [5, 4, 3]})
    assert by_label.total == by_value.total


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_inputs())
def test_batch_equals_single_subject(batch):
    result = score_batch(MIXED, batch, DAY)
    for row, subject in enumerate(batch.subject_ids):
        ratings = {code: [v for v in batch.values[row, c].tolist() if not np.isnan(v)]
                   for c, code in enumerate(MIXED.indicator_codes) if c < 4}
        actuals = {code: batch.actuals[row, c] for c, code in enumerate(MIXED.indicator_codes)
                   if c >= 4}
        na = [code for c, code in enumerate(MIXED.indicator_codes)
              if batch.not_applicable[row, c]]
        single = score_subject(MIXED, subject, ratings=ratings, actuals=actuals,
                               not_applicable=na, on_date=DAY)
        batched = result.subject(row)
        assert single.total == batched.total or (single.total is None and batched.total is None)
        assert single.total_rounded == batched.total_rounded
        assert single.band == batched.band and single.decision == batched.decision
        assert [i.points for i in single.indicators] == [i.points for i in batched.indicators]
