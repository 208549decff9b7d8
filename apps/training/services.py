"""Writes on the training log: sessions, attendance, imports and certification reminders."""

import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.core.exceptions import WorkflowError
from apps.core.links import absolute_url
from apps.tasks.hooks import inspector_changed

from . import selectors
from .certification import certification_expiry
from .imports import ImportFileError, read_attendance_sheet
from .models import Attendance, CertificationReminder, TrainingSession

logger = logging.getLogger(__name__)

SESSION_FIELDS = ("title", "topic", "date", "hours", "trainer_organization", "language", "location")


class AttendanceInvalid(Exception):
    """Some lines of an attendance list are refused; nothing was saved."""

    def __init__(self, errors: dict[int, dict[str, list[str]]]):
        self.errors = errors  # line index -> field -> messages
        super().__init__(f"{len(errors)} attendance line(s) refused")


@dataclass(frozen=True)
class AttendanceLine:
    """One line to record: `inspector` is a user id (API) or a username (import sheets)."""

    inspector: int | str
    passed: bool
    score: int | None = None


@dataclass
class CheckedLine:
    line: AttendanceLine
    inspector: User | None
    existing: Attendance | None
    errors: dict[str, list[str]] = field(default_factory=dict)


def _session_validate(session: TrainingSession) -> None:
    session.full_clean(exclude=["created_by"])
    if session.pk and session.date > timezone.localdate() and session.attendances.exists():
        raise ValidationError(
            {"date": [_("A session with recorded attendance cannot move into the future.")]}
        )


@transaction.atomic
def training_session_create(
    *,
    actor,
    title: str,
    topic: str,
    date: date,
    hours: Decimal,
    trainer_organization: str,
    language: str,
    location: str = "",
) -> TrainingSession:
    """Record a training session (administrators)."""
    session = TrainingSession(
        title=title,
        topic=topic,
        date=date,
        hours=hours,
        trainer_organization=trainer_organization,
        language=language,
        location=location,
        created_by=actor,
    )
    _session_validate(session)
    session.save()
    audit_record(actor=actor, action="create", target=session, details={"topic": topic})
    return session


@transaction.atomic
def training_session_update(
    *, session: TrainingSession, actor, version: int | None, **changes
) -> TrainingSession:
    """Change a session's details, refusing a stale version."""
    unknown = set(changes) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    session.check_version(version)
    fields = [name for name, value in changes.items() if getattr(session, name) != value]
    for name in fields:
        setattr(session, name, changes[name])
    if fields:
        _session_validate(session)
        session.save_versioned(update_fields=fields)
        audit_record(actor=actor, action="update", target=session, details={"fields": fields})
        if "date" in fields or "topic" in fields:
            for attendance in session.attendances.select_related("inspector"):
                inspector_changed(attendance.inspector)
    return session


def attendance_check(*, session: TrainingSession, lines: list[AttendanceLine]) -> list[CheckedLine]:
    """Resolve and validate attendance lines without saving anything."""
    ids = {line.inspector for line in lines if isinstance(line.inspector, int)}
    names = {line.inspector for line in lines if isinstance(line.inspector, str)}
    users = User.objects.filter(pk__in=ids) | User.objects.filter(username__in=names)
    by_id = {user.pk: user for user in users}
    by_name = {user.username: user for user in by_id.values()}
    existing = {a.inspector_id: a for a in session.attendances.filter(inspector__in=by_id)}
    seen: set[int] = set()
    checked = []
    for line in lines:
        errors: dict[str, list[str]] = {}
        if isinstance(line.inspector, int):
            user = by_id.get(line.inspector)
            missing = _("No inspector with id %(id)s.") % {"id": line.inspector}
        else:
            user = by_name.get(line.inspector)
            missing = _("No inspector with username “%(username)s”.") % {"username": line.inspector}
        if user is None:
            errors["inspector"] = [missing]
        elif user.role != User.Role.INSPECTOR:
            errors["inspector"] = [
                _("%(username)s is not a labour inspector.") % {"username": user.username}
            ]
        elif not user.is_active:
            errors["inspector"] = [
                _("The account of %(username)s is deactivated.") % {"username": user.username}
            ]
        elif user.pk in seen:
            errors["inspector"] = [_("This inspector is listed more than once.")]
        if user is not None:
            seen.add(user.pk)
        if line.score is not None and not 0 <= line.score <= 100:
            errors["score"] = [_("Enter a score from 0 to 100.")]
        checked.append(
            CheckedLine(
                line=line,
                inspector=user if "inspector" not in errors else None,
                existing=existing.get(user.pk) if user else None,
                errors=errors,
            )
        )
    return checked


def _session_held(session: TrainingSession) -> None:
    if session.date > timezone.localdate():
        raise WorkflowError(
            gettext_lazy("Attendance can be recorded once the session has taken place."),
            code="session_not_held",
        )


@transaction.atomic
def attendance_record(
    *, session: TrainingSession, actor, lines: list[AttendanceLine]
) -> list[Attendance]:
    """Record (or correct) attendance for a session: every line is saved, or none."""
    # The session row lock serialises two administrators recording the same session.
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    _session_held(session)
    if not lines:
        raise ValidationError(_("Give at least one attendance line."))
    checked = attendance_check(session=session, lines=lines)
    errors = {index: c.errors for index, c in enumerate(checked) if c.errors}
    if errors:
        raise AttendanceInvalid(errors)
    saved = []
    for item in checked:
        attendance = item.existing or Attendance(session=session, inspector=item.inspector)
        attendance.passed = item.line.passed
        attendance.score = item.line.score
        attendance.recorded_by = actor
        if item.existing:
            attendance.save(update_fields=["passed", "score", "recorded_by", "recorded_at"])
        else:
            attendance.save()
        saved.append(attendance)
    audit_record(
        actor=actor,
        action="update",
        target=session,
        details={
            "attendance": [
                {"inspector": a.inspector_id, "passed": a.passed, "score": a.score} for a in saved
            ]
        },
    )
    for attendance in saved:
        inspector_changed(attendance.inspector)
    return saved


@transaction.atomic
def attendance_remove(*, attendance: Attendance, actor) -> None:
    """Remove an attendance recorded by mistake."""
    session = attendance.session
    details = {"removed_attendance": {"inspector": attendance.inspector_id}}
    inspector = attendance.inspector
    attendance.delete()
    audit_record(actor=actor, action="update", target=session, details=details)
    inspector_changed(inspector)


@dataclass
class ImportRow:
    row: int
    username: str
    inspector: User | None
    passed: bool | None
    score: int | None
    update: bool
    errors: list[str]


@dataclass
class ImportResult:
    rows: list[ImportRow]
    file_error: str = ""
    saved: bool = False

    @property
    def errors(self) -> list[str]:
        """Every problem, each prefixed with its row number, in the active language."""
        if self.file_error:
            return [self.file_error]
        return [
            _("Row %(row)s: %(message)s") % {"row": row.row, "message": message}
            for row in self.rows
            for message in row.errors
        ]

    @property
    def ok(self) -> bool:
        return not self.file_error and not any(row.errors for row in self.rows)


def attendance_import(
    *, session: TrainingSession, actor, content: bytes, dry_run: bool
) -> ImportResult:
    """Check an attendance sheet and, unless a dry run or any row is wrong, save every row."""
    try:
        _session_held(session)
        raw_rows = read_attendance_sheet(content)
    except ImportFileError as exc:
        return ImportResult(rows=[], file_error=str(exc.message))
    except WorkflowError as exc:
        return ImportResult(rows=[], file_error=str(exc.detail))
    lines = [
        AttendanceLine(inspector=raw.username, passed=bool(raw.passed), score=raw.score)
        for raw in raw_rows
    ]
    checked = attendance_check(session=session, lines=lines)
    rows = []
    for raw, item in zip(raw_rows, checked, strict=True):
        messages = list(raw.errors)
        if raw.username:
            messages += [m for msgs in item.errors.values() for m in msgs]
        elif "score" in item.errors:
            messages += item.errors["score"]
        rows.append(
            ImportRow(
                row=raw.row,
                username=raw.username,
                inspector=item.inspector,
                passed=raw.passed,
                score=raw.score,
                update=item.existing is not None,
                errors=list(dict.fromkeys(messages)),
            )
        )
    result = ImportResult(rows=rows)
    if dry_run or not result.ok:
        return result
    try:
        attendance_record(session=session, actor=actor, lines=lines)
    except AttendanceInvalid as exc:  # changed between the check and the save
        for index, errors in exc.errors.items():
            rows[index].errors = [m for msgs in errors.values() for m in msgs]
        return result
    except WorkflowError as exc:
        result.file_error = str(exc.detail)
        return result
    audit_record(
        actor=actor,
        action="create",
        target=session,
        details={"import": {"rows": len(rows)}},
    )
    result.saved = True
    return result


def _reminder_send_one(*, inspector: User, certified_until: date) -> bool:
    with transaction.atomic():
        reminder, _created = CertificationReminder.objects.get_or_create(
            inspector=inspector, certified_until=certified_until
        )
        # The lock makes a redelivered task wait here and then find the reminder already sent.
        reminder = CertificationReminder.objects.select_for_update().get(pk=reminder.pk)
        if reminder.sent_at is not None:
            return False
        with translation.override(inspector.language or settings.LANGUAGE_CODE):
            context = {
                "inspector": inspector,
                "certified_until": certified_until,
                "url": absolute_url("training:mine"),
            }
            subject = render_to_string("training/email/certification_reminder_subject.txt", context)
            body = render_to_string("training/email/certification_reminder_body.txt", context)
        send_mail(" ".join(subject.split()), body, None, [inspector.email])
        reminder.sent_at = timezone.now()
        reminder.save(update_fields=["sent_at"])
        audit_record(
            actor=None,
            action="system",
            target=reminder,
            details={"kind": "certification_reminder", "inspector": inspector.pk},
        )
    return True


def certification_reminders_send(*, on: date | None = None) -> int:
    """E-mail each inspector whose certification ends within the reminder window, once."""
    on = on or timezone.localdate()
    sent = 0
    for inspector in selectors.inspectors_due_for_reminder(on=on).exclude(email=""):
        until = certification_expiry(inspector.latest_certifying_date)
        # Each reminder commits on its own, so a failure later in the run keeps earlier ones.
        if _reminder_send_one(inspector=inspector, certified_until=until):
            sent += 1
    logger.info("certification reminders sent: %s", sent)
    return sent
