"""Small-cell suppression hides the same cells in every output, and no hidden cell can be worked
out from the total beside it; the files keep numbers and marks in separate columns."""

import csv
import io
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from apps.reports import exports, services
from apps.reports.suppression import suppress_cells, suppress_report
from tests.cases.factories import CaseFactory
from tests.reports.factories import at, screening

SEX = "protection.breakdowns.presumed_victims.sex"


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        # A lone small cell: the next smallest non-zero cell is hidden too.
        ({"a": 1, "b": 9, "c": 7, "d": 0}, {"a": "<5", "b": 9, "c": "x", "d": 0}),
        # Ties go to the first in display order.
        ({"a": 8, "b": 2, "c": 8}, {"a": "x", "b": "<5", "c": 8}),
        # Two small cells protect each other.
        ({"a": 1, "b": 3, "c": 40}, {"a": "<5", "b": "<5", "c": 40}),
        # The whole breakdown is one small count: which category it is stays hidden.
        ({"a": 0, "b": 3, "c": 0}, {"a": "x", "b": "x", "c": "x"}),
        # Nothing small: nothing hidden.
        ({"a": 0, "b": 5, "c": 12}, {"a": 0, "b": 5, "c": 12}),
    ],
)
def test_a_lone_suppressed_cell_gets_a_secondary_one(cells, expected):
    assert suppress_cells(cells, threshold=5) == expected


def test_no_lone_small_cell_can_be_worked_out_from_the_total():
    # Every breakdown of three cells with values 0..7: whatever is hidden, subtracting the
    # shown cells from the total never leaves exactly one small cell to solve for.
    import itertools

    for values in itertools.product(range(8), repeat=3):
        cells = dict(zip("abc", values, strict=True))
        shown = suppress_cells(cells, threshold=5)
        hidden = [k for k, v in shown.items() if isinstance(v, str)]
        assert len(hidden) != 1, (cells, shown)


@pytest.fixture
def report(db):
    """2025: one man and six women presumed victims, so the man's cell is small and alone."""
    screening(CaseFactory(person__sex="male"), when=at(2025), trafficking="presumed_victim")
    for _ in range(6):
        screening(CaseFactory(person__sex="female"), when=at(2025), trafficking="presumed_victim")
    return suppress_report(services.report_build(year=2025, language="en"))


def test_the_report_hides_the_small_cell_and_its_complement(report):
    sex = report["metrics"]["protection"]["breakdowns"]["presumed_victims"]["sex"]
    assert sex == {"female": "x", "male": "<5", "other": 0, "unknown": 0}
    assert report["metrics"]["protection"]["presumed_victims"] == 7  # the total stays
    chart = next(
        c
        for c in report["charts"]["breakdowns"]
        if (c["group"], c["dimension"]) == ("presumed_victims", "sex")
    )
    assert [value for _label, value in chart["bars"]] == list(sex.values())


def _table_rows(html: str, caption: str) -> dict[str, str]:
    table = re.search(rf"<caption>{re.escape(caption)}</caption>(.*?)</table>", html, re.S)
    assert table, caption
    return dict(re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', table[1]))


def test_the_html_and_the_pdf_show_both_marks_and_explain_them(report):
    with translation.override("en"):
        html = render_to_string("reports/_report.html", exports.context(report))
    rows = _table_rows(html, "Presumed victims by sex")
    assert rows["Male"] == "&lt;5" and rows["Female"] == "x"
    assert "hides one more count" in html
    # The chart hides the same cells.
    chart = next(s for s in exports.context(report)["charts"]["breakdowns"] if "by sex" in s)
    assert "&lt;5" in chart and ">x</text>" in chart and ">6</text>" not in chart

    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(exports.render_pdf(report))).pages
    )
    text = " ".join(text.split())
    assert "Male <5" in text and "Female x" in text
    assert "Female 6" not in text


def test_the_xlsx_value_column_holds_numbers_only_and_marks_sit_beside_it(report):
    workbook = load_workbook(io.BytesIO(exports.render_xlsx(report)))
    sheet = workbook["Protection"]
    assert [c.value for c in sheet[2]] == ["Metric", "Key", "Value", "Suppressed"]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=3) if row[1].value}
    assert rows[f"{SEX}.male"][2].value is None and rows[f"{SEX}.male"][3].value == "<5"
    assert rows[f"{SEX}.female"][2].value is None and rows[f"{SEX}.female"][3].value == "x"
    assert rows[f"{SEX}.other"][2].value == 0 and rows[f"{SEX}.other"][2].data_type == "n"
    for name in workbook.sheetnames[:4]:  # the section sheets
        for row in workbook[name].iter_rows(min_row=3):
            if len(row) > 2 and row[2].value is not None:
                assert isinstance(row[2].value, int | float), (name, row[1].value, row[2].value)


def test_the_csv_value_column_holds_numbers_only_and_marks_sit_beside_it(report):
    rows = list(csv.reader(io.StringIO(exports.render_csv(report))))
    assert rows[0] == ["metric", "value", "suppressed"]
    cells = {metric: (value, mark) for metric, value, mark in rows[1:]}
    assert cells[f"{SEX}.male"] == ("", "<5")
    assert cells[f"{SEX}.female"] == ("", "x")
    assert cells["protection.presumed_victims"] == ("7", "")
    for metric, value, mark in rows[1:]:
        if metric in {"region", "tier.tier", "tier.rule"}:  # codes, documented
            continue
        if metric.startswith("tier.footnote.") and metric.endswith(".source"):
            continue  # a legal citation, documented
        assert value == "" or re.fullmatch(r"-?\d+(\.\d+)?", value), (metric, value)
        assert mark in {"", "<5", "x"}
        assert not (value and mark), metric
