"""Half-up rounding as Korean public documents do it, free of float artefacts."""

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from seonggwa.engine import format_fixed, round_half_up, round_half_up_array


def test_published_examples_round_half_up_not_to_even():
    assert round_half_up(74.995) == 75.00
    assert round_half_up(80.505) == 80.51
    assert round_half_up(76.25, 1) == 76.3  # half-even would give 76.2
    assert list(round_half_up_array(np.array([74.995, 80.505, 0.125]), 2)) == [75.0, 80.51, 0.13]


def test_arithmetic_artefacts_are_snapped_before_rounding():
    total = 0.1 + 0.2 + 74.695  # 74.99499999999999 or so in binary
    assert round_half_up(total) == 75.0
    assert round_half_up_array(np.array([total]))[0] == 75.0


def test_nan_stays_nan_and_display_is_fixed_width():
    assert np.isnan(round_half_up_array(np.array([np.nan]))[0])
    assert format_fixed(75.0) == "75.00"
    assert format_fixed(float("nan")) == ""
    assert format_fixed(76.25, 1) == "76.3"


@given(st.integers(min_value=-10**7, max_value=10**7), st.integers(min_value=0, max_value=4))
def test_array_matches_decimal_on_typed_decimals(thousandths, decimals):
    value = thousandths / 1000  # a number as a user types it, e.g. 74.995
    expected = float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals),
                                                   rounding=ROUND_HALF_UP))
    assert round_half_up_array(np.array([value]), decimals)[0] == expected
    assert round_half_up(value, decimals) == expected


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_scalar_and_array_agree(value):
    assert round_half_up_array(np.array([value]), 2)[0] == round_half_up(value, 2)
