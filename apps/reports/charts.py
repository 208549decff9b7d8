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
# Glyph widths of DejaVu Sans in em, by kind, rounded up: SVG text does not wrap or shrink, so
# every title and label is measured here and wrapped to its box (Russian and Kazakh labels run
# half as long again as English ones). tests/reports/test_charts.py checks the estimate against
# the font's real metrics.
_WIDE = set("mwMWжшщюыфЖШЩЮЫФДЦдц%…")
_NARROW = set("iljtfrI.,:;'!|() ")
BOLD_FACTOR = 1.13
SAFETY = 1.04  # the estimate errs wide: a label wrapped early is better than one clipped


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Estimated width in pixels of `text` in DejaVu Sans at `size` pixels."""
    em = 0.0
    for char in text:
        if char in _WIDE:
            em += 1.0
        elif char in _NARROW:
            em += 0.4
        elif char.isdigit():
            em += 0.64
        elif char.isupper():
            em += 0.8
        else:
            em += 0.65
    return em * size * SAFETY * (BOLD_FACTOR if bold else 1.0)


def wrap(text: str, width: float, size: float, *, bold: bool = False, lines: int = 3) -> list[str]:
    """`text` broken at spaces (or hyphens) into at most `lines` lines that fit `width`."""
    words = text.replace("-", "- ").split()
    result: list[str] = []
    for word in words:
        joiner = "" if result and result[-1].endswith("-") else " "
        if result and text_width(result[-1] + joiner + word, size, bold=bold) <= width:
            result[-1] = result[-1] + joiner + word
        else:
            result.append(word)
    result = result or [""]
    if len(result) > lines:
        result = result[: lines - 1] + [" ".join(result[lines - 1 :])]
    # A single word longer than the box (rare) is cut with an ellipsis rather than overflowing.
    return [_fit(line, width, size, bold=bold) for line in result]


def _fit(line: str, width: float, size: float, *, bold: bool) -> str:
    if text_width(line, size, bold=bold) <= width:
        return line
    while line and text_width(line + "…", size, bold=bold) > width:
        line = line[:-1]
    return line.rstrip() + "…"


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


def _title(title: str, width: int) -> tuple[list[str], int]:
    """The title's lines and the height they take, wrapped to the chart's width."""
    lines = wrap(title, width - 8, 12, bold=True, lines=3)
    return lines, 16 + 15 * (len(lines) - 1)


def _title_parts(lines: list[str]) -> list[str]:
    return [_text(4, 16 + 15 * i, line, size=12, weight="bold") for i, line in enumerate(lines)]


def line_svg(chart: dict[str, Any], *, width: int = 320, height: int = 170) -> SafeString:
    """A trend line with a point and its value for each year on record."""
    title = chart["title"]
    points = [(int(year), value) for year, value in chart["points"]]
    title_lines, title_h = _title(title, width)
    values = [v for _year, v in points if isinstance(v, int | float)]
    top_value = max(values + [1])
    # The axis labels and the values above the points need room: measure the widest.
    axis_w = text_width(format_number(top_value), 9)
    left, right, top, bottom = max(34, round(axis_w) + 10), 14, title_h + 22, 26
    height += title_h - 16
    plot_w, plot_h = width - left - right, height - top - bottom
    # Points sit inside the axes so that their value labels clear the axis labels and title;
    # the inset is at least half the widest value label, so no label runs past the edge.
    widest = max([text_width(format_number(v), 9) for v in values] + [text_width("2026", 9)])
    inset = max(16, widest / 2 + 2)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-line" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        *_title_parts(title_lines),
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        f'stroke="{MUTED}" stroke-width="1"/>',
        _text(left - 4, top + 4, format_number(top_value), size=9, anchor="end", fill=MUTED),
        _text(left - 4, top + plot_h, "0", size=9, anchor="end", fill=MUTED),
    ]
    if not values:
        parts.append(_text(left + plot_w / 2, top + plot_h / 2, _("no data"), anchor="middle"))
    if not points:
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
    """Horizontal bars, one per breakdown value; a suppressed cell shows its mark ("<5", "x")."""
    title = chart["title"]
    bars = chart["bars"]
    title_lines, title_h = _title(title, width)
    shown = [str(v) if not isinstance(v, int | float) else format_number(v) for _l, v in bars]
    value_w = max([text_width(v, 10) for v in shown] + [text_width("0", 10)])
    # Labels take the room they need up to 45% of the width and wrap past that (up to four lines: "Saint Helena, Ascension and Tristan da Cunha").
    label_w = min(max([text_width(label, 10) for label, _v in bars] + [40]), width * 0.45)
    # ... but never narrower than its longest word ("Центральноафриканская"), up to 55%.
    words = [word for label, _v in bars for word in label.split()]
    label_w = min(max([label_w] + [text_width(word, 10) for word in words]), width * 0.55)
    left = round(label_w) + 10
    plot_w = width - left - value_w - 10
    label_lines = [wrap(label, label_w, 10, lines=4) for label, _v in bars]
    line_h, pad = 12, 6
    rows = [max(18, len(lines) * line_h + pad) for lines in label_lines]
    top = title_h + 8
    height = top + max(sum(rows), 18) + 8
    numbers = [v for _label, v in bars if isinstance(v, int | float)]
    top_value = max(numbers + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-bar" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        *_title_parts(title_lines),
    ]
    if not bars:
        parts.append(_text(left, top + 12, _("no data"), fill=MUTED))
    y = top
    for (_label, value), lines, row, text in zip(bars, label_lines, rows, shown, strict=True):
        first = y + (row - len(lines) * line_h) / 2 + 9  # lines centred on the bar
        for index, line in enumerate(lines):
            parts.append(_text(left - 6, first + index * line_h, line, size=10, anchor="end"))
        middle = y + row / 2
        if isinstance(value, int | float):
            bar_w = plot_w * value / top_value
            if bar_w > 0:
                parts.append(
                    f'<rect x="{left}" y="{middle - 6:.1f}" width="{bar_w:.1f}" height="12" '
                    f'fill="{ACCENT}"/>'
                )
            parts.append(_text(left + bar_w + 4, middle + 4, text, size=10))
        else:
            parts.append(_text(left + 4, middle + 4, text, size=10, fill=MUTED))
        y += row
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def render_charts(report: dict[str, Any]) -> dict[str, list[SafeString]]:
    """Every chart of the report as inline SVG, in the active language."""
    data = chart_data(report)
    return {
        "trends": [line_svg(chart) for chart in data["trends"]],
        "breakdowns": [bar_svg(chart) for chart in data["breakdowns"] if chart["bars"]],
    }
