"""The report's SVG charts keep every title and label inside their box, in every language."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.utils import translation

from apps.cases.countries import COUNTRIES
from apps.cases.models import Sector, Sex
from apps.core.regions import Region
from apps.reports import charts, labels
from apps.reports.metrics import BREAKDOWN_DIMENSIONS, BREAKDOWN_GROUPS

FONTS = Path("/usr/share/fonts/truetype/dejavu")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def measure():
    """The real width of a text in DejaVu Sans, from the font's advance widths."""
    ttlib = pytest.importorskip("fontTools.ttLib")
    if not (FONTS / "DejaVuSans.ttf").exists():
        pytest.skip("DejaVu Sans is not installed")
    fonts = {}
    for weight, name in (("normal", "DejaVuSans.ttf"), ("bold", "DejaVuSans-Bold.ttf")):
        font = ttlib.TTFont(FONTS / name)
        fonts[weight] = (font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm)

    def width(text: str, size: float, weight: str = "normal") -> float:
        cmap, hmtx, units = fonts[weight]
        return sum(hmtx[cmap[ord(char)]][0] for char in text) * size / units

    return width


def _charts(language: str) -> list[str]:
    """Every chart the report can draw, with the longest labels there are, as SVG."""
    with translation.override(language):
        values = {
            "sex": [str(label) for label in Sex.labels],
            "age_group": ["0-17", "18-25", "26-35", "36-50", "51+", str(labels.UNKNOWN)],
            "citizenship": [str(name) for name in COUNTRIES.values()],
            "sector": [str(label) for label in Sector.labels],
            "region": [str(label) for label in Region.labels],
        }
        svgs = []
        for group in BREAKDOWN_GROUPS:
            for dimension in BREAKDOWN_DIMENSIONS:
                title = translation.gettext("%(group)s by %(dimension)s") % {
                    "group": labels.label(group),
                    "dimension": str(labels.DIMENSION_LABELS[dimension]).lower(),
                }
                names = values[dimension]
                # Counts, marks and a large number, to size the value labels too.
                cells = [1234, "<5", "x", 0, 7]
                bars = [[name, cells[i % len(cells)]] for i, name in enumerate(names)]
                svgs.append(str(charts.bar_svg({"title": title, "bars": bars})))
        for key in charts.TREND_CHART_KEYS:
            points = [[2022, 123456], [2023, None], [2024, 7], [2025, 98765]]
            svgs.append(str(charts.line_svg({"title": labels.label(key), "points": points})))
            svgs.append(str(charts.line_svg({"title": labels.label(key), "points": []})))
    return svgs


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_no_chart_text_lies_outside_the_charts_box(language, measure):
    outside = []
    for svg in _charts(language):
        root = ET.fromstring(svg)
        _x, _y, width, height = (float(v) for v in root.get("viewBox").split())
        assert float(root.get("width")) == width and float(root.get("height")) == height
        for text in root.iter(f"{SVG}text"):
            size = float(text.get("font-size"))
            length = measure(text.text, size, text.get("font-weight"))
            x, y = float(text.get("x")), float(text.get("y"))
            start = {"start": x, "middle": x - length / 2, "end": x - length}[
                text.get("text-anchor")
            ]
            # y is the baseline: the letters rise about 0.76 em above it and descend 0.24 em.
            if (
                start < 0
                or start + length > width
                or y - 0.76 * size < 0
                or y + 0.24 * size > height
            ):
                outside.append(
                    (root.find(f"{SVG}title").text, text.text, round(start), round(start + length))
                )
    assert outside == []


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_titles_and_labels_wrap_rather_than_being_cut(language):
    for svg in _charts(language):
        root = ET.fromstring(svg)
        title = root.find(f"{SVG}title").text
        texts = [t.text for t in root.iter(f"{SVG}text")]
        assert not any(t.endswith("…") for t in texts), (title, [t for t in texts if "…" in t])
        # The title's lines read as the title again.
        lines = [t.text for t in root.iter(f"{SVG}text") if t.get("font-weight") == "bold"]
        assert re.sub(r"\s|-", "", "".join(lines)) == re.sub(r"\s|-", "", title)


def test_the_width_estimate_never_falls_short_of_the_font(measure):
    samples = []
    for language in ["en", "ru", "kk"]:
        with translation.override(language):
            samples += [str(name) for name in COUNTRIES.values()]
            samples += [str(label) for label in Region.labels]
            samples += [labels.label(key) for key in charts.TREND_CHART_KEYS]
    for text in samples:
        assert charts.text_width(text, 10) >= measure(text, 10), text
        assert charts.text_width(text, 12, bold=True) >= measure(text, 12, "bold"), text
