"""Rating scales: which values an evaluator may enter and how a value becomes points.

A scale turns an entered value into a *fraction* of the indicator's points:

``linear``  ``(value - min) / (max - min)`` — the bottom of the scale is worth 0.
``ratio``   ``value / max`` — "점수 / 만점 × 배점", the usual Korean 환산; on a 1–5 scale a
            1 is worth 20%.
``table``   an explicit value → fraction table (e.g. 탁월 1.0, 우수 0.8, 보통 0.6, ...).

``linear`` and ``ratio`` are affine maps, so the batch scorer may combine the panel's
raw values first and convert afterwards (mean, median and trimmed mean commute with an
increasing affine map); ``table`` values are converted member by member before they are
combined.

Labels (``{5: 탁월, 4: 우수, ...}``) let input files carry words instead of numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["Scale", "CONVERSIONS"]

CONVERSIONS = ("linear", "ratio", "table")


@dataclass(frozen=True)
class Scale:
    min: float
    max: float
    conversion: str = "linear"
    step: float | None = None
    labels: dict[str, float] = field(default_factory=dict)  # label -> value
    table: dict[float, float] = field(default_factory=dict)  # value -> fraction
    name: str | None = None

    @property
    def affine(self) -> tuple[float, float] | None:
        """(slope, offset) with fraction = slope * value + offset, or None for tables."""
        if self.conversion == "linear":
            span = self.max - self.min
            return 1.0 / span, -self.min / span
        if self.conversion == "ratio":
            return 1.0 / self.max, 0.0
        return None

    def allowed_values(self) -> np.ndarray | None:
        """The discrete values a stepped scale allows (None for a continuous scale)."""
        if self.step is None:
            return None
        count = int(round((self.max - self.min) / self.step)) + 1
        return self.min + self.step * np.arange(count)

    def value_of(self, text: str) -> float | None:
        """Value for a label (exact match after stripping), else None."""
        return self.labels.get(text.strip())

    def label_of(self, value: float) -> str | None:
        for label, v in self.labels.items():
            if v == value:
                return label
        return None

    def on_scale(self, values: np.ndarray) -> np.ndarray:
        """Boolean mask: value lies within [min, max] and on a step (NaN counts as ok)."""
        values = np.asarray(values, dtype=np.float64)
        ok = (values >= self.min) & (values <= self.max)
        if self.step is not None:
            steps = (values - self.min) / self.step
            ok &= np.abs(steps - np.round(steps)) <= 1e-9
        if self.conversion == "table":
            ok &= np.isin(values, np.fromiter(self.table, dtype=np.float64))
        return ok | np.isnan(values)

    def to_fraction(self, values: np.ndarray) -> np.ndarray:
        """Fraction of the indicator's points for each value (NaN stays NaN)."""
        values = np.asarray(values)
        affine = self.affine
        if affine is not None:
            slope, offset = affine
            return values * slope + offset
        keys = np.fromiter(self.table, dtype=np.float64)
        fractions = np.fromiter(self.table.values(), dtype=np.float64)
        order = np.argsort(keys)
        keys, fractions = keys[order], fractions[order]
        position = np.clip(np.searchsorted(keys, values), 0, len(keys) - 1)
        out = fractions[position]
        return np.where(np.isnan(values) | (keys[position] != values), np.nan, out)

    def describe(self) -> str:
        """One line, shown on every result, saying how a value becomes points."""
        lo, hi = _num(self.min), _num(self.max)
        if self.conversion == "linear":
            rule = f"(value - {lo}) / ({hi} - {lo}) x points"
        elif self.conversion == "ratio":
            rule = f"value / {hi} x points"
        else:
            pairs = ", ".join(f"{_num(k)}->{_num(v)}" for k, v in sorted(self.table.items()))
            rule = f"table {{{pairs}}} x points"
        return f"scale {lo}-{hi}: {rule}"


def _num(value: float) -> str:
    return f"{value:g}"
