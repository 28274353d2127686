"""Server-side SVG charts for the web pages and the PDF reports.

Hand-written SVG rather than pygal: the charts need reference lines (the threshold in
force, which changes from 60 to 75 points between years) and two marker kinds (averages
recomputed from rows vs figures known only as published), which pygal cannot draw
without hacks; its output also leans on CSS classes and optional JavaScript. These
charts are plain SVG with inline presentation attributes, so they look the same in a
browser, with JavaScript off, and in a PDF renderer.

Every chart is ``role="img"`` with a ``<title>`` and ``<desc>``; the pages also show the
same figures in a table, which is what screen readers should use.

The functions take plain data (numbers, strings already translated by the caller) and
return a ``SafeString``; every piece of text is escaped here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import count
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString, mark_safe

from seonggwa.core.formatting import format_score

INK = "#1b1f24"
MUTED = "#5b6470"
LINE = "#d8dde3"
ACCENT = "#0b5ed7"
BAD = "#b42318"
WARN = "#b54708"
FONT = "Noto Sans KR, Apple SD Gothic Neo, Malgun Gothic, system-ui, sans-serif"

_ids = count(1)


@dataclass(frozen=True)
class Bin:
    """One histogram bar: ``[low, high)`` (the last bin of a chart is closed) and a count."""

    low: float
    high: float
    count: int


@dataclass(frozen=True)
class Point:
    """One point of a line chart.

    ``published_only`` marks a figure stored as published without the rows to recompute
    it; such points are drawn hollow and not joined to the recomputed line.
    """

    label: str
    value: float | Decimal | None
    published_only: bool = False
    threshold: float | Decimal | None = None


def make_bins(values: Sequence, low: float = 0, high: float = 100, width: float = 5) -> list[Bin]:
    """Count ``values`` into bins ``[low, low+width), …, [high-width, high]``.

    Values outside ``[low, high]`` are clamped into the first or last bin so none is lost.
    """
    edges = []
    start = float(low)
    while start < high - 1e-9:
        edges.append((start, min(start + width, float(high))))
        start += width
    counts = [0] * len(edges)
    for value in values:
        if value is None:
            continue
        v = float(value)
        index = int((v - low) // width)
        counts[max(0, min(index, len(edges) - 1))] += 1
    return [Bin(a, b, c) for (a, b), c in zip(edges, counts, strict=True)]


def _nice_step(span: float, target_ticks: int = 5) -> float:
    if span <= 0:
        return 1.0
    raw = span / target_ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _fmt_tick(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _open(width: int, height: int, title: str, desc: str) -> tuple[list[str], str]:
    uid = f"c{next(_ids)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" font-family={quoteattr(FONT)} font-size="12">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>',
    ]
    return parts, uid


def _text(x: float, y: float, text: str, *, anchor: str = "middle", fill: str = MUTED,
          size: int | None = None, weight: str | None = None) -> str:
    extra = f' font-size="{size}"' if size else ""
    extra += f' font-weight="{weight}"' if weight else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}"{extra}>'
            f"{escape(text)}</text>")


def _y_axis(parts: list[str], lo: float, hi: float, step: float, y_of, left: float,
            right: float, unit: str) -> None:
    tick = lo
    while tick <= hi + 1e-9:
        y = y_of(tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" '
                     f'stroke="{LINE}" stroke-width="1"/>')
        parts.append(_text(left - 6, y + 4, _fmt_tick(tick), anchor="end"))
        tick += step
    if unit:
        parts.append(_text(left - 6, 14, unit, anchor="end"))


def histogram(bins: Sequence[Bin], *, title: str, desc: str, threshold=None,
              threshold_label: str = "", x_label: str = "", y_label: str = "",
              width: int = 640, height: int = 280) -> SafeString:
    """Bars of counts per score band, bars below ``threshold`` in red, and a dashed line
    at the threshold with its label."""
    parts, _uid = _open(width, height, title, desc)
    left, right, top, bottom = 48, width - 16, 28, height - 40
    if not bins:
        parts.append(_text(width / 2, height / 2, desc))
        parts.append("</svg>")
        return mark_safe("".join(parts))
    x_lo, x_hi = bins[0].low, bins[-1].high
    peak = max(b.count for b in bins) or 1
    step = max(1.0, _nice_step(peak, 4))
    y_hi = math.ceil(peak / step) * step

    def x_of(v: float) -> float:
        return left + (float(v) - x_lo) / (x_hi - x_lo) * (right - left)

    def y_of(v: float) -> float:
        return bottom - float(v) / y_hi * (bottom - top)

    _y_axis(parts, 0, y_hi, step, y_of, left, right, y_label)
    limit = float(threshold) if threshold is not None else None
    for b in bins:
        x0, x1 = x_of(b.low) + 1, x_of(b.high) - 1
        colour = BAD if limit is not None and b.high <= limit else ACCENT
        if b.count:
            y = y_of(b.count)
            parts.append(f'<rect x="{x0:.1f}" y="{y:.1f}" width="{x1 - x0:.1f}" '
                         f'height="{bottom - y:.1f}" fill="{colour}" fill-opacity="0.85">'
                         f"<title>{escape(_fmt_tick(b.low))}–{escape(_fmt_tick(b.high))}: "
                         f"{b.count}</title></rect>")
            parts.append(_text((x0 + x1) / 2, y - 4, str(b.count), fill=INK, size=11))
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{INK}"/>')
    span = x_hi - x_lo
    label_every = 2 if len(bins) > 12 else 1
    for i, b in enumerate(bins):
        if i % label_every == 0:
            parts.append(_text(x_of(b.low), bottom + 15, _fmt_tick(b.low)))
    parts.append(_text(x_of(x_hi), bottom + 15, _fmt_tick(x_hi)))
    if x_label:
        parts.append(_text((left + right) / 2, height - 6, x_label))
    if limit is not None and x_lo <= limit <= x_lo + span:
        x = x_of(limit)
        parts.append(f'<line x1="{x:.1f}" y1="{top - 10}" x2="{x:.1f}" y2="{bottom}" '
                     f'stroke="{BAD}" stroke-width="2" stroke-dasharray="6 4"/>')
        parts.append(_text(x + 4, top - 2, threshold_label, anchor="start", fill=BAD,
                           weight="600"))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def line_chart(points: Sequence[Point], *, title: str, desc: str, y_label: str = "",
               legend_recomputed: str = "", legend_published: str = "",
               threshold_label: str = "", width: int = 640, height: int = 280,
               y_floor: float | None = None) -> SafeString:
    """Values across categories (years, rounds).

    Recomputed points are filled circles joined by a line; published-only points are
    hollow diamonds, not joined. Each point's ``threshold`` (if given) is drawn as a
    dashed step line, so a policy change (60 → 75) shows where it happened.
    """
    parts, _uid = _open(width, height, title, desc)
    left, right, top, bottom = 48, width - 16, 36, height - 34
    values = [float(p.value) for p in points if p.value is not None]
    limits = [float(p.threshold) for p in points if p.threshold is not None]
    if not points or not values:
        parts.append(_text(width / 2, height / 2, desc))
        parts.append("</svg>")
        return mark_safe("".join(parts))
    data_lo = min(values + limits)
    data_hi = max(values + limits)
    step = _nice_step(max(data_hi - data_lo, 5), 4)
    y_lo = math.floor(data_lo / step) * step - (step if data_lo % step == 0 else 0)
    if y_floor is not None:
        y_lo = max(y_lo, y_floor) if y_lo < y_floor else y_lo
    y_lo = max(0.0, y_lo)
    y_hi = min(100.0, math.ceil(data_hi / step) * step + (step if data_hi % step == 0 else 0))
    if y_hi <= y_lo:
        y_hi = y_lo + step
    n = len(points)
    band = (right - left) / n

    def x_of(i: int) -> float:
        return left + band * (i + 0.5)

    def y_of(v: float) -> float:
        return bottom - (float(v) - y_lo) / (y_hi - y_lo) * (bottom - top)

    _y_axis(parts, y_lo, y_hi, step, y_of, left, right, y_label)
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{INK}"/>')
    for i, p in enumerate(points):
        parts.append(_text(x_of(i), bottom + 16, p.label, fill=INK))

    # Threshold as a step line across the categories that have one.
    segments = []
    for i, p in enumerate(points):
        if p.threshold is None:
            continue
        y = y_of(p.threshold)
        segments.append((left + band * i, left + band * (i + 1), y, float(p.threshold)))
    previous = None
    for x0, x1, y, value in segments:
        parts.append(f'<line x1="{x0:.1f}" y1="{y:.1f}" x2="{x1:.1f}" y2="{y:.1f}" '
                     f'stroke="{BAD}" stroke-width="1.5" stroke-dasharray="5 4"/>')
        if previous is None or previous[1] != value:
            if previous is not None and abs(previous[0] - x0) < 0.5:
                parts.append(f'<line x1="{x0:.1f}" y1="{previous[2]:.1f}" x2="{x0:.1f}" '
                             f'y2="{y:.1f}" stroke="{BAD}" stroke-width="1.5" '
                             f'stroke-dasharray="5 4"/>')
            label = threshold_label.format(value=_fmt_tick(value)) if threshold_label else ""
            if label:
                parts.append(_text(x0 + 4, y + 14, label, anchor="start", fill=BAD, size=11))
        previous = (x1, value, y)

    # The recomputed line: joined only between neighbouring recomputed points.
    run: list[tuple[float, float]] = []
    runs = []
    for i, p in enumerate(points):
        if p.value is not None and not p.published_only:
            run.append((x_of(i), y_of(p.value)))
        else:
            if run:
                runs.append(run)
            run = []
    if run:
        runs.append(run)
    for r in runs:
        if len(r) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in r)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{ACCENT}" '
                         f'stroke-width="2"/>')
    for i, p in enumerate(points):
        if p.value is None:
            continue
        x, y = x_of(i), y_of(p.value)
        shown = format_score(p.value)
        if p.published_only:
            parts.append(f'<path d="M{x:.1f},{y - 6:.1f} L{x + 6:.1f},{y:.1f} '
                         f'L{x:.1f},{y + 6:.1f} L{x - 6:.1f},{y:.1f} Z" fill="#fff" '
                         f'stroke="{WARN}" stroke-width="2"><title>{escape(p.label)}: '
                         f"{escape(shown)}</title></path>")
        else:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{ACCENT}">'
                         f"<title>{escape(p.label)}: {escape(shown)}</title></circle>")
        parts.append(_text(x, y - 10, shown, fill=INK, size=11, weight="600"))

    # Legend (right of the unit label).
    lx = left + 24
    if legend_recomputed:
        parts.append(f'<circle cx="{lx + 5}" cy="14" r="4.5" fill="{ACCENT}"/>')
        parts.append(_text(lx + 14, 18, legend_recomputed, anchor="start", fill=INK))
        lx += 24 + 7 * len(legend_recomputed) + 40
    if legend_published and any(p.published_only for p in points):
        parts.append(f'<path d="M{lx + 5},8 L{lx + 11},14 L{lx + 5},20 L{lx - 1},14 Z" '
                     f'fill="#fff" stroke="{WARN}" stroke-width="2"/>')
        parts.append(_text(lx + 16, 18, legend_published, anchor="start", fill=INK))
    parts.append("</svg>")
    return mark_safe("".join(parts))
