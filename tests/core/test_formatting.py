from decimal import Decimal

import pytest

from seonggwa.core.formatting import format_percent, format_score, format_won, round_half_up


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("80.505", "80.51"),  # half up, as Korean public documents round
        ("74.995", "75.00"),
        ("80.5049", "80.50"),
        (80.515, "80.52"),  # a float is read through its shortest repr, not its binary value
        (Decimal("90"), "90.00"),
        (None, "–"),
    ],
)
def test_scores_are_shown_with_two_decimals_rounded_half_up(raw, shown):
    assert format_score(raw) == shown


def test_round_half_up_is_not_bankers_rounding():
    assert round_half_up("0.125", 2) == Decimal("0.13")
    assert round_half_up("0.135", 2) == Decimal("0.14")


def test_percentages_have_one_decimal():
    assert format_percent("42.857") == "42.9%"
    assert format_percent("20.69") == "20.7%"


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (500_000_000, "5억원"),
        (1_250_000_000, "12억 5,000만원"),
        (123_456_789_000, "1,234억 5,678만 9,000원"),
        (35_000, "3만 5,000원"),
        (0, "0원"),
        (-500_000_000, "-5억원"),
    ],
)
def test_won_amounts_are_written_in_eok_and_man(amount, shown):
    assert format_won(amount) == shown


def test_won_amounts_in_english_keep_grouped_digits():
    assert format_won(500_000_000, language="en") == "₩500,000,000"
