"""Reads of the training log, scoped to the user; certification status computed in the database."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.accounts.models import User
from apps.core.access import get_or_404, has_role, is_global_reader

from .certification import (
    QUALIFYING_TOPICS,
    certification_expiry,
    earliest_qualifying_date,
    is_certified,
    reminder_days,
)
from .models import Attendance, TrainingSession

INSPECTOR = User.Role.INSPECTOR
READ_ROLES = ("administrator", "auditor", "inspector")


def _as_date(on: date | datetime | None) -> date:
    if on is None:
        return timezone.localdate()
    if isinstance(on, datetime):
        # A screening's completion time: the day it was in casemgr's time zone.
        return timezone.localdate(on) if timezone.is_aware(on) else on.date()
    return on


def _certifying(on: date) -> QuerySet[Attendance]:
    """Passed attendances at qualifying sessions held on or before `on`."""
    return Attendance.objects.filter(
        passed=True, session__topic__in=QUALIFYING_TOPICS, session__date__lte=on
    )


def _latest_certifying_date(on: date) -> Subquery:
    return Subquery(
        _certifying(on)
        .filter(inspector=OuterRef("pk"))
        .order_by("-session__date")
        .values("session__date")[:1]
    )


def _certified_on(on: date) -> Exists:
    """True for an inspector holding a valid certification on `on` (for filters and counts)."""
    return Exists(
        _certifying(on).filter(
            inspector=OuterRef("pk"), session__date__gte=earliest_qualifying_date(on)
        )
    )


def _active_inspectors() -> QuerySet[User]:
    return User.objects.filter(role=INSPECTOR, is_active=True)


def can_read_training(user) -> bool:
    """Administrators, auditors and inspectors use the training log; caseworkers do not."""
    return has_role(user, READ_ROLES)


def can_manage_training(user) -> bool:
    """Only administrators record sessions, attendance and imports."""
    return has_role(user, ["administrator"])


def inspector_certified_on(*, user, on: date | datetime) -> bool:
    """Whether `user` held a valid certification on the day `on` (a date or aware datetime)."""
    day = _as_date(on)
    latest = _certifying(day).filter(inspector=user).order_by("-session__date").first()
    return latest is not None and is_certified(latest.session.date, day)


def certified_until(user, on_date: date | datetime | None = None) -> date | None:
    """Expiry of the user's latest certification earned by `on_date` (today); may be past."""
    day = _as_date(on_date)
    latest = (
        _certifying(day)
        .filter(inspector=user)
        .order_by("-session__date")
        .values_list("session__date", flat=True)
        .first()
    )
    return certification_expiry(latest) if latest else None


def inspectors_trained_count(*, at: date, region: str | None = None) -> tuple[int, int]:
    """(trained, active) inspectors on `at`, optionally in one region, in one query."""
    active = _active_inspectors().filter(date_joined__date__lte=at)
    if region:
        active = active.filter(organization__region=region)
    totals = active.aggregate(active=Count("pk"), trained=Count("pk", filter=Q(_certified_on(at))))
    return totals["trained"], totals["active"]


def inspector_list_for_user(
    user, *, filters: dict | None = None, on: date | None = None
) -> QuerySet[User]:
    """Active inspectors the user may see, annotated with certification and attendance.

    Administrators and auditors see every inspector; an inspector sees the inspectors of their
    own organisation (no manager role exists, and the inspectorate plans renewals together);
    caseworkers see nobody.
    """
    on = on or timezone.localdate()
    qs = _active_inspectors()
    if not can_read_training(user):
        return qs.none()
    if not is_global_reader(user):
        if user.organization_id is None:
            return qs.none()
        qs = qs.filter(organization_id=user.organization_id)
    attended = Attendance.objects.filter(inspector=OuterRef("pk")).values("inspector")
    qs = qs.select_related("organization").annotate(
        latest_certifying_date=_latest_certifying_date(on),
        is_trained=_certified_on(on),
        sessions_attended=Coalesce(
            Subquery(attended.annotate(n=Count("pk")).values("n")[:1]),
            Value(0),
            output_field=IntegerField(),
        ),
        training_hours=Coalesce(
            Subquery(attended.annotate(h=Sum("session__hours")).values("h")[:1]),
            Value(0),
            output_field=DecimalField(max_digits=8, decimal_places=1),
        ),
    )
    filters = filters or {}
    if filters.get("trained") is not None and filters.get("trained") != "":
        qs = qs.filter(is_trained=bool(filters["trained"]))
    if filters.get("organization"):
        qs = qs.filter(
            organization_id=getattr(filters["organization"], "pk", filters["organization"])
        )
    if filters.get("region"):
        qs = qs.filter(organization__region=filters["region"])
    if filters.get("q"):
        term = filters["q"]
        qs = qs.filter(
            Q(username__icontains=term)
            | Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
        )
    return qs.order_by("last_name", "first_name", "username")


def with_certification(inspectors: Iterable[User], *, on: date | None = None) -> list[User]:
    """Set `certified_until` and `trained` on annotated inspectors (no further queries)."""
    on = on or timezone.localdate()
    result = []
    for inspector in inspectors:
        latest = getattr(inspector, "latest_certifying_date", None)
        inspector.certified_until = certification_expiry(latest) if latest else None
        inspector.trained = is_certified(latest, on)
        inspector.due_soon = bool(
            inspector.trained and inspector.certified_until <= on + timedelta(days=reminder_days())
        )
        result.append(inspector)
    return result


def inspectors_due_for_renewal(user, *, on: date | None = None) -> QuerySet[User]:
    """Certified inspectors whose certification ends within the reminder window, soonest first."""
    on = on or timezone.localdate()
    horizon = on + timedelta(days=reminder_days() + 1)
    # Certified today but no longer on the day after the window: expires within the window.
    return (
        inspector_list_for_user(user, on=on)
        .filter(is_trained=True)
        .exclude(_certified_on(horizon))
        .order_by("latest_certifying_date", "last_name", "username")
    )


def inspectors_due_for_reminder(*, on: date | None = None) -> QuerySet[User]:
    """System read for the reminder task: every inspector whose certification ends soon."""
    on = on or timezone.localdate()
    horizon = on + timedelta(days=reminder_days() + 1)
    return (
        _active_inspectors()
        .filter(_certified_on(on))
        .exclude(_certified_on(horizon))
        .annotate(latest_certifying_date=_latest_certifying_date(on))
    )


def session_list_for_user(user, *, filters: dict | None = None) -> QuerySet[TrainingSession]:
    """Sessions: all for administrators and auditors; those attended, for an inspector."""
    qs = TrainingSession.objects.all()
    if not can_read_training(user):
        return qs.none()
    if not is_global_reader(user):
        # A subquery, not a join: a join would also narrow the participant counts below.
        qs = qs.filter(pk__in=Attendance.objects.filter(inspector=user).values("session_id"))
    filters = filters or {}
    if filters.get("topic"):
        qs = qs.filter(topic=filters["topic"])
    if filters.get("year"):
        qs = qs.filter(date__year=filters["year"])
    if filters.get("q"):
        qs = qs.filter(Q(title__icontains=filters["q"]) | Q(location__icontains=filters["q"]))
    return qs.annotate(
        participants=Count("attendances", distinct=True),
        passed_count=Count("attendances", filter=Q(attendances__passed=True), distinct=True),
    ).order_by("-date", "-id")


def session_get_for_user(user, *, session_id) -> TrainingSession:
    """One session the user may see; 404 otherwise."""
    return get_or_404(session_list_for_user(user), pk=session_id)


def attendance_for_session(user, *, session: TrainingSession) -> QuerySet[Attendance]:
    """The session's attendance list: everyone's for global readers, an inspector's own row."""
    qs = session.attendances.select_related("inspector__organization")
    if is_global_reader(user):
        return qs
    if has_role(user, ["inspector"]):
        return qs.filter(inspector=user)
    return qs.none()


def attendance_of_inspector(user) -> QuerySet[Attendance]:
    """The signed-in inspector's own attendance record, newest session first."""
    return (
        Attendance.objects.filter(inspector=user)
        .select_related("session")
        .order_by("-session__date", "-session_id")
    )


def inspector_choices_for_session(session: TrainingSession) -> QuerySet[User]:
    """Active inspectors not yet recorded at the session (for the attendance form)."""
    return (
        _active_inspectors()
        .exclude(training_attendances__session=session)
        .select_related("organization")
        .order_by("last_name", "first_name", "username")
    )
