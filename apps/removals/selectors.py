"""Reads of removals, always scoped to the user."""

from django.db.models import QuerySet

from apps.audit.services import audit_record
from apps.cases.selectors import case_list_for_user
from apps.core.access import get_or_404

from .models import Removal


def removal_list_for_user(user, *, filters: dict | None = None) -> QuerySet[Removal]:
    """Removals of the cases the user may see, newest first; filters: status, case."""
    qs = Removal.objects.select_related(
        "case", "proposed_by", "decided_by", "screening_at_decision"
    ).filter(case_id__in=case_list_for_user(user).values("pk"))
    filters = filters or {}
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("case"):
        qs = qs.filter(case_id=filters["case"])
    return qs.order_by("-proposed_on", "-id")


def removal_get_for_user(user, *, removal_id, audit: bool = True) -> Removal:
    """One removal the user may see (404 otherwise); the read is audited."""
    removal = get_or_404(removal_list_for_user(user), pk=removal_id)
    if audit:
        audit_record(actor=user, action="read", target=removal)
    return removal


def removals_of_case(case) -> QuerySet[Removal]:
    """Every removal of one case (the caller has already checked access to the case)."""
    return case.removals.select_related("proposed_by", "decided_by").order_by("-proposed_on", "-id")
