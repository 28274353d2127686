"""Parsing rating scales: the named ``scales:`` section and scales given inline.

A scale is ``{min, max, step?, conversion, labels?, table?}``; checked: min < max, the
step divides the range, a ratio scale starts at 0 or above, a conversion table gives a
fraction in [0, 1] for values on the scale and never falls as the rating rises, and every
label names a value on the scale. Builds :class:`~seonggwa.engine.scales.Scale`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .errors import FrameworkError
from .parse_fields import Doc, as_number, is_close, typename
from .scales import CONVERSIONS, Scale

__all__ = ["parse_named_scales", "parse_scale"]


def parse_named_scales(doc: Doc) -> dict[str, Scale]:
    raw = doc.raw("scales", {})
    if not isinstance(raw, Mapping):
        raise FrameworkError("scales", f"expected a mapping of named scales, got {typename(raw)}")
    return {str(name): parse_scale(spec, f"scales.{name}", name=str(name))
            for name, spec in raw.items()}


_SCALE_FIELDS = ("min", "max", "step", "labels", "conversion", "table")


def parse_scale(spec: Any, path: str, name: str | None = None) -> Scale:
    doc = Doc(spec, path, _SCALE_FIELDS)
    low = doc.number("min")
    high = doc.number("max")
    assert low is not None and high is not None
    if not low < high:
        raise FrameworkError(doc.at("max"), f"scale max ({high:g}) must exceed min ({low:g})")
    step = doc.number("step", required=False, positive=True)
    if step is not None and not is_close(round((high - low) / step) * step, high - low):
        raise FrameworkError(doc.at("step"),
                             f"step {step:g} does not divide the scale {low:g}-{high:g}")
    conversion = doc.choice("conversion", CONVERSIONS, "linear")
    if conversion == "ratio" and low < 0:
        raise FrameworkError(doc.at("conversion"), "ratio conversion needs min >= 0")
    table = _parse_table(doc, low, high) if conversion == "table" else {}
    if conversion != "table" and doc.has("table"):
        raise FrameworkError(doc.at("table"), "a table is only used with conversion: table")
    scale = Scale(min=low, max=high, conversion=conversion, step=step, table=table, name=name)
    labels = _parse_labels(doc, scale)
    return Scale(min=low, max=high, conversion=conversion, step=step, labels=labels,
                 table=table, name=name)


def _parse_table(doc: Doc, low: float, high: float) -> dict[float, float]:
    raw = doc.raw("table")
    if not isinstance(raw, Mapping) or not raw:
        raise FrameworkError(doc.at("table"), "conversion: table needs a value -> fraction table")
    table: dict[float, float] = {}
    for key, fraction in raw.items():
        path = f"{doc.at('table')}.{key}"
        value = _as_key_number(key, path)
        share = as_number(fraction, path)
        if not low <= value <= high:
            raise FrameworkError(path, f"value {value:g} is outside the scale {low:g}-{high:g}")
        if not 0.0 <= share <= 1.0:
            raise FrameworkError(path, f"fraction must lie in [0, 1], got {share:g}")
        table[value] = share
    ordered = [table[k] for k in sorted(table)]
    if any(b < a for a, b in zip(ordered, ordered[1:], strict=False)):
        raise FrameworkError(doc.at("table"),
                             "fractions must not decrease as the rating rises")
    return table


def _as_key_number(key: Any, path: str) -> float:
    """A number used as a mapping key: YAML gives 5, JSON (a document stored in a
    database) gives "5" — both mean the scale value 5."""
    if isinstance(key, str):
        try:
            key = float(key.strip())
        except ValueError:
            raise FrameworkError(path, f"expected a number, got {key!r}") from None
    return as_number(key, path)


def _parse_labels(doc: Doc, scale: Scale) -> dict[str, float]:
    raw = doc.raw("labels", {})
    if not isinstance(raw, Mapping):
        raise FrameworkError(doc.at("labels"), "expected a mapping value: label")
    labels: dict[str, float] = {}
    for key, label in raw.items():
        path = f"{doc.at('labels')}.{key}"
        value = _as_key_number(key, path)
        if not isinstance(label, str) or not label.strip():
            raise FrameworkError(path, "a label must be non-empty text")
        if not scale.on_scale(np.array([value]))[0]:
            raise FrameworkError(path, f"value {value:g} is not on the scale")
        if label.strip() in labels:
            raise FrameworkError(path, f"duplicate label {label!r}")
        labels[label.strip()] = value
    return labels
