from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.core.exceptions import StaleVersion, WorkflowError
from apps.training import services
from apps.training.models import Attendance, TrainingSession
from apps.training.services import AttendanceLine
from tests.training.factories import AttendanceFactory, InspectorFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db


def _session_data(**overrides):
    return {
        "title": "Victim identification",
        "topic": "victim_identification",
        "date": date(2025, 6, 10),
        "hours": 6,
        "trainer_organization": "IOM",
        "language": "ru",
        "location": "Astana",
    } | overrides


def test_an_administrator_records_a_session_and_the_log_says_so(administrator):
    session = services.training_session_create(actor=administrator, **_session_data())
    assert session.pk and session.version == 1 and session.created_by == administrator
    assert AuditEntry.objects.filter(action="create", target_id=str(session.pk)).exists()


@pytest.mark.parametrize(
    ("field", "value"), [("topic", "cooking"), ("hours", 0), ("hours", 81), ("title", "")]
)
def test_a_session_with_bad_details_is_refused(administrator, field, value):
    with pytest.raises(ValidationError) as info:
        services.training_session_create(actor=administrator, **_session_data(**{field: value}))
    assert field in info.value.message_dict
    assert not TrainingSession.objects.exists()


def test_a_stale_session_update_is_refused(administrator):
    session = TrainingSessionFactory()
    services.training_session_update(
        session=session, actor=administrator, version=1, title="Renamed"
    )
    with pytest.raises(StaleVersion):
        services.training_session_update(
            session=session, actor=administrator, version=1, title="Again"
        )
    session.refresh_from_db()
    assert (session.title, session.version) == ("Renamed", 2)


def test_attendance_is_recorded_and_corrected(administrator, inspector):
    session = TrainingSessionFactory()
    services.attendance_record(
        session=session, actor=administrator, lines=[AttendanceLine(inspector.pk, False, 40)]
    )
    services.attendance_record(
        session=session, actor=administrator, lines=[AttendanceLine(inspector.pk, True, 80)]
    )
    attendance = Attendance.objects.get()
    assert (attendance.passed, attendance.score) == (True, 80)


def test_one_bad_line_saves_nothing_and_names_each_problem(administrator, inspector, caseworker_a):
    session = TrainingSessionFactory()
    lines = [
        AttendanceLine(inspector.pk, True, 90),
        AttendanceLine(caseworker_a.pk, True, 90),
        AttendanceLine(999999, True, 90),
        AttendanceLine(inspector.pk, True, 101),
    ]
    with pytest.raises(services.AttendanceInvalid) as info:
        services.attendance_record(session=session, actor=administrator, lines=lines)
    errors = info.value.errors
    assert set(errors) == {1, 2, 3}
    assert errors[1]["inspector"] == ["caseworker_a is not a labour inspector."]
    assert errors[2]["inspector"] == ["No inspector with id 999999."]
    assert errors[3] == {
        "inspector": ["This inspector is listed more than once."],
        "score": ["Enter a score from 0 to 100."],
    }
    assert not Attendance.objects.exists()


def test_deactivated_inspectors_cannot_be_recorded(administrator):
    gone = InspectorFactory(is_active=False)
    with pytest.raises(services.AttendanceInvalid):
        services.attendance_record(
            session=TrainingSessionFactory(),
            actor=administrator,
            lines=[AttendanceLine(gone.pk, True, 90)],
        )


def test_attendance_waits_until_the_session_has_taken_place(administrator, inspector):
    future = TrainingSessionFactory(date=timezone.localdate() + timedelta(days=3))
    with pytest.raises(WorkflowError) as info:
        services.attendance_record(
            session=future, actor=administrator, lines=[AttendanceLine(inspector.pk, True, 90)]
        )
    assert info.value.code == "session_not_held"


def test_a_session_with_attendance_cannot_move_into_the_future(administrator):
    attendance = AttendanceFactory()
    with pytest.raises(ValidationError):
        services.training_session_update(
            session=attendance.session,
            actor=administrator,
            version=None,
            date=timezone.localdate() + timedelta(days=1),
        )


def test_removing_an_attendance_is_logged(administrator):
    attendance = AttendanceFactory()
    services.attendance_remove(attendance=attendance, actor=administrator)
    assert not Attendance.objects.exists()
    assert AuditEntry.objects.filter(action="update", target_id=str(attendance.session_id)).exists()
