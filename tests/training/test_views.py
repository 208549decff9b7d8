from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from apps.training.models import Attendance, TrainingSession
from tests.accounts.factories import OrganizationFactory
from tests.training.factories import (
    AttendanceFactory,
    InspectorFactory,
    TrainingSessionFactory,
    passed_session,
)

pytestmark = pytest.mark.django_db


def test_caseworkers_are_refused_every_training_page(client, caseworker_a):
    session = TrainingSessionFactory()
    client.force_login(caseworker_a)
    for url in [
        reverse("training:index"),
        reverse("training:session_list"),
        reverse("training:inspector_list"),
        reverse("training:session_detail", args=[session.pk]),
        reverse("training:mine"),
    ]:
        assert client.get(url).status_code == 403, url


def test_auditors_read_but_cannot_change(client, auditor):
    session = AttendanceFactory().session
    client.force_login(auditor)
    assert client.get(reverse("training:session_list")).status_code == 200
    body = client.get(reverse("training:session_detail", args=[session.pk])).content.decode()
    assert session.title in body and "Record attendance" not in body
    for url in [
        reverse("training:session_create"),
        reverse("training:session_edit", args=[session.pk]),
        reverse("training:attendance_import", args=[session.pk]),
        reverse("training:import_template", args=["csv"]),
    ]:
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("training:attendance_add", args=[session.pk]), {})
    assert response.status_code == 403


def test_the_navigation_shows_training_to_its_roles(client, caseworker_a, inspector, auditor):
    url = reverse("training:index")
    for user, shown in [(caseworker_a, False), (inspector, True), (auditor, True)]:
        client.force_login(user)
        assert (f'href="{url}"' in client.get(reverse("core:home")).content.decode()) is shown


def test_an_administrator_creates_and_edits_a_session(client, administrator):
    client.force_login(administrator)
    data = {
        "title": "Victim identification",
        "topic": "victim_identification",
        "date": "2025-06-10",
        "hours": "8",
        "trainer_organization": "IOM",
        "language": "ru",
        "location": "Astana",
    }
    response = client.post(reverse("training:session_create"), data)
    session = TrainingSession.objects.get()
    assert response.url == reverse("training:session_detail", args=[session.pk])
    edit = reverse("training:session_edit", args=[session.pk])
    client.post(edit, data | {"title": "Renamed", "version": 1})
    stale = client.post(edit, data | {"title": "Stale", "version": 1})
    session.refresh_from_db()
    assert session.title == "Renamed"
    assert "Someone else changed this record" in stale.content.decode()


def test_a_session_form_with_bad_hours_shows_the_error(client, administrator):
    client.force_login(administrator)
    response = client.post(reverse("training:session_create"), {"title": "x", "hours": "0"})
    assert response.status_code == 200
    assert "Enter the hours: more than 0, at most 80." in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_attendance_is_added_as_an_htmx_row(client, administrator, inspector):
    session = TrainingSessionFactory()
    client.force_login(administrator)
    response = client.post(
        reverse("training:attendance_add", args=[session.pk]),
        {"inspector": inspector.pk, "passed": "on", "score": "88"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<section id="attendance-section"') and "<html" not in body
    assert f'id="attendance-{Attendance.objects.get().pk}"' in body
    attendance = Attendance.objects.get()
    assert (attendance.inspector, attendance.passed, attendance.score) == (inspector, True, 88)


def test_a_bad_score_in_the_attendance_form_saves_nothing(client, administrator, inspector):
    session = TrainingSessionFactory()
    client.force_login(administrator)
    response = client.post(
        reverse("training:attendance_add", args=[session.pk]),
        {"inspector": inspector.pk, "score": "120"},
        HTTP_HX_REQUEST="true",
    )
    assert "has-error" in response.content.decode()
    assert not Attendance.objects.exists()


def test_attendance_is_removed_as_an_htmx_swap(client, administrator):
    attendance = AttendanceFactory()
    client.force_login(administrator)
    response = client.post(
        reverse("training:attendance_remove", args=[attendance.session_id, attendance.pk]),
        HTTP_HX_REQUEST="true",
    )
    assert "No attendance recorded yet." in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_import_page_checks_first_and_saves_on_confirm(client, administrator, inspector):
    session = TrainingSessionFactory()
    client.force_login(administrator)
    upload = SimpleUploadedFile("sheet.csv", b"username,passed,score\ninspector,yes,90\n")
    page = client.post(reverse("training:attendance_import", args=[session.pk]), {"file": upload})
    body = page.content.decode()
    assert "What the import would save" in body and "Save 1 row" in body
    assert not Attendance.objects.exists()
    response = client.post(reverse("training:attendance_import_confirm", args=[session.pk]))
    assert response.url == reverse("training:session_detail", args=[session.pk])
    assert Attendance.objects.get().inspector == inspector


def test_the_import_page_lists_row_errors_in_the_users_language(client, administrator):
    session = TrainingSessionFactory()
    client.force_login(administrator)
    upload = SimpleUploadedFile("sheet.csv", b"username,passed,score\nghost,yes,90\n")
    page = client.post(
        reverse("training:attendance_import", args=[session.pk]),
        {"file": upload},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    with translation.override("ru"):
        message = translation.gettext("No inspector with username “%(username)s”.") % {
            "username": "ghost"
        }
        expected = translation.gettext("Row %(row)s: %(message)s") % {"row": 2, "message": message}
    body = page.content.decode()
    assert expected.replace("“", "&ldquo;") in body or expected in body
    assert 'action="/training/sessions/' not in body.split("errorlist-box")[1].split("</table>")[1]
    confirm = client.post(reverse("training:attendance_import_confirm", args=[session.pk]))
    assert confirm.status_code == 302 and not Attendance.objects.exists()


def test_an_uploaded_pdf_is_refused(client, administrator):
    session = TrainingSessionFactory()
    client.force_login(administrator)
    upload = SimpleUploadedFile("sheet.csv", b"%PDF-1.4\x00\x01binary")
    page = client.post(reverse("training:attendance_import", args=[session.pk]), {"file": upload})
    assert "Upload a CSV or XLSX file (the attendance template)." in page.content.decode()


@pytest.mark.parametrize(
    ("ext", "content_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_the_template_downloads(client, administrator, ext, content_type):
    client.force_login(administrator)
    response = client.get(reverse("training:import_template", args=[ext]))
    assert response["Content-Type"] == content_type
    assert f"attendance-template.{ext}" in response["Content-Disposition"]


def test_the_inspector_list_shows_status_badges_and_filters(client, administrator, inspectorate):
    today = timezone.localdate()
    certified = InspectorFactory(username="cert.ok", organization=inspectorate)
    passed_session(certified, today)
    due = InspectorFactory(username="due", organization=inspectorate)
    passed_session(due, today.replace(year=today.year - 2) + timedelta(days=10))
    InspectorFactory(username="never", organization=inspectorate)
    client.force_login(administrator)
    body = client.get(reverse("training:inspector_list")).content.decode()
    assert "badge ok" in body and "badge warning" in body and "Not trained" in body
    filtered = client.get(reverse("training:inspector_list"), {"trained": "no"}).content.decode()
    assert "never" in filtered and "cert.ok" not in filtered


def test_an_inspector_sees_their_organisation_and_not_others(client, inspector):
    colleague = InspectorFactory(username="colleague", organization=inspector.organization)
    InspectorFactory(
        username="stranger",
        organization=OrganizationFactory(name="Elsewhere", kind="labour_inspectorate"),
    )
    client.force_login(inspector)
    body = client.get(reverse("training:inspector_list")).content.decode()
    assert colleague.username in body and "stranger" not in body


def test_an_inspector_sees_their_own_training_and_not_other_sessions(client, inspector):
    attended = passed_session(inspector, timezone.localdate() - timedelta(days=30)).session
    other = TrainingSessionFactory(title="Not mine")
    client.force_login(inspector)
    assert client.get(reverse("training:index")).url == reverse("training:mine")
    body = client.get(reverse("training:mine")).content.decode()
    assert attended.title in body and "Your certification is valid until" in body
    assert client.get(reverse("training:session_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("training:session_create")).status_code == 403


def test_the_home_page_shows_an_inspector_their_certification(client, inspector):
    client.force_login(inspector)
    body = client.get(reverse("core:home")).content.decode()
    assert "My certification" in body and "You have no certification on record." in body


def test_the_home_page_shows_administrators_who_is_due(client, administrator, inspector):
    today = timezone.localdate()
    passed_session(inspector, today.replace(year=today.year - 2) + timedelta(days=10))
    client.force_login(administrator)
    body = client.get(reverse("core:home")).content.decode()
    assert "Inspectors due for renewal" in body
    assert inspector.get_full_name() in body


def test_reading_a_session_is_audited(client, auditor):
    from apps.audit.models import AuditEntry

    session = TrainingSessionFactory()
    client.force_login(auditor)
    client.get(reverse("training:session_detail", args=[session.pk]))
    assert AuditEntry.objects.filter(action="read", target_id=str(session.pk)).exists()
