import io
import zipfile
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from apps.training import imports, services
from apps.training.models import Attendance
from tests.training.factories import AttendanceFactory, InspectorFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    return TrainingSessionFactory()


@pytest.fixture
def inspectors(inspectorate):
    return [
        InspectorFactory(username="serik", organization=inspectorate),
        InspectorFactory(username="asel", organization=inspectorate),
    ]


def _xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD_CSV = b"username,passed,score\r\nserik,yes,85\r\nasel,no,\r\n"


def test_a_good_csv_is_saved_entirely(session, inspectors, administrator):
    result = services.attendance_import(
        session=session, actor=administrator, content=GOOD_CSV, dry_run=False
    )
    assert result.saved and result.errors == []
    saved = {(a.inspector.username, a.passed, a.score) for a in Attendance.objects.all()}
    assert saved == {("serik", True, 85), ("asel", False, None)}


def test_a_good_xlsx_is_read_by_its_content_whatever_the_name(session, inspectors, administrator):
    content = _xlsx([["Username", "Passed", "Score"], ["serik", "да", 91], ["asel", "нет", 30.0]])
    result = services.attendance_import(
        session=session, actor=administrator, content=content, dry_run=False
    )
    assert result.saved
    assert Attendance.objects.get(inspector__username="serik").score == 91


def test_a_semicolon_csv_in_windows_1251_is_read(session, inspectors, administrator):
    content = "username;passed;score\nserik;да;77\nasel;нет;12\n".encode("cp1251")
    result = services.attendance_import(
        session=session, actor=administrator, content=content, dry_run=False
    )
    assert result.saved and Attendance.objects.count() == 2


def test_a_dry_run_shows_the_rows_and_saves_nothing(session, inspectors, administrator):
    AttendanceFactory(session=session, inspector=inspectors[1], passed=False, score=10)
    result = services.attendance_import(
        session=session, actor=administrator, content=GOOD_CSV, dry_run=True
    )
    assert result.ok and not result.saved
    assert [(r.row, r.username, r.update) for r in result.rows] == [
        (2, "serik", False),
        (3, "asel", True),
    ]
    assert Attendance.objects.count() == 1


def test_bad_rows_are_reported_by_row_number_and_nothing_is_saved(
    session, inspectors, administrator, caseworker_a
):
    content = (
        b"username,passed,score\n"
        b"serik,yes,85\n"
        b"nobody,yes,70\n"
        b"caseworker_a,yes,70\n"
        b"asel,maybe,150\n"
        b",yes,abc\n"
    )
    result = services.attendance_import(
        session=session, actor=administrator, content=content, dry_run=False
    )
    assert not result.saved
    assert result.errors == [
        "Row 3: No inspector with username “nobody”.",
        "Row 4: caseworker_a is not a labour inspector.",
        "Row 5: Enter whether the inspector passed: yes or no.",
        "Row 5: Enter a score from 0 to 100.",
        "Row 6: Enter the inspector's username.",
        "Row 6: Enter the score as a whole number from 0 to 100.",
    ]
    assert not Attendance.objects.exists()


def test_row_errors_follow_the_users_language(session, inspectors, administrator):
    content = b"username,passed,score\nnobody,yes,70\n"
    with translation.override("ru"):
        result = services.attendance_import(
            session=session, actor=administrator, content=content, dry_run=True
        )
        expected = translation.gettext("Row %(row)s: %(message)s") % {
            "row": 2,
            "message": translation.gettext("No inspector with username “%(username)s”.")
            % {"username": "nobody"},
        }
        assert result.errors == [expected]


def test_a_repeated_username_is_an_error(session, inspectors, administrator):
    content = b"username,passed,score\nserik,yes,85\nserik,no,40\n"
    result = services.attendance_import(
        session=session, actor=administrator, content=content, dry_run=False
    )
    assert result.errors == ["Row 3: This inspector is listed more than once."]
    assert not Attendance.objects.exists()


def _zip_without_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00",  # legacy .xls
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        _zip_without_workbook(),  # a .docx renamed to .xlsx
        b"PK\x03\x04 broken zip",
    ],
)
def test_other_formats_are_refused_with_a_clear_error(session, administrator, content):
    result = services.attendance_import(
        session=session, actor=administrator, content=content, dry_run=True
    )
    assert result.errors == ["Upload a CSV or XLSX file (the attendance template)."]


def test_missing_columns_are_named(session, administrator):
    result = services.attendance_import(
        session=session, actor=administrator, content=b"login,result\nserik,yes\n", dry_run=True
    )
    assert result.errors == [
        "The first row must name the columns username, passed, score; "
        "missing: username, passed, score."
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "The file is empty."), (b"username,passed,score\n", "The file has no attendance rows.")],
)
def test_empty_sheets_are_refused(session, administrator, content, message):
    result = services.attendance_import(
        session=session, actor=administrator, content=content, dry_run=True
    )
    assert result.errors == [message]


def test_a_sheet_for_a_session_not_yet_held_is_refused(inspectors, administrator):
    future = TrainingSessionFactory(date=timezone.localdate() + timedelta(days=2))
    result = services.attendance_import(
        session=future, actor=administrator, content=GOOD_CSV, dry_run=False
    )
    assert result.errors == ["Attendance can be recorded once the session has taken place."]
    assert not Attendance.objects.exists()


def test_the_templates_have_the_header_and_import_cleanly(session, administrator):
    InspectorFactory(username="inspector.astana")
    InspectorFactory(username="inspector.almaty")
    csv_text = imports.template_csv().decode("utf-8-sig")
    assert csv_text.splitlines()[0] == "username,passed,score"
    sheet = load_workbook(io.BytesIO(imports.template_xlsx())).active
    assert [c.value for c in sheet[1]] == ["username", "passed", "score"]
    for content in (imports.template_csv(), imports.template_xlsx()):
        result = services.attendance_import(
            session=session, actor=administrator, content=content, dry_run=True
        )
        assert result.ok, result.errors


def test_the_command_checks_then_saves_with_the_same_rules(tmp_path, session, inspectors):
    path = tmp_path / "sheet.csv"
    path.write_bytes(GOOD_CSV)
    out = io.StringIO()
    call_command(
        "import_attendance", str(path), "--session", str(session.pk), "--dry-run", stdout=out
    )
    assert "2 row(s) would be saved" in out.getvalue()
    assert not Attendance.objects.exists()
    call_command("import_attendance", str(path), "--session", str(session.pk), stdout=io.StringIO())
    assert Attendance.objects.count() == 2


def test_the_command_fails_on_bad_rows_and_saves_nothing(tmp_path, session, inspectors):
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(
        _xlsx([["username", "passed", "score"], ["serik", "yes", 80], ["ghost", "yes", 1]])
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_attendance",
            str(path),
            "--session",
            str(session.pk),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "Row 3: No inspector with username “ghost”." in err.getvalue()
    assert not Attendance.objects.exists()
