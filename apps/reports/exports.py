"""The report's outputs: rows shared by every format, then PDF, XLSX and CSV.

The HTML page and the PDF render the same template (reports/_report.html) with the same SVG
charts; XLSX and CSV write the same rows.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from . import charts, labels
from .metrics import BREAKDOWN_DIMENSIONS, BREAKDOWN_GROUPS, SECTIONS
from .suppression import is_suppressed
from .trends import TREND_KEYS, format_number

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# Nested metrics whose keys are choices of this dimension.
NESTED_DIMENSIONS = {
    "investigations_by_exploitation": "exploitation",
    "prosecutions_by_exploitation": "exploitation",
    "convictions_by_exploitation": "exploitation",
    "acquittals_by_exploitation": "exploitation",
    "referrals_by_service_type": "service_type",
}


def display(value: Any) -> str:
    """A cell for people: numbers in the active language, "<5" as it is, None as no data."""
    if isinstance(value, str):
        return value
    return format_number(value)


def sections(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each section's scalar rows and its tables (breakdowns), in display order."""
    result = []
    for section in SECTIONS:
        metrics = report["metrics"].get(section, {})
        rows, tables = [], []
        for key, value in metrics.items():
            if key == "breakdowns":
                for group in BREAKDOWN_GROUPS:
                    for dimension in BREAKDOWN_DIMENSIONS:
                        cells = value.get(group, {}).get(dimension, {})
                        tables.append(
                            {
                                "key": f"breakdowns.{group}.{dimension}",
                                "title": _("%(group)s by %(dimension)s")
                                % {
                                    "group": labels.label(group),
                                    "dimension": str(labels.DIMENSION_LABELS[dimension]).lower(),
                                },
                                "rows": [
                                    {
                                        "key": k,
                                        "label": labels.value_label(dimension, k),
                                        "value": v,
                                    }
                                    for k, v in cells.items()
                                ],
                            }
                        )
            elif isinstance(value, dict):
                dimension = NESTED_DIMENSIONS.get(key, "")
                tables.append(
                    {
                        "key": key,
                        "title": labels.label(key),
                        "rows": [
                            {"key": k, "label": labels.value_label(dimension, k), "value": v}
                            for k, v in value.items()
                        ],
                    }
                )
            else:
                rows.append({"key": key, "label": labels.label(key), "value": value})
        result.append(
            {
                "key": section,
                "title": str(labels.SECTION_LABELS[section]),
                "rows": rows,
                "tables": tables,
            }
        )
    return result


def trend_rows(report: dict[str, Any]) -> tuple[list[int], list[dict[str, Any]]]:
    """Years on record and, per key metric, its value each year, change and run."""
    years = [int(y) for y in report.get("years_on_record", [])]
    history = report.get("history", {})
    rows = []
    for key in TREND_KEYS:
        trend = report.get("trend", {}).get(key, {})
        rows.append(
            {
                "key": key,
                "label": labels.label(key),
                "values": [history.get(str(y), {}).get(key) for y in years],
                "change": trend.get("change"),
                "change_pct": trend.get("change_pct"),
                "direction": trend.get("direction"),
                "run": trend.get("run", 0),
                "sentence": trend.get("sentence"),
            }
        )
    return years, rows


def title(report: dict[str, Any]) -> str:
    """The report's title in the active language."""
    return _("Annual report %(year)s: %(region)s") % {
        "year": report["year"],
        "region": labels.region_label(report.get("region")),
    }


def context(report: dict[str, Any], *, published=None) -> dict[str, Any]:
    """What reports/_report.html needs; call inside the report's language."""
    years, rows = trend_rows(report)
    return {
        "report": report,
        "title": title(report),
        "sections": sections(report),
        "trend_years": years,
        "trend_rows": rows,
        "charts": charts.render_charts(report),
        "tier": report["tier"],
        "published": published,
    }


def render_pdf(report: dict[str, Any], *, published=None) -> bytes:
    """A4 PDF of the report, fonts that cover Cyrillic and Kazakh letters (DejaVu Sans)."""
    from weasyprint import HTML

    with translation.override(report["language"]):
        html = render_to_string("reports/annual_pdf.html", context(report, published=published))
    return HTML(string=html).write_pdf()


def split_cell(value: Any) -> tuple[Any, str]:
    """(number, mark) for the files: a suppressed cell has no number and its mark ("<5", "x").

    XLSX and CSV keep numbers and marks in separate columns so that the value column holds
    numbers only and sums and filters over it work (docs/reports.md, "Outputs").
    """
    if is_suppressed(value):
        return None, value
    return value, ""


def _sheet_title(text: str) -> str:
    for char in "[]:*?/\\":
        text = text.replace(char, " ")
    return text[:31]


def render_xlsx(report: dict[str, Any]) -> bytes:
    """One sheet per section, Trend and Tier; the Value column holds numbers only, marks of
    suppressed cells ("<5", "x") sit in the Suppressed column beside an empty value."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    workbook = Workbook()
    workbook.remove(workbook.active)
    with translation.override(report["language"]):
        for section in sections(report):
            sheet = workbook.create_sheet(_sheet_title(section["title"]))
            sheet.append([title(report)])
            sheet["A1"].font = bold
            sheet.append([_("Metric"), _("Key"), _("Value"), _("Suppressed")])
            for row in section["rows"]:
                sheet.append(
                    [row["label"], f"{section['key']}.{row['key']}", *split_cell(row["value"])]
                )
            for table in section["tables"]:
                sheet.append([])
                sheet.append([table["title"]])
                sheet.cell(row=sheet.max_row, column=1).font = bold
                for row in table["rows"]:
                    key = f"{section['key']}.{table['key']}.{row['key']}"
                    sheet.append([row["label"], key, *split_cell(row["value"])])
            sheet.column_dimensions["A"].width = 55
            sheet.column_dimensions["B"].width = 50

        sheet = workbook.create_sheet(_sheet_title(str(labels.SECTION_LABELS["trend"])))
        years, rows = trend_rows(report)
        sheet.append([_("Metric"), _("Key"), *years, _("Change"), _("Consecutive years")])
        for row in rows:
            sheet.append([row["label"], row["key"], *row["values"], row["change"], row["run"] or 0])
        sheet.column_dimensions["A"].width = 55

        sheet = workbook.create_sheet(_sheet_title(str(labels.SECTION_LABELS["tier"])))
        tier = report["tier"]
        sheet.append([_("Indicative tier"), tier["tier_label"], tier["tier"]])
        sheet.append([_("Deciding rule"), tier["rule_label"], tier["rule"]])
        sheet.append([])
        sheet.append([_("Standard"), _("What it measures"), _("Value"), _("Threshold"), _("Met")])
        for standard in tier["standards"]:
            sheet.append(
                [
                    standard["code"],
                    standard["label"],
                    standard["value"],
                    standard["threshold"],
                    _("yes") if standard["met"] else _("no"),
                ]
            )
        sheet.append([])
        sheet.append(
            [_("Effort"), _("What it measures"), _("This year"), _("Previous year"), _("Met")]
        )
        for effort in tier["efforts"]:
            sheet.append(
                [
                    effort["code"],
                    effort["label"],
                    effort["current"],
                    effort["previous"],
                    _("yes") if effort["met"] else _("no"),
                ]
            )
        sheet.append([])
        for sentence in tier["explanation"]:
            sheet.append([sentence])
        # Published reports frozen before the footnotes were added have none.
        if tier.get("footnotes"):
            sheet.append([])
            sheet.append([_("Sources of the downgrade rules")])
            sheet.cell(row=sheet.max_row, column=1).font = bold
            sheet.append([_("Source"), _("Rule"), _("Applied to this year")])
            for note in tier["footnotes"]:
                sheet.append(
                    [note["source"], note["text"], _("yes") if note["applies"] else _("no")]
                )
        sheet.column_dimensions["B"].width = 45
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_rows(report: dict[str, Any]) -> list[tuple[str, Any]]:
    """(metric, value) pairs with the section in the key, such as protection.presumed_victims."""
    rows: list[tuple[str, Any]] = [("year", report["year"]), ("region", report.get("region", ""))]
    for section in sections(report):
        for row in section["rows"]:
            rows.append((f"{section['key']}.{row['key']}", row["value"]))
        for table in section["tables"]:
            for row in table["rows"]:
                rows.append((f"{section['key']}.{table['key']}.{row['key']}", row["value"]))
    years, trend = trend_rows(report)
    for row in trend:
        for year, value in zip(years, row["values"], strict=True):
            rows.append((f"trend.{row['key']}.{year}", value))
        rows.append((f"trend.{row['key']}.run", row["run"] or 0))
    tier = report["tier"]
    rows.append(("tier.tier", tier["tier"]))
    rows.append(("tier.rule", tier["rule"]))
    for standard in tier["standards"]:
        rows.append((f"tier.{standard['code']}.met", int(standard["met"])))
    for effort in tier["efforts"]:
        rows.append((f"tier.{effort['code']}.met", int(effort["met"])))
    # The statute behind each downgrade rule (a citation, the same in every language) and
    # whether it shaped this year's tier.
    for note in tier.get("footnotes", []):
        rows.append((f"tier.footnote.{note['key']}.source", note["source"]))
        rows.append((f"tier.footnote.{note['key']}.applies", int(note["applies"])))
    return rows


def render_csv(report: dict[str, Any]) -> str:
    """metric,value,suppressed rows; a suppressed cell has an empty value and its mark ("<5",
    "x") in the suppressed column, so the value column holds numbers only (or codes, for the
    tier rows); no value (None) is an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["metric", "value", "suppressed"])
    with translation.override(report["language"]):
        for key, value in csv_rows(report):
            number, mark = split_cell(value)
            writer.writerow([key, "" if number is None else number, mark])
    return buffer.getvalue()


def filename(report: dict[str, Any], fmt: str) -> str:
    region = report.get("region") or "all"
    return f"annual-report-{report['year']}-{region}-{report['language']}.{fmt}"
