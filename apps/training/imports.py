"""Reading attendance sheets (CSV or XLSX) into rows; the format is told by content, not name."""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

COLUMNS = ("username", "passed", "score")
MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000

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


def _is_xlsx(content: bytes) -> bool:
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _decode_text(content: bytes) -> str:
    # Binary formats (PDF, old .xls, images, .docx) carry NUL bytes or a zip signature.
    if b"\x00" in content[:4096] or content.startswith(b"PK\x03\x04"):
        raise ImportFileError(NOT_CSV_OR_XLSX)
    # Excel in Russian and Kazakh locales still saves CSV as Windows-1251.
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(NOT_CSV_OR_XLSX)


def _csv_rows(content: bytes) -> list[list[str]]:
    text = _decode_text(content)
    first_line = text.split("\n", 1)[0]
    # Excel uses ";" where the decimal separator is a comma (ru, kk).
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_rows(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors for a damaged file
        raise ImportFileError(NOT_CSV_OR_XLSX) from exc
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


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
    table = _xlsx_rows(content) if _is_xlsx(content) else _csv_rows(content)
    table = [[_cell(value) for value in row] for row in table]
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
