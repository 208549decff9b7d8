"""Writes on cases. Other apps call case_event_record and case_risk_update."""

from datetime import date
from typing import Any

from django.db import transaction

from apps.audit.services import audit_record

from .models import Case, CaseEvent, VictimStatus


def case_event_record(
    *, case: Case, actor, kind: str, data: dict[str, Any] | None = None
) -> CaseEvent:
    """Add an event to the case's timeline."""
    return CaseEvent.objects.create(case=case, actor=actor, kind=kind, data=data or {})


@transaction.atomic
def case_risk_update(*, case: Case, risk_level: str, victim_status: str | None, actor) -> Case:
    """Apply the latest complete screening's risk level (and victim status) to the case."""
    # Formal identification (or a finding of no victim) outranks any later screening result.
    case = Case.objects.select_for_update().get(pk=case.pk)
    fields = []
    if case.risk_level != risk_level:
        case.risk_level = risk_level
        fields.append("risk_level")
    final = {VictimStatus.IDENTIFIED, VictimStatus.NOT_A_VICTIM}
    if victim_status and case.victim_status not in final and case.victim_status != victim_status:
        case.victim_status = victim_status
        fields.append("victim_status")
    if fields:
        case.save_versioned(update_fields=fields)
        audit_record(actor=actor, action="update", target=case, details={"fields": fields})
    return case


def case_identified_on_set(*, case: Case, on: date) -> None:
    """Record the day of formal identification (kept for the annual report)."""
    Case.objects.filter(pk=case.pk).update(identified_on=on)
