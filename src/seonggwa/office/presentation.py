"""Display of the domain's automatic flags: translated labels and readable evidence."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from seonggwa.core.formatting import format_score

# Labels and evidence descriptions are the domain's (translated there: ``Flag.label``,
# ``Flag.evidence_labels()`` in :mod:`seonggwa.evaluations.domain.flags`).

# Evidence values shown with the figure's unit (e.g. "60.00%").
_WITH_UNIT = {"target", "previous_actual", "turnover", "execution", "line_max", "line_min"}


def _value(value) -> str:
    if isinstance(value, Decimal):
        return format_score(value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_value(v) for v in value)
    return "" if value is None else str(value)


@dataclass
class FlagView:
    code: str
    label: str
    evidence: list[tuple[str, str]]
    sources: tuple


def describe_flags(flags) -> list[FlagView]:
    out = []
    for f in flags:
        unit = f.evidence.get("unit") or ""
        evidence = [(label, _value(v) + (unit if k in _WITH_UNIT and unit else ""))
                    for (label, v), k in zip(f.evidence_labels(), f.evidence, strict=True)
                    if k != "unit" and v not in (None, "")]
        out.append(FlagView(f.code, f.label, evidence, tuple(f.sources)))
    return out
