"""Writes on a person's protection status (docs/protection.md).

The status is the person's, not the case's: every case of the person mirrors it in its
`victim_status`, and the removal gate reads it on every case of the same person
(apps/removals/protection.py). It moves only up (reasonable grounds → possible → presumed →
identified) through screenings and recorded grounds; it moves down, to `not_a_victim`, only
through a competent authority's formal identification record.

- Council of Europe Convention on Action against Trafficking in Human Beings, art. 10(2): a
  person with reasonable grounds is not removed until the identification process is completed;
  art. 13(1): a recovery and reflection period of at least 30 days from when grounds arise.
- Kazakhstan, Law No. 110-VIII of 5 July 2024, art. 16-18: identification by a competent
  authority, with its own legal status.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.cases.models import Case, Person, VictimStatus
from apps.cases.services import case_event_record
from apps.core.exceptions import WorkflowError
from apps.tasks.hooks import person_changed

from .checks import MINIMUM_REFLECTION_DAYS
from .models import Identification, ProtectionEvent

FLAGGED_STATUSES = (VictimStatus.POSSIBLE, VictimStatus.PRESUMED, VictimStatus.IDENTIFIED)
# Flagged states never downgrade each other; not_assessed and not_a_victim rank below them.
RANK = {
    VictimStatus.NOT_ASSESSED: 0,
    VictimStatus.NOT_A_VICTIM: 0,
    VictimStatus.POSSIBLE: 1,
    VictimStatus.PRESUMED: 2,
    VictimStatus.IDENTIFIED: 3,
}
GROUNDS_LEVELS = (VictimStatus.POSSIBLE, VictimStatus.PRESUMED)
GROUNDS_ROLES = frozenset({"caseworker", "inspector", "administrator"})
# Organisations whose users act for a competent authority (Law No. 110-VIII art. 16).
AUTHORITY_KINDS = frozenset({"migration_authority", "police", "government"})
MIN_GROUNDS_LENGTH = 20
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# The file's own signature decides its type, never its name or the browser's word for it.
DOCUMENT_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def reflection_days() -> int:
    """The recovery and reflection period: the setting, never below art. 13's 30 days."""
    configured = int(getattr(settings, "CASEMGR_REFLECTION_DAYS", MINIMUM_REFLECTION_DAYS))
    return max(MINIMUM_REFLECTION_DAYS, configured)


def is_flagged(status: str) -> bool:
    return status in FLAGGED_STATUSES


def can_record_identification(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.role == "administrator":
        return True
    organization = getattr(user, "organization", None)
    return (
        user.role != "auditor" and organization is not None and organization.kind in AUTHORITY_KINDS
    )


def can_record_grounds(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in GROUNDS_ROLES


def _mirror_on_cases(person: Person, *, identified_on: datetime.date | None = None) -> None:
    """Every case of the person shows the person's status (each case's version moves; the
    save lets the annual report drop the kept metrics of the years it touches)."""
    for case in Case.objects.select_for_update().filter(person=person):
        fields = []
        if case.victim_status != person.protection_status:
            case.victim_status = person.protection_status
            fields.append("victim_status")
        if identified_on is not None and case.identified_on != identified_on:
            case.identified_on = identified_on
            fields.append("identified_on")
        if fields:
            case.save_versioned(update_fields=fields)


def _change(
    *,
    person: Person,
    case: Case | None,
    to_status: str,
    source: str,
    actor,
    screening=None,
    identification: Identification | None = None,
    grounds: str = "",
) -> ProtectionEvent:
    """Move the (locked) person to `to_status`, with its history, audit and case events."""
    from_status = person.protection_status
    today = timezone.localdate()
    if is_flagged(to_status) and not is_flagged(from_status):
        # Reasonable grounds arise today: the reflection period runs from today (art. 13(1)).
        person.grounds_on = today
        person.reflection_until = today + datetime.timedelta(days=reflection_days())
    elif to_status == VictimStatus.NOT_A_VICTIM:
        # The identification process is complete: the ordinary gate applies again.
        person.reflection_until = None
    person.protection_status = to_status
    person.protection_changed_at = timezone.now()
    person.save_versioned(
        update_fields=[
            "protection_status",
            "grounds_on",
            "reflection_until",
            "protection_changed_at",
        ]
    )
    event = ProtectionEvent.objects.create(
        person=person,
        case=case,
        source=source,
        from_status=from_status,
        to_status=to_status,
        grounds=grounds,
        screening=screening,
        identification=identification,
        reflection_until=person.reflection_until,
        actor=actor,
    )
    identified_on = identification.decided_on if to_status == VictimStatus.IDENTIFIED else None
    _mirror_on_cases(person, identified_on=identified_on)
    audit_record(
        actor=actor,
        action="update",
        target=person,
        details={
            "event": "protection_status",
            "from": from_status,
            "to": to_status,
            "source": source,
            "case": case.pk if case else None,
        },
    )
    for person_case in Case.objects.filter(person=person):
        case_event_record(
            case=person_case,
            actor=actor,
            kind="protection_changed",
            data={
                "from": from_status,
                "to": to_status,
                "source": source,
                "reflection_until": (
                    person.reflection_until.isoformat() if person.reflection_until else None
                ),
            },
        )
    if is_flagged(to_status) and RANK[to_status] > RANK[from_status] and case is not None:
        from apps.removals.services import removals_suspend_for_person

        removals_suspend_for_person(case=case, actor=actor, screening=screening)
    person_changed(person.pk)
    return event


def _lock_person(person_id: int) -> Person:
    return Person.objects.select_for_update().get(pk=person_id)


def _raises(current: str, level: str) -> bool:
    return RANK[level] > RANK[current]


@transaction.atomic
def protection_raise_for_screening(*, screening, actor) -> ProtectionEvent | None:
    """A flagging screening raises the person's status; a screening never lowers it."""
    level = {
        "presumed_victim": VictimStatus.PRESUMED,
        "possible_victim": VictimStatus.POSSIBLE,
    }.get(screening.trafficking)
    if level is None:
        return None
    case = screening.case
    person = _lock_person(case.person_id)
    if not _raises(person.protection_status, level):
        return None
    return _change(
        person=person,
        case=case,
        to_status=level,
        source=ProtectionEvent.Source.SCREENING,
        actor=actor,
        screening=screening,
    )


@transaction.atomic
def protection_grounds_record(*, actor, case: Case, level: str, grounds: str) -> ProtectionEvent:
    """A caseworker or inspector records reasonable grounds, without a screening."""
    if not can_record_grounds(actor):
        raise PermissionDenied(
            _("Only caseworkers, labour inspectors and administrators record reasonable grounds.")
        )
    errors = {}
    if level not in GROUNDS_LEVELS:
        errors["level"] = [_("Choose the level: possible or presumed victim.")]
    grounds = grounds.strip() if isinstance(grounds, str) else ""
    if len(grounds) < MIN_GROUNDS_LENGTH:
        errors["grounds"] = [
            _("Write the reasonable grounds (at least %(count)d characters).")
            % {"count": MIN_GROUNDS_LENGTH}
        ]
    elif len(grounds) > 5000:
        errors["grounds"] = [_("Write the grounds in at most 5000 characters.")]
    if errors:
        raise ValidationError(errors)
    person = _lock_person(case.person_id)
    if not _raises(person.protection_status, level):
        raise WorkflowError(
            _(
                "The person's protection status is already %(status)s: flagged statuses are "
                "never lowered, and only a formal identification changes them further."
            )
            % {"status": person.get_protection_status_display()},
            code="protection_not_raised",
        )
    return _change(
        person=person,
        case=case,
        to_status=level,
        source=ProtectionEvent.Source.GROUNDS,
        actor=actor,
        grounds=grounds,
    )


@transaction.atomic
def protection_after_merge(*, from_person_id: int, to_person_id: int, actor, case: Case):
    """Two person records merged: the record that stays holds the higher flag of the two (a
    flag raised anywhere holds everywhere), and its cases, the moved ones included, mirror it."""
    source, target = _lock_person(from_person_id), _lock_person(to_person_id)
    if is_flagged(source.protection_status) and _raises(
        target.protection_status, source.protection_status
    ):
        return _change(
            person=target,
            case=case,
            to_status=source.protection_status,
            source=ProtectionEvent.Source.MERGE,
            actor=actor,
        )
    _mirror_on_cases(target)
    person_changed(to_person_id)
    return None


def _clean_document(document, errors: dict) -> tuple[bytes, str] | None:
    """The uploaded decision's content and type, checked by its bytes, not its name."""
    if not document:
        return None
    size = getattr(document, "size", 0) or 0
    if size > MAX_DOCUMENT_BYTES:
        errors["document"] = [_("The document is larger than 10 MB.")]
        return None
    content = document.read(MAX_DOCUMENT_BYTES + 1)
    kind = next((k for sig, k in DOCUMENT_SIGNATURES if content.startswith(sig)), "")
    if not kind or len(content) > MAX_DOCUMENT_BYTES:
        errors["document"] = [_("Attach the decision as a PDF, JPEG or PNG file.")]
        return None
    return content, kind


def _store_document(content: bytes) -> str:
    """Keep the decision encrypted, under a random name (the upload's name may name the person).
    Saved before the row: a rollback leaves an unreadable orphan, never a readable file."""
    import secrets

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from apps.core.crypto import encrypt_bytes

    name = default_storage.save(
        f"identifications/{secrets.token_hex(16)}.bin", ContentFile(encrypt_bytes(content))
    )
    return name


@transaction.atomic
def identification_record(
    *,
    actor,
    case: Case,
    authority: str,
    decision_number: str,
    decided_on,
    outcome: str,
    document=None,
) -> Identification:
    """Record a competent authority's formal identification decision about the case's person."""
    if not can_record_identification(actor):
        raise PermissionDenied(
            _(
                "Only administrators and users of a competent authority record formal "
                "identifications."
            )
        )
    errors: dict[str, list[str]] = {}
    authority = authority.strip() if isinstance(authority, str) else ""
    decision_number = decision_number.strip() if isinstance(decision_number, str) else ""
    if not authority:
        errors["authority"] = [_("Name the competent authority that decided.")]
    elif len(authority) > 200:
        errors["authority"] = [_("Write the authority's name in at most 200 characters.")]
    if not decision_number:
        errors["decision_number"] = [_("Give the number of the decision.")]
    elif len(decision_number) > 100:
        errors["decision_number"] = [_("Write the decision number in at most 100 characters.")]
    if not isinstance(decided_on, datetime.date):
        errors["decided_on"] = [_("Give the date as YYYY-MM-DD.")]
    elif decided_on > timezone.localdate():
        errors["decided_on"] = [_("A decision cannot be dated in the future.")]
    if outcome not in Identification.Outcome.values:
        errors["outcome"] = [_("Choose the outcome: identified or not_a_victim.")]
    upload = _clean_document(document, errors)
    if errors:
        raise ValidationError(errors)
    if Identification.objects.filter(
        person_id=case.person_id, authority=authority, decision_number=decision_number
    ).exists():
        raise WorkflowError(
            _("This decision of this authority is already recorded for the person."),
            code="identification_exists",
        )
    person = _lock_person(case.person_id)
    identification = Identification.objects.create(
        person=person,
        case=case,
        authority=authority,
        decision_number=decision_number,
        decided_on=decided_on,
        outcome=outcome,
        document=_store_document(upload[0]) if upload else "",
        document_type=upload[1] if upload else "",
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="create",
        target=identification,
        details={"case": case.pk, "outcome": outcome},
    )
    to_status = (
        VictimStatus.IDENTIFIED
        if outcome == Identification.Outcome.IDENTIFIED
        else VictimStatus.NOT_A_VICTIM
    )
    if person.protection_status != to_status:
        _change(
            person=person,
            case=case,
            to_status=to_status,
            source=ProtectionEvent.Source.IDENTIFICATION,
            actor=actor,
            identification=identification,
        )
    elif to_status == VictimStatus.IDENTIFIED:
        _mirror_on_cases(person, identified_on=decided_on)
    person_changed(person.pk)
    return identification
