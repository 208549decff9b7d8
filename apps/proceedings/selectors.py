"""Reads of criminal proceedings, always scoped to the user."""

from django.db.models import Prefetch, Q, QuerySet

from apps.audit.services import audit_record
from apps.cases.models import Case
from apps.cases.selectors import case_list_for_user
from apps.core.access import get_or_404, is_global_reader

from .models import Proceeding


def proceeding_list_for_user(user, *, filters: dict | None = None) -> QuerySet[Proceeding]:
    """Proceedings the user may see: own organisation's and those linked to a case the user
    may see; everything for administrators and auditors."""
    qs = Proceeding.objects.select_related("organization").prefetch_related(
        Prefetch("cases", queryset=Case.objects.only("id", "reference").order_by("id"))
    )
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    if not is_global_reader(user):
        if user.organization_id is None:
            return qs.none()
        visible_cases = case_list_for_user(user).values("pk")
        linked = Proceeding.cases.through.objects.filter(case_id__in=visible_cases).values(
            "proceeding_id"
        )
        # A subquery rather than a join, so that a proceeding with several visible cases is
        # listed once and the list needs no DISTINCT.
        qs = qs.filter(Q(organization_id=user.organization_id) | Q(pk__in=linked))
    filters = filters or {}
    if filters.get("exploitation"):
        qs = qs.filter(exploitation=filters["exploitation"])
    if filters.get("official_complicity") is not None:
        qs = qs.filter(official_complicity=filters["official_complicity"])
    if filters.get("case"):
        # Only a case the user may see filters anything: another's answers like a missing one,
        # and tells nothing of which proceedings it is in.
        case = case_list_for_user(user).filter(pk=filters["case"]).values("pk")
        qs = qs.filter(
            pk__in=Proceeding.cases.through.objects.filter(case_id__in=case).values("proceeding_id")
        )
    if filters.get("year"):
        qs = qs.filter(opened_on__year=filters["year"])
    return qs.order_by("-opened_on", "-id")


def proceeding_get_for_user(user, *, proceeding_id, audit: bool = True) -> Proceeding:
    """One proceeding the user may see (404 otherwise); the read is written to the audit log."""
    proceeding = get_or_404(proceeding_list_for_user(user), pk=proceeding_id)
    if audit:
        audit_record(actor=user, action="read", target=proceeding)
    return proceeding


def proceeding_case_ids_for_user(user, proceedings) -> dict[int, list[int]]:
    """The ids of each proceeding's cases that the user may see, by proceeding: a proceeding
    seen through one case (or through the organisation) does not name the others."""
    linked = {p.pk: [case.pk for case in p.cases.all()] for p in proceedings}
    if is_global_reader(user):
        return linked
    ids = {pk for pks in linked.values() for pk in pks}
    visible = set(case_list_for_user(user).filter(pk__in=ids).values_list("pk", flat=True))
    return {pk: [c for c in pks if c in visible] for pk, pks in linked.items()}


def proceeding_can_edit(user, proceeding: Proceeding) -> bool:
    """Administrators edit every proceeding; caseworkers and inspectors their organisation's."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.role == "administrator":
        return True
    return (
        user.role in {"caseworker", "inspector"}
        and proceeding.organization_id is not None
        and proceeding.organization_id == user.organization_id
    )


def proceedings_for_case(case) -> QuerySet[Proceeding]:
    """Proceedings linked to a case the caller already may see (the case page's panel)."""
    return case.proceedings.order_by("-opened_on", "-id")
