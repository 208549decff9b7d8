import csv
import datetime
import io

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from apps.reports import exports, services
from apps.reports.suppression import suppress_report
from tests.cases.factories import CaseFactory
from tests.proceedings.factories import ProceedingFactory
from tests.reports.factories import at, screening

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    for year, count in ((2024, 3), (2025, 2)):
        for _ in range(count):
            ProceedingFactory(
                opened_on=datetime.date(year, 1, 2),
                prosecuted_on=datetime.date(year, 2, 1),
                convicted_on=datetime.date(year, 3, 1),
            )
    screening(CaseFactory(), when=at(2025), trafficking="presumed_victim")
    return suppress_report(services.report_build(year=2025, language="kk"))


def test_the_pdf_renders_the_kazakh_title_and_letters(report):
    pdf = exports.render_pdf(report)
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    with translation.override("kk"):
        title = exports.title(report)
    assert " ".join(title.split()) in " ".join(text.split())
    # Kazakh letters beyond Russian ones came through the font (Tier -> "санат", "қ").
    assert "санат" in text
    assert any(letter in text for letter in "әғқңөұүһі")
    assert reader.pages[0].mediabox.width == pytest.approx(595, abs=1)  # A4


def test_the_xlsx_has_a_sheet_per_section_with_numbers_stored_as_numbers():
    ProceedingFactory(opened_on=datetime.date(2025, 1, 2))
    report = suppress_report(services.report_build(year=2025, language="en"))
    workbook = load_workbook(io.BytesIO(exports.render_xlsx(report)))
    assert workbook.sheetnames == [
        "Prosecution",
        "Protection",
        "Prevention",
        "Partnership",
        "Trend",
        "Indicative tier",
    ]
    rows = {row[1].value: row[2:] for row in workbook["Prosecution"].iter_rows(min_row=3)}
    assert rows["prosecution.investigations"][0].value == 1
    assert rows["prosecution.investigations"][0].data_type == "n"
    labour = rows["prosecution.investigations_by_exploitation.labour"]
    assert labour[0].value is None and labour[1].value == "x"  # the whole breakdown is one case
    assert rows["prosecution.investigations_by_exploitation.sexual"][1].value == "x"


def test_the_csv_has_metric_value_rows_with_the_section_in_the_key(report):
    rows = list(csv.reader(io.StringIO(exports.render_csv(report))))
    assert rows[0] == ["metric", "value", "suppressed"]
    values = {metric: value or mark for metric, value, mark in rows[1:]}
    assert values["prosecution.convictions"] == "2"
    assert values["protection.presumed_victims"] == "1"
    assert values["protection.breakdowns.presumed_victims.sex.male"] == "x"
    assert values["trend.convictions.2024"] == "3"
    assert values["tier.tier"] in {"tier_1", "tier_2", "tier_2_watch_list", "tier_3"}


def test_the_html_page_and_the_pdf_share_the_same_svg_charts(report):
    with translation.override("en"):
        context = exports.context(report)
    svg = str(context["charts"]["trends"][0])
    assert svg.startswith("<svg") and "polyline" in svg
    assert any(">x</text>" in str(chart) for chart in context["charts"]["breakdowns"])


def test_every_format_carries_the_footnotes_citing_the_downgrade_rules(report):
    # The PDF and the HTML page render reports/_report.html; XLSX and CSV write the same notes.
    sources = [note["source"] for note in report["tier"]["footnotes"]]
    assert sources[0] == "TVPA §110(b)(2)(D)(i), 22 U.S.C. 7107(b)(2)(D)(i)"

    pdf = PdfReader(io.BytesIO(exports.render_pdf(report)))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "7107(b)(2)(D)(ii)" in text
    assert "§203" in text

    sheet = load_workbook(io.BytesIO(exports.render_xlsx(report))).worksheets[-1]
    cells = [row[0].value for row in sheet.iter_rows()]
    assert all(source in cells for source in sources)

    rows = {
        metric: value for metric, value, _ in csv.reader(io.StringIO(exports.render_csv(report)))
    }
    assert rows["tier.footnote.automatic_downgrade.source"] == sources[0]
    assert rows["tier.footnote.waiver.applies"] in {"0", "1"}


def test_a_report_published_before_the_footnotes_still_renders(report):
    old = {**report, "tier": {k: v for k, v in report["tier"].items() if k != "footnotes"}}
    with translation.override("kk"):
        html = render_to_string("reports/_report.html", exports.context(old))
    assert "tier-sources-heading" not in html
    assert "tier.footnote" not in exports.render_csv(old)
    exports.render_xlsx(old)
