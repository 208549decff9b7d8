"""Writes on removals: propose, suspend, decide, override and enforce (docs/removals.md).

The gate obeys the person's protection status (issue 16; apps/protection): no removal is decided
or enforced while the person, on any of their records, is a possible, presumed or identified
victim; only a competent authority's formal `not_a_victim` identification reopens the ordinary
gate (Council of Europe Convention art. 10(2)). A decision needs a complete interview: a
screening with every core question answered, within the validity period. A plain `no_removal`
decision is always allowed. An override takes art. 13(3)'s grounds (public order, victim status
claimed improperly) and a justification.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.cases.models import WITHHOLDING_HOLDERS, Case, IdentityDocument
from apps.cases.services import case_event_record
from apps.cases.stay import EAEU
from apps.core.exceptions import WorkflowError
from apps.core.outbox import outbox_enqueue
from apps.screening.models import Screening
from apps.screening.selectors import latest_valid_screening
from apps.tasks.hooks import case_changed

from .models import IdentityCheck, Removal
from .protection import Protection, person_ids_of_same_person, protection_for

PROPOSE_ROLES = frozenset({"inspector"})
DECIDE_ROLES = frozenset({"inspector", "administrator"})
OVERRIDE_ROLES = frozenset({"administrator"})


def screening_validity_days() -> int:
    return int(getattr(settings, "CASEMGR_SCREENING_VALIDITY_DAYS", 30))


def reflection_days() -> int:
    from apps.protection.services import reflection_days as days

    return days()


MIN_OVERRIDE_JUSTIFICATION = 50


def _ensure_role(actor, roles, message) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.role in roles):
        raise PermissionDenied(message)


def _suspend(
    *,
    removal: Removal,
    screening: Screening | None,
    actor,
    reflection_until: datetime.date | None,
    elsewhere: list[Case] = (),
) -> None:
    # Called inside the caller's transaction, with the removal row locked. `elsewhere`: the
    # flagged cases of the same person that suspend it (protection follows the person). A
    # removal decided but not yet enforced returns to suspended (issue 16 item 4).
    now = timezone.now()
    withdrawn = removal.decision or None
    removal.status = Removal.Status.SUSPENDED
    removal.suspended_at = now
    # The reflection period is the person's, counted from when grounds arose (art. 13(1)).
    removal.reflection_until = reflection_until or (
        timezone.localdate(now) + datetime.timedelta(days=reflection_days())
    )
    removal.protection_elsewhere = bool(elsewhere)
    fields = ["status", "suspended_at", "reflection_until", "protection_elsewhere"]
    if withdrawn:
        removal.decision = ""
        removal.decided_at = None
        removal.decided_by = None
        removal.screening_at_decision = None
        removal.screened_before_decision = None
        removal.overridden = False
        removal.override_grounds = ""
        removal.override_justification = ""
        removal.protected_at_decision = False
        fields += [
            "decision",
            "decided_at",
            "decided_by",
            "screening_at_decision",
            "screened_before_decision",
            "overridden",
            "override_grounds",
            "override_justification",
            "protected_at_decision",
        ]
    removal.save_versioned(update_fields=fields)
    audit_record(
        actor=actor,
        action="update",
        target=removal,
        details={
            "event": "suspended",
            "screening": screening.pk if screening else None,
            "reflection_until": removal.reflection_until.isoformat(),
            "protection_elsewhere": [case.pk for case in elsewhere],
            "decision_withdrawn": withdrawn,
        },
    )
    case_event_record(
        case=removal.case,
        actor=actor,
        kind="removal_suspended",
        data={
            "removal_id": removal.pk,
            "screening_id": screening.pk if screening else None,
            "reflection_until": removal.reflection_until.isoformat(),
            "protection_elsewhere": bool(elsewhere),
            "decision_withdrawn": withdrawn,
        },
    )
    from .tasks import notify_protection_elsewhere, notify_suspension

    removal_id = removal.pk
    # One message per suspension: the removal may be suspended again after a decision.
    suspension = f"{removal_id}:{removal.suspended_at.isoformat()}"
    outbox_enqueue(notify_suspension, removal_id, key=f"{notify_suspension.name}:{suspension}")
    flagged_ids = [case.pk for case in elsewhere]
    if flagged_ids:
        # The flagging organisations' caseworkers learn that a removal of their person was
        # proposed elsewhere, and is suspended; the proposer learns only that a flag exists.
        outbox_enqueue(
            notify_protection_elsewhere,
            removal_id,
            flagged_ids,
            key=f"{notify_protection_elsewhere.name}:{suspension}",
        )


def _ensure_grounds_lawful(case: Case, grounds: str) -> None:
    """Grounds checked against the law (issue 16 item 5)."""
    if grounds == Removal.Grounds.ILLEGAL_EMPLOYMENT and case.person.citizenship in EAEU:
        # EAEU Treaty (29 May 2014) art. 97(1): member states' citizens work without a permit.
        raise ValidationError(
            {
                "grounds": [
                    _(
                        "Citizens of EAEU member states (Armenia, Belarus, Kazakhstan, Kyrgyzstan, "
                        "Russia) need no work permit (EAEU Treaty art. 97): illegal employment is "
                        "not grounds for their removal."
                    )
                ]
            }
        )
    if (
        grounds == Removal.Grounds.DOCUMENT_VIOLATION
        and documents_withheld(case)
        and latest_valid_screening(case) is None
    ):
        raise WorkflowError(
            _(
                "The case records the person's documents as held by an employer, recruiter "
                "or intermediary: an indicator of forced labour. Screen the person before "
                "proposing removal for a document violation."
            ),
            code="screening_required",
        )


def documents_withheld(case: Case) -> bool:
    return IdentityDocument.objects.filter(case=case, held_by__in=WITHHOLDING_HOLDERS).exists()


@transaction.atomic
def removal_propose(
    *, actor, case: Case, grounds: str, proposed_on: datetime.date | None = None
) -> Removal:
    """Record a proposed removal; it is suspended at once when the person is already flagged."""
    _ensure_role(actor, PROPOSE_ROLES, _("Only labour inspectors propose removals."))
    errors = {}
    if grounds not in Removal.Grounds.values:
        errors["grounds"] = [
            _("Choose the grounds: %(choices)s.") % {"choices": ", ".join(Removal.Grounds.values)}
        ]
    today = timezone.localdate()
    proposed_on = proposed_on or today
    if not isinstance(proposed_on, datetime.date):
        errors["proposed_on"] = [_("Give the date as YYYY-MM-DD.")]
    elif proposed_on > today:
        errors["proposed_on"] = [_("A removal cannot be proposed on a future date.")]
    if errors:
        raise ValidationError(errors)
    if case.status != Case.Status.OPEN:
        raise WorkflowError(_("This case is closed."), code="case_closed")
    _ensure_grounds_lawful(case, grounds)
    removal = Removal.objects.create(
        case=case, grounds=grounds, proposed_on=proposed_on, proposed_by=actor
    )
    audit_record(
        actor=actor, action="create", target=removal, details={"case": case.pk, "grounds": grounds}
    )
    case_event_record(
        case=case,
        actor=actor,
        kind="removal_proposed",
        data={"removal_id": removal.pk, "grounds": grounds},
    )
    protection = protection_for(case)
    if protection.blocked:
        _suspend(
            removal=removal,
            screening=None,
            actor=actor,
            reflection_until=protection.reflection_until,
            elsewhere=protection.cases if protection.elsewhere else [],
        )
    case_changed(removal.case)
    return removal


def removals_suspend_for_person(*, case: Case, actor, screening: Screening | None = None):
    """The case's person was just flagged (or raised): suspend every pending removal, and every
    removal decided but not yet enforced, of every case of the same person in any organisation
    (caller's transaction; apps.protection.services)."""
    person_ids = person_ids_of_same_person(case)
    protection = protection_for(case)
    removals = (
        Removal.objects.select_for_update()
        .filter(case__person_id__in=list(person_ids))
        .filter(
            Q(status=Removal.Status.PENDING)
            | Q(status=Removal.Status.DECIDED_REMOVE, enforced_at__isnull=True)
        )
        .select_related("case")
    )
    suspended = []
    for removal in removals:
        elsewhere = [] if removal.case.person_id == case.person_id else [case]
        _suspend(
            removal=removal,
            screening=screening if removal.case_id == case.pk else None,
            actor=actor,
            reflection_until=protection.reflection_until,
            elsewhere=elsewhere,
        )
        suspended.append(removal)
    case_changed(case)
    return suspended


def checked_persons(case: Case) -> list[int]:
    return list(IdentityCheck.objects.filter(case=case).values_list("other_person_id", flat=True))


def _protection_error(removal: Removal, protection: Protection) -> WorkflowError:
    here = protection.here
    if here is not None and removal.status == Removal.Status.SUSPENDED:
        return _suspended_error(removal)
    if here is not None:
        return WorkflowError(
            _(
                "The person's protection status is %(status)s: no removal is decided or "
                "enforced until a competent authority formally decides that they are not a "
                "victim. Refer the person to services."
            )
            % {"status": here.get_protection_status_display()},
            code="protection_status",
        )
    return WorkflowError(
        _(
            "This person carries a protection flag in another case, possibly in another "
            "organisation: the removal cannot be decided until a competent authority "
            "formally decides. Ask an administrator for the details."
        ),
        code="protection_elsewhere",
    )


def _ensure_not_protected(removal: Removal) -> Protection:
    protection = protection_for(removal.case, checked=checked_persons(removal.case))
    if protection.blocked:
        raise _protection_error(removal, protection)
    if protection.unchecked:
        raise WorkflowError(
            _(
                "A flagged person known elsewhere may be this person. Record that you checked "
                "and why they are not the same person before deciding."
            ),
            code="identity_check_required",
        )
    return protection


IDENTITY_CHECK_ROLES = DECIDE_ROLES


@transaction.atomic
def identity_check_record(*, actor, removal: Removal, reason: str) -> list[IdentityCheck]:
    """Record "checked, not the same person" for every flagged review-band match of the case."""
    _ensure_role(
        actor,
        IDENTITY_CHECK_ROLES,
        _("Only labour inspectors and administrators record identity checks."),
    )
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if len(reason) < 20:
        raise ValidationError(
            {
                "reason": [
                    _(
                        "Write how you checked that they are not the same person (at least 20 characters)."
                    )
                ]
            }
        )
    removal = _lock(removal)
    _ensure_undecided(removal)
    protection = protection_for(removal.case, checked=checked_persons(removal.case))
    if not protection.unchecked:
        raise WorkflowError(
            _("No possible match with a flagged person needs a check for this removal."),
            code="no_identity_check_needed",
        )
    checks = [
        IdentityCheck.objects.create(
            case=removal.case,
            other_person_id=person_id,
            removal=removal,
            score=score,
            reason=reason,
            checked_by=actor,
        )
        for person_id, score in protection.unchecked.items()
    ]
    audit_record(
        actor=actor,
        action="decide",
        target=removal,
        details={"identity_check": [check.pk for check in checks], "not_same_person": True},
    )
    case_event_record(
        case=removal.case,
        actor=actor,
        kind="identity_checked",
        data={"removal_id": removal.pk, "checks": len(checks)},
    )
    case_changed(removal.case)
    return checks


def _lock(removal: Removal) -> Removal:
    return Removal.objects.select_for_update().select_related("case").get(pk=removal.pk)


def _ensure_undecided(removal: Removal) -> None:
    if removal.is_decided:
        raise WorkflowError(
            _("This removal was already decided (%(status)s).")
            % {"status": removal.get_status_display()},
            code="already_decided",
        )


def _suspended_error(removal: Removal) -> WorkflowError:
    if removal.reflection_until is None:
        return WorkflowError(
            _(
                "This removal is suspended: the person is flagged as a possible, presumed or "
                "identified victim. Refer the person to services. Only a formal identification "
                "of not a victim, or an administrator's override, lets it be decided."
            ),
            code="removal_suspended",
        )
    until = formats.date_format(removal.reflection_until, "DATE_FORMAT")
    return WorkflowError(
        _(
            "This removal is suspended: the person is flagged as a possible, presumed or "
            "identified victim. The reflection period runs until %(date)s; refer the person to "
            "services. Only a formal identification of not a victim, or an administrator's "
            "override, lets it be decided."
        )
        % {"date": until},
        code="removal_suspended",
    )


def _decision_fields(removal: Removal, *, decision: str, actor, now) -> list[str]:
    latest = latest_valid_screening(removal.case)
    removal.decision = decision
    removal.status = (
        Removal.Status.DECIDED_REMOVE
        if decision == Removal.Decision.REMOVE
        else Removal.Status.DECIDED_NO_REMOVAL
    )
    removal.decided_at = now
    removal.decided_by = actor
    removal.screening_at_decision = latest
    removal.screened_before_decision = bool(
        latest and latest.completed_at >= now - datetime.timedelta(days=screening_validity_days())
    )
    return [
        "decision",
        "status",
        "decided_at",
        "decided_by",
        "screening_at_decision",
        "screened_before_decision",
    ]


def _clean_decision(decision) -> None:
    if decision not in Removal.Decision.values:
        raise ValidationError({"decision": [_("Choose the decision: remove or no_removal.")]})


def _ensure_screened(removal: Removal, *, now) -> Screening:
    """Only a complete interview counts (issue 16 item 3): every core question answered, within
    the validity period."""
    latest = latest_valid_screening(removal.case)
    if latest is None:
        raise WorkflowError(
            _(
                "Screen the person before deciding: this case has no complete screening with "
                "every core question answered."
            ),
            code="screening_required",
        )
    if latest.completed_at < now - datetime.timedelta(days=screening_validity_days()):
        raise WorkflowError(
            _(
                "Screen the person again before deciding: the latest screening was completed "
                "more than %(days)d days ago."
            )
            % {"days": screening_validity_days()},
            code="screening_required",
        )
    return latest


@transaction.atomic
def removal_decide(
    *, actor, removal: Removal, decision: str, version: int | None = None
) -> Removal:
    """Decide a removal; refused without a recent screening or while the person is flagged."""
    _ensure_role(
        actor, DECIDE_ROLES, _("Only labour inspectors and administrators decide removals.")
    )
    _clean_decision(decision)
    removal = _lock(removal)
    removal.check_version(version)
    _ensure_undecided(removal)
    now = timezone.now()
    if decision == Removal.Decision.REMOVE:
        # A plain no_removal is always allowed; a removal obeys the person's status first.
        _ensure_not_protected(removal)
        _ensure_screened(removal, now=now)
    fields = _decision_fields(removal, decision=decision, actor=actor, now=now)
    removal.save_versioned(update_fields=fields)
    audit_record(actor=actor, action="decide", target=removal, details={"decision": decision})
    case_event_record(
        case=removal.case,
        actor=actor,
        kind="removal_decided",
        data={"removal_id": removal.pk, "decision": decision},
    )
    case_changed(removal.case)
    return removal


@transaction.atomic
def removal_override(
    *,
    actor,
    removal: Removal,
    decision: str,
    justification: str,
    grounds: str = "",
    version: int | None = None,
) -> Removal:
    """An administrator decides to remove a flagged person, on art. 13(3)'s grounds (public
    order, victim status claimed improperly) with a written justification; reported apart."""
    _ensure_role(actor, OVERRIDE_ROLES, _("Only administrators may override a suspension."))
    errors = {}
    if decision not in Removal.Decision.values:
        errors["decision"] = [_("Choose the decision: remove or no_removal.")]
    if grounds not in Removal.OverrideGrounds.values:
        errors["grounds"] = [
            _("Choose the grounds of the override: %(choices)s.")
            % {"choices": ", ".join(Removal.OverrideGrounds.values)}
        ]
    justification = (justification or "").strip() if isinstance(justification, str) else ""
    if len(justification) < MIN_OVERRIDE_JUSTIFICATION:
        errors["justification"] = [
            _("Write the justification for the override (at least %(count)d characters).")
            % {"count": MIN_OVERRIDE_JUSTIFICATION}
        ]
    if errors:
        raise ValidationError(errors)
    if decision == Removal.Decision.NO_REMOVAL:
        raise WorkflowError(
            _("A decision of no removal needs no override: decide it directly."),
            code="override_not_needed",
        )
    removal = _lock(removal)
    removal.check_version(version)
    _ensure_undecided(removal)
    protection = protection_for(removal.case, checked=checked_persons(removal.case))
    if not protection.blocked:
        raise WorkflowError(
            _("The person is not flagged: this removal needs no override; decide it normally."),
            code="not_suspended",
        )
    now = timezone.now()
    _ensure_screened(removal, now=now)
    fields = _decision_fields(removal, decision=decision, actor=actor, now=now)
    removal.overridden = True
    removal.override_grounds = grounds
    removal.override_justification = justification
    removal.protected_at_decision = True
    removal.save_versioned(
        update_fields=[
            *fields,
            "overridden",
            "override_grounds",
            "override_justification",
            "protected_at_decision",
        ]
    )
    # The justification stays on the removal: free text may name the person (not audited).
    audit_record(
        actor=actor,
        action="decide",
        target=removal,
        details={"decision": decision, "override": True, "grounds": grounds},
    )
    case_event_record(
        case=removal.case,
        actor=actor,
        kind="removal_overridden",
        data={"removal_id": removal.pk, "decision": decision, "grounds": grounds},
    )
    case_changed(removal.case)
    return removal


ENFORCE_ROLES = DECIDE_ROLES


@transaction.atomic
def removal_enforce(*, actor, removal: Removal, version: int | None = None) -> Removal:
    """Record that a decided removal was carried out; refused while the person is flagged,
    unless an override decided it after the latest change of the person's status."""
    _ensure_role(
        actor, ENFORCE_ROLES, _("Only labour inspectors and administrators record enforcement.")
    )
    removal = _lock(removal)
    removal.check_version(version)
    if removal.enforced_at is not None:
        raise WorkflowError(_("This removal was already enforced."), code="already_enforced")
    if removal.status != Removal.Status.DECIDED_REMOVE:
        raise WorkflowError(
            _("Only a removal decided as remove can be enforced."), code="not_decided_remove"
        )
    protection = protection_for(removal.case, checked=checked_persons(removal.case))
    if protection.blocked:
        changed = protection.changed_at
        covered = removal.overridden and (changed is None or changed <= removal.decided_at)
        if not covered:
            raise _protection_error(removal, protection)
    removal.enforced_at = timezone.now()
    removal.enforced_by = actor
    removal.save_versioned(update_fields=["enforced_at", "enforced_by"])
    audit_record(actor=actor, action="update", target=removal, details={"event": "enforced"})
    case_event_record(
        case=removal.case, actor=actor, kind="removal_enforced", data={"removal_id": removal.pk}
    )
    case_changed(removal.case)
    return removal
