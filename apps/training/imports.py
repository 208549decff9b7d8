"""Reading attendance sheets (CSV or XLSX) into rows; the format is told by content, not name."""

import csv
import io
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

COLUMNS = ("username", "passed", "score")
# Limits that keep a hostile file from holding a web worker: the upload itself, what an XLSX
# unpacks to (declared sizes, which zipfile enforces while inflating, so a zip bomb is refused
# before anything is inflated), the sheet's extent, each line and cell, and the time spent.
MAX_BYTES = 1024 * 1024
MAX_UNPACKED_BYTES = 8 * 1024 * 1024
MAX_PARTS = 200
MAX_ROWS = 2000
MAX_SHEET_ROWS = 5000  # rows of the sheet, blank ones included
MAX_COLUMNS = 50
MAX_XML_ELEMENTS = 400_000  # in all of an XLSX's parts together
MAX_LINE_CHARS = 10_000
MAX_CELL_CHARS = 1000
TIME_BUDGET_SECONDS = 10.0

TRUE_WORDS = {"yes", "y", "true", "1", "passed", "pass", "да", "д", "иә", "ия", "x", "✓"}
FALSE_WORDS = {"no", "n", "false", "0", "failed", "fail", "нет", "н", "жоқ", "-"}

EXAMPLE_ROWS = [("inspector.astana", "yes", "85"), ("inspector.almaty", "no", "52")]


class ImportFileError(Exception):
    """The file as a whole cannot be read: wrong format, missing columns, too large."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


@dataclass
class RawRow:
    row: int  # the sheet's own row number (the header is row 1)
    username: str
    passed: bool | None
    score: int | None
    errors: list[str] = field(default_factory=list)


NOT_CSV_OR_XLSX = gettext_lazy("Upload a CSV or XLSX file (the attendance template).")


def _too_large_sheet() -> ImportFileError:
    return ImportFileError(
        _(
            "The sheet is too large: at most %(rows)s rows and %(columns)s columns are read. "
            "Copy the attendance rows into a new sheet and upload it again."
        )
        % {"rows": MAX_SHEET_ROWS, "columns": MAX_COLUMNS}
    )


class _Budget:
    """Reading stops with a clear error once the time allowed for one file has gone."""

    def __init__(self):
        self.deadline = time.monotonic() + TIME_BUDGET_SECONDS

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise ImportFileError(
                _("The file could not be read within %(seconds)s seconds.")
                % {"seconds": f"{TIME_BUDGET_SECONDS:g}"}
            )


def _xlsx_archive(content: bytes) -> bool:
    """Whether the content is an XLSX; refuses one that unpacks to too much."""
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
            if "xl/workbook.xml" not in {part.filename for part in parts}:
                return False
    except zipfile.BadZipFile:
        return False
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _(
                "The file unpacks to more than %(size)s MB: save the attendance sheet on its own "
                "and upload it again."
            )
            % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    return True


def _decode_text(content: bytes) -> str:
    # Binary formats (PDF, old .xls, images, .docx) carry NUL bytes or a zip signature; text
    # never holds a NUL, wherever it is (PostgreSQL refuses them in text).
    if b"\x00" in content or content.startswith(b"PK\x03\x04"):
        raise ImportFileError(NOT_CSV_OR_XLSX)
    # Excel in Russian and Kazakh locales still saves CSV as Windows-1251.
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(NOT_CSV_OR_XLSX)


def _csv_rows(content: bytes, budget: _Budget) -> Iterator[list]:
    text = _decode_text(content)
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise ImportFileError(
                _("Line %(line)s is longer than %(count)s characters.")
                % {"line": number, "count": MAX_LINE_CHARS}
            )
    first_line = text.split("\n", 1)[0]
    # Excel uses ";" where the decimal separator is a comma (ru, kk).
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            budget.check()
            yield row
    except csv.Error as exc:  # a quoted cell running past the csv module's own field limit
        raise ImportFileError(NOT_CSV_OR_XLSX) from exc


def _xlsx_prescan(content: bytes, budget: _Budget) -> None:
    """Walk every XML part once with expat, keeping nothing, before openpyxl builds anything:
    no DTD (so no entity expansion), no more elements than MAX_XML_ELEMENTS, no row beyond
    MAX_SHEET_ROWS or with more than MAX_COLUMNS cells."""
    counts = {"elements": 0, "cells": 0}

    def start(name: str, attributes: dict) -> None:
        counts["elements"] += 1
        if counts["elements"] > MAX_XML_ELEMENTS:
            raise _too_large_sheet()
        if counts["elements"] % 5000 == 0:
            budget.check()
        local = name.rpartition(":")[2]
        if local == "row":
            counts["cells"] = 0
            number = attributes.get("r", "")
            if number.isdigit() and int(number) > MAX_SHEET_ROWS:
                raise _too_large_sheet()
        elif local == "c":
            counts["cells"] += 1
            if counts["cells"] > MAX_COLUMNS:
                raise _too_large_sheet()

    def no_doctype(*_args) -> None:
        raise ImportFileError(NOT_CSV_OR_XLSX)

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for part in archive.infolist():
                if not part.filename.endswith((".xml", ".rels")):
                    continue
                parser = expat.ParserCreate()
                parser.StartElementHandler = start
                parser.StartDoctypeDeclHandler = no_doctype
                parser.EntityDeclHandler = no_doctype
                with archive.open(part) as stream:
                    while chunk := stream.read(64 * 1024):
                        parser.Parse(chunk, False)
                parser.Parse(b"", True)
    except ImportFileError:
        raise
    except (expat.ExpatError, zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:
        # Malformed XML, a member whose inflated size or CRC is not the one declared, an
        # unsupported compression or an encrypted member.
        raise ImportFileError(NOT_CSV_OR_XLSX) from exc


def _xlsx_rows(content: bytes, budget: _Budget) -> Iterator[tuple]:
    from openpyxl import load_workbook

    _xlsx_prescan(content, budget)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors for a damaged file
        raise ImportFileError(NOT_CSV_OR_XLSX) from exc
    try:
        sheet = workbook.worksheets[0]
        # The extent the sheet declares, before a single row is read: a few bytes can claim
        # a million rows of 16,384 columns, which openpyxl would pad every row to.
        if (sheet.max_row or 0) > MAX_SHEET_ROWS or (sheet.max_column or 0) > MAX_COLUMNS:
            raise _too_large_sheet()
        # The declaration may also be missing or false: read rows as they come, never wider
        # than the columns allowed; _table stops at the row limit.
        sheet.reset_dimensions()
        for row in sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True):
            budget.check()
            yield row
    except ImportFileError:
        raise
    except Exception as exc:  # damage found while streaming the sheet (XML, zip CRC, values)
        raise ImportFileError(NOT_CSV_OR_XLSX) from exc
    finally:
        workbook.close()


def _table(content: bytes) -> list[list[str]]:
    """The sheet's rows as text, within the limits."""
    budget = _Budget()
    rows = _xlsx_rows(content, budget) if _xlsx_archive(content) else _csv_rows(content, budget)
    table = []
    for number, row in enumerate(rows, start=1):
        if number > MAX_SHEET_ROWS:
            raise _too_large_sheet()
        values = [_cell(value) for value in row]
        while values and not values[-1]:
            values.pop()
        if len(values) > MAX_COLUMNS:
            raise _too_large_sheet()
        for value in values:
            if len(value) > MAX_CELL_CHARS:
                raise ImportFileError(
                    _("A cell in row %(row)s is longer than %(count)s characters.")
                    % {"row": number, "count": MAX_CELL_CHARS}
                )
        table.append(values)
    return table


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_passed(value: str) -> bool | None:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def _parse_score(value: str) -> tuple[int | None, bool]:
    """(score, ok): an empty cell is no score; otherwise a whole number."""
    text = value.strip().replace(",", ".")
    if not text:
        return None, True
    try:
        number = float(text)
    except ValueError:
        return None, False
    if not number.is_integer():
        return None, False
    return int(number), True


def read_attendance_sheet(content: bytes) -> list[RawRow]:
    """The sheet's data rows, with value errors per row; ImportFileError for a bad file."""
    if not content:
        raise ImportFileError(gettext_lazy("The file is empty."))
    if len(content) > MAX_BYTES:
        raise ImportFileError(gettext_lazy("The file is larger than 1 MB."))
    table = _table(content)
    header_index = next((i for i, row in enumerate(table) if any(row)), None)
    if header_index is None:
        raise ImportFileError(gettext_lazy("The file is empty."))
    header = [name.lower() for name in table[header_index]]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise ImportFileError(
            _("The first row must name the columns %(columns)s; missing: %(missing)s.")
            % {"columns": ", ".join(COLUMNS), "missing": ", ".join(missing)}
        )
    position = {name: header.index(name) for name in COLUMNS}
    rows = []
    for index, values in enumerate(table[header_index + 1 :], start=header_index + 2):
        if not any(values):
            continue
        values = values + [""] * (len(header) - len(values))
        raw = RawRow(row=index, username=values[position["username"]], passed=None, score=None)
        if not raw.username:
            raw.errors.append(_("Enter the inspector's username."))
        raw.passed = _parse_passed(values[position["passed"]])
        if raw.passed is None:
            raw.errors.append(_("Enter whether the inspector passed: yes or no."))
        raw.score, ok = _parse_score(values[position["score"]])
        if not ok:
            raw.errors.append(_("Enter the score as a whole number from 0 to 100."))
        rows.append(raw)
        if len(rows) > MAX_ROWS:
            raise ImportFileError(_("The file has more than %(count)s rows.") % {"count": MAX_ROWS})
    if not rows:
        raise ImportFileError(gettext_lazy("The file has no attendance rows."))
    return rows


def template_csv() -> bytes:
    """The downloadable CSV template: the header and two example rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(EXAMPLE_ROWS)
    # A BOM lets Excel open the UTF-8 file with Cyrillic names intact.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """The downloadable XLSX template: the header and two example rows."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "attendance"
    sheet.append(list(COLUMNS))
    for username, passed, score in EXAMPLE_ROWS:
        sheet.append([username, passed, int(score)])
    sheet.column_dimensions["A"].width = 28
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
