"""The SVG chart helpers: plain data in, escaped accessible SVG out."""

from decimal import Decimal

from seonggwa.core import charts


def test_make_bins_half_open_and_last_closed():
    bins = charts.make_bins([59.99, 60, 64.99, 100, 0, None, 120], 0, 100, 5)
    counts = {b.low: b.count for b in bins}
    assert counts[55] == 1 and counts[60] == 2 and counts[95] == 2 and counts[0] == 1
    assert sum(b.count for b in bins) == 6  # None skipped; 120 clamped into the last bin


def test_histogram_threshold_line_and_colours():
    bins = charts.make_bins([55, 58, 70, 80, 81], 50, 100, 5)
    svg = str(charts.histogram(bins, title="분포 <t>", desc="d & e", threshold=60,
                               threshold_label="기준 60점"))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "분포 &lt;t&gt;" in svg and "d &amp; e" in svg
    assert "기준 60점" in svg and 'stroke-dasharray="6 4"' in svg
    assert svg.count(f'fill="{charts.BAD}" fill-opacity') == 1  # the one bar below 60 (55–60)
    assert svg.count(f'fill="{charts.ACCENT}" fill-opacity') == 2  # 70–75 and 80–85


def test_line_chart_published_only_points_are_distinct():
    points = [charts.Point("2018", Decimal("80.51"), threshold=60),
              charts.Point("2019", Decimal("80.54"), threshold=60),
              charts.Point("2021", None),
              charts.Point("2022", Decimal("75.99"), True, threshold=75)]
    svg = str(charts.line_chart(points, title="t", desc="d", legend_recomputed="rows",
                                legend_published="published", threshold_label="line {value}"))
    assert svg.count("<circle") == 3  # two points + legend
    assert "<polyline" in svg
    assert "75.99" in svg and "80.51" in svg
    assert "line 60" in svg and "line 75" in svg
    assert "published" in svg


def test_empty_charts_render():
    assert "<svg" in charts.histogram([], title="t", desc="nothing")
    assert "<svg" in charts.line_chart([], title="t", desc="nothing")
