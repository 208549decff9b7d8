"""Writing the audit log. Services call these; nothing else writes audit entries."""

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .chain import CHAIN_LOCK_KEY, GENESIS_HASH, audit_key, chain_verify, entry_hash, lock_chain
from .context import client_ip
from .models import AuditEntry

__all__ = [
    "CHAIN_LOCK_KEY",
    "GENESIS_HASH",
    "audit_chain_verify",
    "audit_record",
    "audit_record_once",
]


def _target_label(target: models.Model) -> tuple[str, str]:
    return target._meta.label_lower, str(target.pk)


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry: who did `action` to which record, from the current request's address."""
    if target is not None:
        target_type, target_id = _target_label(target)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        actor=actor if authenticated else None,
        actor_username=actor.get_username() if authenticated else "",
        actor_organization_id=getattr(actor, "organization_id", None) if authenticated else None,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        ip_address=client_ip.get(),
        details=details or {},
    )
    with transaction.atomic():
        lock_chain()
        previous = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
        entry.prev_hash = previous or GENESIS_HASH
        entry.at = timezone.now()
        entry.hash = entry_hash(entry, audit_key())
        entry.save()
    return entry


def audit_chain_verify(*, batch_size: int = 5000) -> tuple[int, int | None]:
    """Walk the chain in order: (entries checked, id of the first broken entry or None).
    `apps.audit.chain.chain_verify` also holds it against the checkpoints."""
    report = chain_verify(batch_size=batch_size)
    return report.checked, report.broken_at


def audit_record_once(*, action: str, target_type: str, target_id: str) -> AuditEntry:
    """A system entry written at most once for the same target: safe for redelivered tasks."""
    entry = AuditEntry.objects.filter(
        action=action, target_type=target_type, target_id=target_id, actor__isnull=True
    ).first()
    return entry or audit_record(
        actor=None, action=action, target_type=target_type, target_id=target_id
    )
