"""Hostile attendance sheets: every one is refused quickly, in little memory, with a translated 400.

The files are built here, not committed: a few bytes of XLSX declaring a cell at XFD1048576
(which took 3 GB to read), one declaring ALL100000, a zip bomb, a zip whose directory
understates a member's size, entity expansion, a row of thousands of cells, CSVs with a NUL
after 4 KB or a cell longer than the csv module's 131,072-character limit.
"""

import io
import re
import struct
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import Workbook

from apps.training import imports, services
from apps.training.models import Attendance
from tests.training.factories import InspectorFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"


def _xlsx(rows=(("username", "passed", "score"), ("serik", "yes", 80))) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewritten(content: bytes, parts: dict) -> bytes:
    """The workbook with some parts replaced (a function of the old bytes) or added (bytes)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            change = parts.get(info.filename)
            target.writestr(info.filename, change(data) if callable(change) else data)
        for name, data in parts.items():
            if not callable(data):
                target.writestr(name, data)
    return out.getvalue()


def _declaring(ref: str) -> bytes:
    return _rewritten(
        _xlsx(), {SHEET: lambda xml: re.sub(rb'<dimension ref="[^"]*" ?/>', f'<dimension ref="{ref}"/>'.encode(), xml)}
    )  # fmt: skip


def xfd1048576() -> bytes:
    """A tiny workbook declaring the largest possible sheet: 16,384 columns, 1,048,576 rows."""
    return _declaring("A1:XFD1048576")


def all100000() -> bytes:
    return _declaring("A1:ALL100000")


def far_cell_without_dimension() -> bytes:
    """No declared extent, and one cell at the sheet's far corner."""
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return _rewritten(
        _xlsx(),
        {SHEET: lambda xml: re.sub(rb'<dimension ref="[^"]*" ?/>', b"", xml).replace(b"</sheetData>", far + b"</sheetData>")},
    )  # fmt: skip


def wide_row() -> bytes:
    """One row of 300,000 empty cells in under 20 KB: openpyxl would build them all at once."""
    cells = b'<c r="B3"/>' * 300_000
    return _rewritten(
        _xlsx(), {SHEET: lambda xml: xml.replace(b"</sheetData>", b'<row r="3">' + cells + b"</row></sheetData>")}
    )  # fmt: skip


def many_elements() -> bytes:
    """Half a million elements that are not rows: kept in memory by openpyxl's parser."""
    return _rewritten(
        _xlsx(), {SHEET: lambda xml: xml.replace(b"</sheetData>", b"</sheetData>" + b"<x/>" * 500_000)}
    )  # fmt: skip


def zip_bomb() -> bytes:
    """A sheet that inflates from well under 1 MB to 300 MB (built in chunks, never whole)."""
    out = io.BytesIO()
    good = zipfile.ZipFile(io.BytesIO(_xlsx()))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in good.infolist():
            if info.filename != SHEET:
                target.writestr(info.filename, good.read(info.filename))
        with target.open(SHEET, "w") as sheet:
            sheet.write(good.read(SHEET).replace(b"</worksheet>", b""))
            chunk = b" " * (1024 * 1024)
            for _ in range(300):
                sheet.write(chunk)
            sheet.write(b"</worksheet>")
    return out.getvalue()


def understated_sizes() -> bytes:
    """A zip bomb whose directory says its 50 MB sheet holds 2 KB: zipfile stops at 2 KB."""
    content = bytearray(_rewritten(_xlsx(), {SHEET: lambda xml: xml.replace(b"</sheetData>", b"</sheetData>" + b" " * 50_000_000)}))  # fmt: skip
    start = 0
    while (start := content.find(b"PK\x01\x02", start)) != -1:
        name_length = struct.unpack_from("<H", content, start + 28)[0]
        if content[start + 46 : start + 46 + name_length] == SHEET.encode():
            struct.pack_into("<I", content, start + 24, 2048)
        start += 46
    return bytes(content)


def entity_expansion() -> bytes:
    """ "Billion laughs" in the shared strings."""
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)
        )
        + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<si><t>&i;</t></si></sst>"
    )
    return _rewritten(_xlsx(), {"xl/sharedStrings.xml": laughs})


def nul_after_4kb() -> bytes:
    padding = "".join(f"inspector{i},yes,50\n" for i in range(300))
    return ("username,passed,score\n" + padding).encode() + b"serik\x00,yes,50\n"


def long_cell() -> bytes:
    return b"username,passed,score\nserik,yes," + b"9" * 140_000 + b"\n"


def long_quoted_cell() -> bytes:
    """A quoted cell running over many short lines past the csv module's field limit."""
    return b'username,passed,score\nserik,yes,"' + b"9\n" * 70_000 + b'"\n'


def many_blank_lines() -> bytes:
    return b"username,passed,score\n" + b"\n" * 900_000 + b"serik,yes,50\n"


TOO_LARGE = "The sheet is too large"
NOT_A_SHEET = "Upload a CSV or XLSX file (the attendance template)."
ATTACKS = [
    (xfd1048576, TOO_LARGE),
    (all100000, TOO_LARGE),
    (far_cell_without_dimension, TOO_LARGE),
    (wide_row, TOO_LARGE),
    (many_elements, TOO_LARGE),
    (zip_bomb, "The file unpacks to more than 8 MB"),
    (understated_sizes, NOT_A_SHEET),
    (entity_expansion, NOT_A_SHEET),
    (nul_after_4kb, NOT_A_SHEET),
    (long_cell, "Line 2 is longer than 10000 characters."),
    (long_quoted_cell, NOT_A_SHEET),
    (many_blank_lines, TOO_LARGE),
]


@pytest.fixture
def session():
    return TrainingSessionFactory()


@pytest.mark.parametrize(("attack", "message"), ATTACKS, ids=[a.__name__ for a, _m in ATTACKS])
def test_a_hostile_file_is_refused_quickly_in_little_memory(
    session, administrator, attack, message
):
    content = attack()
    assert len(content) <= imports.MAX_BYTES
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = services.attendance_import(
            session=session, actor=administrator, content=content, dry_run=False
        )
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 5
    assert peak < 64 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} MB"
    assert len(result.errors) == 1 and result.errors[0].startswith(message), result.errors
    assert not result.saved and not Attendance.objects.exists()


@pytest.mark.parametrize(("attack", "_message"), ATTACKS, ids=[a.__name__ for a, _m in ATTACKS])
def test_the_import_page_answers_a_hostile_file_with_a_translated_400(
    client, session, administrator, attack, _message
):
    content = attack()
    with translation.override("ru"):
        expected = services.attendance_import(
            session=session, actor=administrator, content=content, dry_run=True
        ).errors
    client.force_login(administrator)
    page = client.post(
        reverse("training:attendance_import", args=[session.pk]),
        {"file": SimpleUploadedFile("attendance.xlsx", content)},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert page.status_code == 400
    assert len(expected) == 1 and escape(expected[0]) in page.content.decode()
    confirm = client.post(reverse("training:attendance_import_confirm", args=[session.pk]))
    assert confirm.status_code == 302 and not Attendance.objects.exists()


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_every_limit_message_is_translated(session, administrator, language):
    for attack in (xfd1048576, zip_bomb, long_cell, long_quoted_cell):
        content = attack()
        errors = {}
        for code in ("en", language):
            with translation.override(code):
                errors[code] = services.attendance_import(
                    session=session, actor=administrator, content=content, dry_run=True
                ).errors
        assert errors[language] and errors[language] != errors["en"], attack.__name__
    content = b"username,passed,score\n" + b"x" * 1001 + b",yes,50\n"
    with translation.override(language):
        errors = services.attendance_import(
            session=session, actor=administrator, content=content, dry_run=True
        ).errors
    assert "1000" in errors[0] and "cell" not in errors[0]


def test_a_cell_longer_than_the_limit_is_refused(session, administrator):
    content = b"username,passed,score\n" + b"x" * 1001 + b",yes,50\n"
    result = services.attendance_import(
        session=session, actor=administrator, content=content, dry_run=True
    )
    assert result.errors == ["A cell in row 2 is longer than 1000 characters."]


def test_reading_stops_when_the_time_budget_is_spent(session, administrator, monkeypatch):
    monkeypatch.setattr(imports, "TIME_BUDGET_SECONDS", 1e-6)
    rows = "".join(f"inspector{n},yes,50\n" for n in range(imports.MAX_ROWS))
    content = ("username,passed,score\n" + rows).encode()
    result = services.attendance_import(
        session=session, actor=administrator, content=content, dry_run=True
    )
    assert result.errors == ["The file could not be read within 1e-06 seconds."]


def test_a_sheet_at_the_limits_is_still_read(session, administrator, inspectorate):
    """2,000 inspectors with 20 other columns: real sheets are not caught by the limits."""
    for number in range(3):
        InspectorFactory(username=f"inspector{number}", organization=inspectorate)
    header = ["username", "passed", "score"] + [f"note {n}" for n in range(20)]
    rows = [header] + [
        [f"inspector{n % 3}" if n < 3 else f"missing{n}", "yes", 70] + ["some text"] * 20
        for n in range(imports.MAX_ROWS)
    ]
    started = time.monotonic()
    result = services.attendance_import(
        session=session, actor=administrator, content=_xlsx(rows), dry_run=True
    )
    assert time.monotonic() - started < imports.TIME_BUDGET_SECONDS
    assert not result.file_error
    assert len(result.rows) == imports.MAX_ROWS
