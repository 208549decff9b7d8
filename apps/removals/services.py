"""Writes on removals: propose, suspend, decide and override, gated by the latest screening."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.cases.models import Case
from apps.cases.services import case_event_record
from apps.core.exceptions import WorkflowError
from apps.screening.models import Screening
from apps.screening.selectors import latest_complete_screening

from .models import IdentityCheck, Removal
from .protection import cases_of_same_person, protection_for

PROPOSE_ROLES = frozenset({"inspector"})
DECIDE_ROLES = frozenset({"inspector", "administrator"})
OVERRIDE_ROLES = frozenset({"administrator"})


def screening_validity_days() -> int:
    return int(getattr(settings, "CASEMGR_SCREENING_VALIDITY_DAYS", 30))


def reflection_days() -> int:
    return int(getattr(settings, "CASEMGR_REFLECTION_DAYS", 30))


def _ensure_role(actor, roles, message) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.role in roles):
        raise PermissionDenied(message)


def _suspend(
    *, removal: Removal, screening: Screening | None, actor, elsewhere: list[Case] = ()
) -> None:
    # Called inside the caller's transaction, with the removal row locked. `elsewhere`: the
    # flagged cases of the same person that suspend it (protection follows the person).
    now = timezone.now()
    removal.status = Removal.Status.SUSPENDED
    removal.suspended_at = now
    removal.reflection_until = timezone.localdate(now) + datetime.timedelta(days=reflection_days())
    removal.protection_elsewhere = bool(elsewhere)
    removal.save_versioned(
        update_fields=["status", "suspended_at", "reflection_until", "protection_elsewhere"]
    )
    audit_record(
        actor=actor,
        action="update",
        target=removal,
        details={
            "event": "suspended",
            "screening": screening.pk if screening else None,
            "reflection_until": removal.reflection_until.isoformat(),
            "protection_elsewhere": [case.pk for case in elsewhere],
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
        },
    )
    from .tasks import notify_protection_elsewhere, notify_suspension

    removal_id = removal.pk
    transaction.on_commit(lambda: notify_suspension.delay(removal_id))
    flagged_ids = [case.pk for case in elsewhere]
    if flagged_ids:
        # The flagging organisations' caseworkers learn that a removal of their person was
        # proposed elsewhere, and is suspended; the proposer learns only that a flag exists.
        transaction.on_commit(lambda: notify_protection_elsewhere.delay(removal_id, flagged_ids))


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
    latest = latest_complete_screening(case)
    if latest is not None and latest.flagged:
        _suspend(removal=removal, screening=latest, actor=actor)
    else:
        protection = protection_for(case)
        if protection.elsewhere:
            _suspend(removal=removal, screening=None, actor=actor, elsewhere=protection.cases)
    return removal


def removals_suspend_for_screening(*, screening: Screening, actor) -> list[Removal]:
    """Suspend every pending removal of the person of a flagging screening: of the case, and of
    every case of the same person in any organisation (caller's transaction)."""
    suspended = []
    pending = Removal.objects.select_for_update().filter(
        case_id=screening.case_id, status=Removal.Status.PENDING
    )
    for removal in pending.select_related("case"):
        _suspend(removal=removal, screening=screening, actor=actor)
        suspended.append(removal)
    others = cases_of_same_person(screening.case)
    elsewhere = Removal.objects.select_for_update().filter(
        case__in=others, status=Removal.Status.PENDING
    )
    for removal in elsewhere.select_related("case"):
        _suspend(removal=removal, screening=None, actor=actor, elsewhere=[screening.case])
        suspended.append(removal)
    return suspended


def checked_persons(case: Case) -> list[int]:
    return list(IdentityCheck.objects.filter(case=case).values_list("other_person_id", flat=True))


def _ensure_no_protection_elsewhere(removal: Removal) -> None:
    protection = protection_for(removal.case, checked=checked_persons(removal.case))
    if protection.elsewhere:
        raise WorkflowError(
            _(
                "This person carries a protection flag in another case, possibly in another "
                "organisation: the removal cannot be decided until a competent authority "
                "formally decides. Ask an administrator for the details."
            ),
            code="protection_elsewhere",
        )
    if protection.unchecked:
        raise WorkflowError(
            _(
                "A flagged person known elsewhere may be this person. Record that you checked "
                "and why they are not the same person before deciding."
            ),
            code="identity_check_required",
        )


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
                "This removal is suspended: the latest screening flags the person as a possible "
                "or presumed victim. Refer the person to services. Only an administrator may "
                "decide it, with a written justification."
            ),
            code="removal_suspended",
        )
    until = formats.date_format(removal.reflection_until, "DATE_FORMAT")
    return WorkflowError(
        _(
            "This removal is suspended: the latest screening flags the person as a possible or "
            "presumed victim. The reflection period runs until %(date)s; refer the person to "
            "services. Only an administrator may decide it, with a written justification."
        )
        % {"date": until},
        code="removal_suspended",
    )


def _decision_fields(removal: Removal, *, decision: str, actor, now) -> list[str]:
    latest = latest_complete_screening(removal.case)
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
    if decision == Removal.Decision.REMOVE:
        _ensure_no_protection_elsewhere(removal)
    latest = latest_complete_screening(removal.case)
    if latest is None:
        raise WorkflowError(
            _("Screen the person before deciding: this case has no complete screening."),
            code="screening_required",
        )
    if latest.flagged:
        # Flagged people are routed to services, not removed (screening.md): the removal stays
        # suspended even after the reflection period, until an administrator overrides.
        raise _suspended_error(removal)
    today = timezone.localdate()
    if removal.status == Removal.Status.SUSPENDED and removal.reflection_until > today:
        # A later negative screening does not cut the reflection period short.
        raise _suspended_error(removal)
    now = timezone.now()
    if latest.completed_at < now - datetime.timedelta(days=screening_validity_days()):
        raise WorkflowError(
            _(
                "Screen the person again before deciding: the latest screening was completed "
                "more than %(days)d days ago."
            )
            % {"days": screening_validity_days()},
            code="screening_required",
        )
    fields = _decision_fields(removal, decision=decision, actor=actor, now=now)
    removal.save_versioned(update_fields=fields)
    audit_record(actor=actor, action="decide", target=removal, details={"decision": decision})
    case_event_record(
        case=removal.case,
        actor=actor,
        kind="removal_decided",
        data={"removal_id": removal.pk, "decision": decision},
    )
    return removal


@transaction.atomic
def removal_override(
    *,
    actor,
    removal: Removal,
    decision: str,
    justification: str,
    version: int | None = None,
) -> Removal:
    """An administrator decides a suspended removal, with a written justification."""
    _ensure_role(actor, OVERRIDE_ROLES, _("Only administrators may override a suspension."))
    errors = {}
    if decision not in Removal.Decision.values:
        errors["decision"] = [_("Choose the decision: remove or no_removal.")]
    justification = (justification or "").strip() if isinstance(justification, str) else ""
    if len(justification) < 20:
        errors["justification"] = [
            _("Write the justification for the override (at least 20 characters).")
        ]
    if errors:
        raise ValidationError(errors)
    removal = _lock(removal)
    removal.check_version(version)
    _ensure_undecided(removal)
    if removal.status != Removal.Status.SUSPENDED:
        raise WorkflowError(
            _("Only a suspended removal needs an override; decide this one normally."),
            code="not_suspended",
        )
    now = timezone.now()
    fields = _decision_fields(removal, decision=decision, actor=actor, now=now)
    removal.overridden = True
    removal.override_justification = justification
    removal.save_versioned(update_fields=[*fields, "overridden", "override_justification"])
    audit_record(
        actor=actor,
        action="decide",
        target=removal,
        details={"decision": decision, "override": True, "justification": justification},
    )
    case_event_record(
        case=removal.case,
        actor=actor,
        kind="removal_overridden",
        data={"removal_id": removal.pk, "decision": decision},
    )
    return removal
