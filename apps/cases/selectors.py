"""Reads of cases, always scoped to the user; every read of one case is audited."""

from django.db.models import Q, QuerySet

from apps.audit.services import audit_record
from apps.core.access import get_or_404, is_global_reader

from .models import Case, CaseEvent


def case_list_for_user(user) -> QuerySet[Case]:
    """Cases the user may see: own organisation's; for inspectors also cases they screened;
    everything for administrators and auditors."""
    qs = Case.objects.select_related("person", "organization", "assigned_to")
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    if is_global_reader(user):
        return qs
    if user.organization_id is None:
        return qs.none()
    visible = Q(organization_id=user.organization_id)
    if user.role == "inspector":
        from apps.screening.models import Screening

        visible |= Q(pk__in=Screening.objects.filter(screened_by=user).values("case_id"))
    return qs.filter(visible)


def case_get_for_user(user, *, case_id, audit: bool = True) -> Case:
    """One case the user may see (404 otherwise); the read is written to the audit log."""
    case = get_or_404(case_list_for_user(user), pk=case_id)
    if audit:
        audit_record(actor=user, action="read", target=case)
    return case


def case_events(case: Case) -> QuerySet[CaseEvent]:
    """The case's timeline, newest first."""
    return case.events.select_related("actor").order_by("-at", "-id")
