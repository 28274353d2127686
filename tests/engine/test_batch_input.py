"""The batch input: subject identifiers as given are normalised."""

from __future__ import annotations

import numpy as np

from seonggwa.engine import BatchInput, framework_from_dict, score_batch

from .factories import DAY, NAN, mixed_document


def test_ids_other_than_a_tuple_of_str_are_normalised():
    framework = framework_from_dict(mixed_document())
    values = np.full((2, len(framework.indicators), 3), 3.0)
    values[:, 4:, :] = NAN
    for ids in (["a", "b"], np.array(["a", "b"]), ("a", "b")):
        result = score_batch(framework, BatchInput(ids, values=values), DAY)
        assert result.subject_ids == ("a", "b") and len(result) == 2
    assert score_batch(framework, BatchInput((1, 2), values=values), DAY).subject_ids == (
        "1", "2")
