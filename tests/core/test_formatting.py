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


@pytest.mark.parametrize(("text", "decimals"), [
    ("43", 0), ("-6.3", 1), ("75.99", 2), ("80.50", 2), ("1,234.5", 1), (None, None),
    ("", None), ("abc", None),
])
def test_decimals_are_read_from_the_published_text(text, decimals):
    from seonggwa.core.formatting import decimals_of

    assert decimals_of(text) == decimals


def test_published_figures_keep_their_printed_precision():
    from decimal import Decimal

    from seonggwa.core.formatting import decimals_of, format_signed

    # a share stored as 43.0 but printed "43" is shown as printed
    assert format_percent(Decimal("43.0"), decimals_of("43")) == "43%"
    assert format_signed(Decimal("-6.30"), decimals_of("-6.3")) == "-6.3"
    assert format_signed(Decimal("0.03")) == "+0.03"
    assert format_signed(Decimal("0")) == "0.00"
    assert format_signed(None) == "–"
