"""The report's charts as server-side SVG: one source for the HTML page and the PDF.

No JavaScript and no external library: the SVG is plain text the page inlines and WeasyPrint
renders. chart_data() reads the built report; line_svg() and bar_svg() draw it.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import labels
from .metrics import BREAKDOWN_DIMENSIONS, BREAKDOWN_GROUPS
from .trends import format_number

# The key metrics drawn as trend lines (a subset of trends.TREND_KEYS, to keep the page short).
TREND_CHART_KEYS = (
    "investigations",
    "convictions",
    "presumed_victims",
    "identified_victims",
    "referrals_sent",
    "removals_screened_pct",
    "inspectors_trained_pct",
    "persons_screened",
)
FONT = "DejaVu Sans, sans-serif"
ACCENT = "#1f5fa8"
MUTED = "#59636e"


def chart_data(report: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Trend lines of key metrics over the years on record and breakdown bars of victims."""
    history = report.get("history", {})
    years = sorted(int(year) for year in history)
    trends = [
        {
            "metric": key,
            "title": labels.label(key),
            "points": [[year, history[str(year)].get(key)] for year in years],
        }
        for key in TREND_CHART_KEYS
    ]
    breakdowns = []
    protection = report.get("metrics", {}).get("protection", {})
    for group in BREAKDOWN_GROUPS:
        for dimension in BREAKDOWN_DIMENSIONS:
            cells = protection.get("breakdowns", {}).get(group, {}).get(dimension, {})
            breakdowns.append(
                {
                    "group": group,
                    "dimension": dimension,
                    "title": _("%(group)s by %(dimension)s")
                    % {
                        "group": labels.label(group),
                        "dimension": str(labels.DIMENSION_LABELS[dimension]).lower(),
                    },
                    "bars": [
                        [labels.value_label(dimension, key), value] for key, value in cells.items()
                    ],
                }
            )
    return {"trends": trends, "breakdowns": breakdowns}


def _text(x, y, text, *, size=11, anchor="start", fill="#1b1f24", weight="normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
        f'text-anchor="{anchor}" fill="{fill}" font-weight="{weight}">{escape(text)}</text>'
    )


def line_svg(chart: dict[str, Any], *, width: int = 320, height: int = 170) -> SafeString:
    """A trend line with a point and its value for each year on record."""
    title = chart["title"]
    points = [(int(year), value) for year, value in chart["points"]]
    left, right, top, bottom = 34, 14, 38, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    # Points sit inside the axes so that their value labels clear the axis labels and title.
    inset = 16
    values = [v for _year, v in points if isinstance(v, int | float)]
    top_value = max(values + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-line" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        _text(4, 16, title, size=12, weight="bold"),
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        f'stroke="{MUTED}" stroke-width="1"/>',
        _text(left - 4, top + 4, format_number(top_value), size=9, anchor="end", fill=MUTED),
        _text(left - 4, top + plot_h, "0", size=9, anchor="end", fill=MUTED),
    ]
    if not points:
        parts.append(_text(left + plot_w / 2, top + plot_h / 2, _("no data"), anchor="middle"))
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
    step = (plot_w - 2 * inset) / max(len(points) - 1, 1)
    coords = []
    for index, (year, value) in enumerate(points):
        x = left + inset + index * step if len(points) > 1 else left + plot_w / 2
        parts.append(_text(x, height - 8, str(year), size=9, anchor="middle", fill=MUTED))
        if not isinstance(value, int | float):
            coords.append(None)
            continue
        y = top + plot_h - (value / top_value) * plot_h
        coords.append((x, y))
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{ACCENT}"/>')
        parts.append(_text(x, y - 6, format_number(value), size=9, anchor="middle"))
    # A gap (a year without a value) breaks the line rather than bridging it.
    segment: list[tuple[float, float]] = []
    for coord in [*coords, None]:
        if coord is not None:
            segment.append(coord)
            continue
        if len(segment) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{ACCENT}" stroke-width="2"/>'
            )
        segment = []
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def bar_svg(chart: dict[str, Any], *, width: int = 320) -> SafeString:
    """Horizontal bars, one per breakdown value; a suppressed cell shows its "<5" label only."""
    title = chart["title"]
    bars = chart["bars"]
    row, left, top = 18, 120, 24
    height = top + max(len(bars), 1) * row + 8
    plot_w = width - left - 40
    numbers = [v for _label, v in bars if isinstance(v, int | float)]
    top_value = max(numbers + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-bar" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        _text(4, 16, title, size=12, weight="bold"),
    ]
    if not bars:
        parts.append(_text(left, top + 12, _("no data"), fill=MUTED))
    for index, (label, value) in enumerate(bars):
        y = top + index * row
        short = label if len(label) <= 20 else label[:19] + "…"
        parts.append(_text(left - 6, y + 12, short, size=10, anchor="end"))
        if isinstance(value, int | float):
            bar_w = plot_w * value / top_value
            if bar_w > 0:
                parts.append(
                    f'<rect x="{left}" y="{y + 3}" width="{bar_w:.1f}" height="{row - 6}" '
                    f'fill="{ACCENT}"/>'
                )
            parts.append(_text(left + bar_w + 4, y + 12, format_number(value), size=10))
        else:
            parts.append(_text(left + 4, y + 12, str(value), size=10, fill=MUTED))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def render_charts(report: dict[str, Any]) -> dict[str, list[SafeString]]:
    """Every chart of the report as inline SVG, in the active language."""
    data = chart_data(report)
    return {
        "trends": [line_svg(chart) for chart in data["trends"]],
        "breakdowns": [bar_svg(chart) for chart in data["breakdowns"] if chart["bars"]],
    }
