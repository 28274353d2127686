"""Korean-style display of scores, shares and won amounts (SPEC §9).

Pure Python (no Django), so the data readers and the CLI share the same rounding.

Rounding happens once, here, at display: half up as Korean public documents do, on the
exact decimal value (never on a binary float's artefacts).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

_EOK = 100_000_000  # 억
_MAN = 10_000  # 만


def to_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Fraction):  # exact averages: divide once, at full precision
        return Decimal(value.numerator) / Decimal(value.denominator)
    try:
        # str() first: Decimal(0.1) would carry the float's binary error into rounding.
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def round_half_up(value, decimals: int = 2) -> Decimal | None:
    number = to_decimal(value)
    if number is None:
        return None
    return number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_score(value, decimals: int = 2) -> str:
    """80.505 → '80.51'; None → '–'."""
    rounded = round_half_up(value, decimals)
    return "–" if rounded is None else f"{rounded:,.{decimals}f}"


def format_percent(value, decimals: int = 1) -> str:
    """A share in percentage points, with ``decimals`` decimals (1 unless the figure was
    published with another precision: 43 → '43%', 20.7 → '20.7%')."""
    rounded = round_half_up(value, decimals)
    return "–" if rounded is None else f"{rounded:,.{decimals}f}%"


def format_signed(value, decimals: int = 2) -> str:
    """A difference with its sign: 0.03 → '+0.03', -6.3 (1 decimal) → '-6.3', 0 → '0.00'."""
    rounded = round_half_up(value, decimals)
    if rounded is None:
        return "–"
    sign = "+" if rounded > 0 else ""
    return f"{sign}{rounded:,.{decimals}f}"


def decimals_of(text) -> int | None:
    """How many decimals a figure was printed with: '43' → 0, '-6.3' → 1, '75.99' → 2
    (from the published text, so a stored 43.0 can be shown as published: 43%)."""
    if text is None:
        return None
    number = to_decimal(str(text).replace(",", "").strip())
    if number is None or not number.is_finite():
        return None
    return max(0, -number.as_tuple().exponent)


def format_won(value, language: str = "ko") -> str:
    """Won amounts the Korean way: 1,250,000,000 → '12억 5,000만원'.

    English keeps the digits grouped: '₩1,250,000,000'.
    """
    number = to_decimal(value)
    if number is None:
        return "–"
    amount = int(number.to_integral_value(rounding=ROUND_HALF_UP))
    if language != "ko":
        return f"₩{amount:,}"
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    eok, rest = divmod(amount, _EOK)
    man, won = divmod(rest, _MAN)
    parts = []
    if eok:
        parts.append(f"{eok:,}억")
    if man:
        parts.append(f"{man:,}만")
    if won or not parts:
        parts.append(f"{won:,}")
    return sign + " ".join(parts) + "원"
