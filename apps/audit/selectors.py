"""Reads of the audit log: administrators and auditors only."""

from django.db.models import QuerySet

from apps.core.access import is_global_reader

from .models import AuditEntry


def audit_list_for_user(user, *, filters: dict | None = None) -> QuerySet[AuditEntry]:
    """The audit log, newest first, for administrators and auditors; nothing for anyone else."""
    if not is_global_reader(user):
        return AuditEntry.objects.none()
    qs = AuditEntry.objects.all()
    filters = filters or {}
    if filters.get("actor"):
        qs = qs.filter(actor_username=filters["actor"])
    if filters.get("action"):
        qs = qs.filter(action=filters["action"])
    if filters.get("target_type"):
        qs = qs.filter(target_type=filters["target_type"])
    if filters.get("target_id"):
        qs = qs.filter(target_id=filters["target_id"])
    if filters.get("since"):
        qs = qs.filter(at__date__gte=filters["since"])
    if filters.get("until"):
        qs = qs.filter(at__date__lte=filters["until"])
    return qs.order_by("-at", "-id")
