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
    """A share given as a fraction (0.429) or percentage points is shown with 1 decimal."""
    rounded = round_half_up(value, decimals)
    return "–" if rounded is None else f"{rounded:,.{decimals}f}%"


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
