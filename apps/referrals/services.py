"""Writes on services and referrals: the directory, the referral workflow, notifications."""

import logging
import re
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Organization, User
from apps.audit.services import audit_record
from apps.cases.models import Case, Sex
from apps.cases.selectors import case_list_for_user
from apps.cases.services import case_event_record
from apps.core.exceptions import WorkflowError
from apps.core.links import absolute_url
from apps.core.outbox import outbox_enqueue
from apps.core.regions import Region
from apps.tasks.hooks import case_changed

from .models import (
    DEFAULT_SHARED_FIELDS,
    AssistanceRefusal,
    Notification,
    Referral,
    Service,
    ServiceLanguage,
    ServiceRegion,
    ServiceType,
    SharedField,
)

logger = logging.getLogger(__name__)

ACTING_ROLES = {"caseworker", "inspector"}
EMAIL_LANGUAGES = ("en", "ru", "kk")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")

SERVICE_FIELDS = [
    "service_type",
    "name",
    "description",
    "capacity",
    "accepting",
    "eligible_sexes",
    "accepts_adults",
    "accepts_minors",
    "contact_hours",
]


# --- the service directory ---------------------------------------------------------------


def service_can_edit(user, organization_id) -> bool:
    """Members of the offering organisation (not auditors) and administrators keep it current."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.role == "administrator":
        return True
    return user.role in ACTING_ROLES and user.organization_id == organization_id


def _clean_service(data: dict, regions: list[str], languages: list[str]) -> None:
    errors: dict[str, list] = {}
    if not str(data.get("name") or "").strip():
        errors["name"] = [_("Give the service a name.")]
    if data.get("service_type") not in ServiceType.values:
        errors["service_type"] = [_("Choose a type of service from the list.")]
    if not regions:
        errors["regions"] = [_("Choose at least one region the service covers.")]
    elif any(code not in Region.values for code in regions):
        errors["regions"] = [_("Choose regions from the list.")]
    if not languages:
        errors["languages"] = [_("Give at least one language the service works in.")]
    elif any(not _LANGUAGE_CODE.match(code) for code in languages):
        errors["languages"] = [_("Give languages as two-letter ISO 639-1 codes, e.g. ru, kk, uz.")]
    if any(sex not in Sex.values for sex in data.get("eligible_sexes") or []):
        errors["eligible_sexes"] = [_("Choose sexes from the list.")]
    capacity = data.get("capacity")
    if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 0:
        errors["capacity"] = [_("Capacity is a whole number, zero or more.")]
    if not (data.get("accepts_adults") or data.get("accepts_minors")):
        errors["accepts_adults"] = [_("The service must accept adults, minors or both.")]
    if errors:
        raise ValidationError(errors)


def _set_service_rows(service: Service, regions: list[str], languages: list[str]) -> None:
    ServiceRegion.objects.filter(service=service).exclude(region__in=regions).delete()
    ServiceLanguage.objects.filter(service=service).exclude(language__in=languages).delete()
    have_regions = set(service.region_rows.values_list("region", flat=True))
    have_languages = set(service.language_rows.values_list("language", flat=True))
    ServiceRegion.objects.bulk_create(
        ServiceRegion(service=service, region=r) for r in sorted(set(regions) - have_regions)
    )
    ServiceLanguage.objects.bulk_create(
        ServiceLanguage(service=service, language=lang)
        for lang in sorted(set(languages) - have_languages)
    )


@transaction.atomic
def service_create(
    *,
    actor: User,
    organization: Organization,
    service_type: str,
    name: str,
    regions: list[str],
    languages: list[str],
    description: str = "",
    capacity: int = 0,
    accepting: bool = True,
    eligible_sexes: list[str] | None = None,
    accepts_adults: bool = True,
    accepts_minors: bool = False,
    contact_hours: str = "",
) -> Service:
    """Add a service to the directory for the actor's organisation (any, for administrators)."""
    if not service_can_edit(actor, organization.pk):
        raise PermissionDenied(_("You may only add services of your own organisation."))
    regions = list(dict.fromkeys(regions or []))
    languages = list(dict.fromkeys(code.strip().lower() for code in languages or []))
    data = {
        "service_type": service_type,
        "name": (name or "").strip(),
        "description": description or "",
        "capacity": capacity,
        "accepting": accepting,
        "eligible_sexes": list(dict.fromkeys(eligible_sexes or [])),
        "accepts_adults": accepts_adults,
        "accepts_minors": accepts_minors,
        "contact_hours": contact_hours or "",
    }
    _clean_service(data, regions, languages)
    service = Service.objects.create(organization=organization, **data)
    _set_service_rows(service, regions, languages)
    audit_record(actor=actor, action="create", target=service)
    return service


@transaction.atomic
def service_update(
    *,
    actor: User,
    service: Service,
    version: int | None = None,
    regions: list[str] | None = None,
    languages: list[str] | None = None,
    **changes,
) -> Service:
    """Change a service's details; only its organisation or an administrator may."""
    if not service_can_edit(actor, service.organization_id):
        raise PermissionDenied(_("Only the organisation offering this service may change it."))
    unknown = set(changes) - set(SERVICE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    service = Service.objects.select_for_update().get(pk=service.pk)
    service.check_version(version)
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
    data = {name: getattr(service, name) for name in SERVICE_FIELDS} | changes
    new_regions = list(dict.fromkeys(regions)) if regions is not None else service.regions
    new_languages = (
        list(dict.fromkeys(c.strip().lower() for c in languages))
        if languages is not None
        else service.languages
    )
    _clean_service(data, new_regions, new_languages)
    fields = [name for name in SERVICE_FIELDS if getattr(service, name) != data[name]]
    for name in fields:
        setattr(service, name, data[name])
    if regions is not None and sorted(new_regions) != service.regions:
        fields.append("regions")
    if languages is not None and sorted(new_languages) != service.languages:
        fields.append("languages")
    _set_service_rows(service, new_regions, new_languages)
    # The version moves even when only regions or languages changed, so editors notice.
    service.updated_at = timezone.now()
    service.save_versioned(
        update_fields=[f for f in fields if f not in {"regions", "languages"}] + ["updated_at"]
    )
    audit_record(actor=actor, action="update", target=service, details={"fields": fields})
    return service


# --- the referral workflow -----------------------------------------------------------------


def referral_can_answer(user, referral: Referral) -> bool:
    """Only the receiving organisation's caseworkers and inspectors accept, decline, complete."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role in ACTING_ROLES
        and user.organization_id == referral.receiving_organization_id
    )


def referral_can_withdraw(user, referral: Referral) -> bool:
    """Only the sending organisation withdraws its referral."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role in ACTING_ROLES
        and user.organization_id == referral.sending_organization_id
    )


def _schedule(task, *args) -> None:
    # One message per referral event (task, referral, kind), sent after the commit.
    outbox_enqueue(task, *args, key=":".join([task.name, *map(str, args)]))


@transaction.atomic
def referral_send(
    *,
    actor: User,
    case: Case,
    service: Service,
    consent_given: bool,
    reason: str,
    urgency: str = Referral.Urgency.ROUTINE,
    consent_given_by: str = Referral.ConsentGivenBy.PERSON,
    consent_given_at: datetime | None = None,
    shared_fields: list[str] | None = None,
    contact_details: str = "",
) -> Referral:
    """Refer the case's person to a service, after recording their informed consent."""
    if actor.role not in ACTING_ROLES or actor.organization_id is None:
        raise PermissionDenied(_("Only caseworkers and inspectors send referrals."))
    if not case_list_for_user(actor).filter(pk=case.pk).exists():
        raise PermissionDenied(_("You may only refer people from cases you can see."))
    now = timezone.now()
    shared = DEFAULT_SHARED_FIELDS if shared_fields is None else shared_fields
    shared = [str(code) for code in dict.fromkeys(shared)]
    errors: dict[str, list] = {}
    if consent_given is not True:
        errors["consent_given"] = [
            _(
                "Record the person's informed consent before sending a referral: nothing is "
                "shared with another organisation without it."
            )
        ]
    if consent_given_by not in Referral.ConsentGivenBy.values:
        errors["consent_given_by"] = [_("Choose who gave consent from the list.")]
    if consent_given_at is not None and consent_given_at > now:
        errors["consent_given_at"] = [_("Consent cannot be given in the future.")]
    if any(code not in SharedField.values for code in shared):
        errors["shared_fields"] = [_("Choose the data to share from the list.")]
    if SharedField.CONTACT in shared and not (contact_details or "").strip():
        errors["contact_details"] = [_("Give the contact details you agreed to share.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Say why the person needs this service.")]
    if urgency not in Referral.Urgency.values:
        errors["urgency"] = [_("Choose routine or urgent.")]
    if not (service.accepting and service.organization.is_active):
        errors["service"] = [_("This service is not accepting referrals now.")]
    if errors:
        raise ValidationError(errors)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != Case.Status.OPEN:
        raise WorkflowError(
            _("The case is closed: reopen it to refer the person."), code="case_closed"
        )
    open_statuses = [Referral.Status.SENT, Referral.Status.ACCEPTED]
    if Referral.objects.filter(case=case, service=service, status__in=open_statuses).exists():
        raise WorkflowError(
            _("The person already has an open referral to this service."),
            code="duplicate_referral",
        )
    referral = Referral.objects.create(
        case=case,
        service=service,
        sending_organization_id=actor.organization_id,
        receiving_organization_id=service.organization_id,
        sent_by=actor,
        status=Referral.Status.SENT,
        urgency=urgency,
        reason=reason.strip(),
        contact_details=(contact_details or "").strip() if SharedField.CONTACT in shared else "",
        consent_given_by=consent_given_by,
        consent_given_at=consent_given_at or now,
        shared_fields=shared,
        sent_at=now,
    )
    case_event_record(
        case=case,
        actor=actor,
        kind="referral_sent",
        data={
            "referral": referral.pk,
            "service": service.name,
            "organization": service.organization.name,
            "urgency": urgency,
        },
    )
    audit_record(
        actor=actor,
        action="create",
        target=referral,
        details={"case": case.pk, "service": service.pk, "shared_fields": shared},
    )
    from . import tasks

    _schedule(tasks.notify_referral, referral.pk, "sent")
    case_changed(referral.case)
    return referral


def _locked(referral: Referral, version: int | None) -> Referral:
    locked = (
        Referral.objects.select_for_update()
        .select_related("case", "service", "receiving_organization")
        .get(pk=referral.pk)
    )
    locked.check_version(version)
    return locked


def _refuse_transition(message) -> None:
    raise WorkflowError(message, code="invalid_transition")


def _answer(
    *,
    actor: User,
    referral: Referral,
    version: int | None,
    to: str,
    allowed_from: set[str],
    refusal,
    stamp: str,
    text_field: str | None = None,
    text: str = "",
) -> Referral:
    if not referral_can_answer(actor, referral):
        raise PermissionDenied(_("Only the receiving organisation answers a referral."))
    referral = _locked(referral, version)
    if referral.status not in allowed_from:
        _refuse_transition(refusal)
    if text_field and not (text or "").strip():
        message = (
            _("Give the reason for declining.")
            if text_field == "decline_reason"
            else _("Describe the outcome of the service.")
        )
        raise ValidationError(
            {"reason" if text_field == "decline_reason" else "outcome": [message]}
        )
    referral.status = to
    setattr(referral, stamp, timezone.now())
    referral.answered_by = actor
    fields = ["status", stamp, "answered_by"]
    if text_field:
        setattr(referral, text_field, text.strip())
        fields.append(text_field)
    referral.save_versioned(update_fields=fields)
    case_event_record(
        case=referral.case,
        actor=actor,
        kind=f"referral_{to}",
        data={
            "referral": referral.pk,
            "service": referral.service.name,
            "organization": referral.receiving_organization.name,
        },
    )
    audit_record(actor=actor, action="update", target=referral, details={"status": to})
    from . import tasks

    _schedule(tasks.notify_referral, referral.pk, to)
    case_changed(referral.case)
    return referral


@transaction.atomic
def referral_accept(*, actor: User, referral: Referral, version: int | None = None) -> Referral:
    """The receiving organisation takes the person on."""
    return _answer(
        actor=actor,
        referral=referral,
        version=version,
        to=Referral.Status.ACCEPTED,
        allowed_from={Referral.Status.SENT},
        refusal=_("Only a referral waiting for an answer can be accepted."),
        stamp="accepted_at",
    )


@transaction.atomic
def referral_decline(
    *, actor: User, referral: Referral, reason: str, version: int | None = None
) -> Referral:
    """The receiving organisation cannot help, and says why."""
    return _answer(
        actor=actor,
        referral=referral,
        version=version,
        to=Referral.Status.DECLINED,
        allowed_from={Referral.Status.SENT},
        refusal=_("Only a referral waiting for an answer can be declined."),
        stamp="declined_at",
        text_field="decline_reason",
        text=reason,
    )


@transaction.atomic
def referral_complete(
    *, actor: User, referral: Referral, outcome: str, version: int | None = None
) -> Referral:
    """The receiving organisation has given the service and records the outcome."""
    return _answer(
        actor=actor,
        referral=referral,
        version=version,
        to=Referral.Status.COMPLETED,
        allowed_from={Referral.Status.ACCEPTED},
        refusal=_("Only an accepted referral can be completed."),
        stamp="completed_at",
        text_field="outcome",
        text=outcome,
    )


@transaction.atomic
def referral_withdraw(*, actor: User, referral: Referral, version: int | None = None) -> Referral:
    """The sending organisation takes back a referral that is still open."""
    if not referral_can_withdraw(actor, referral):
        raise PermissionDenied(_("Only the sending organisation withdraws a referral."))
    referral = _locked(referral, version)
    if not referral.is_open:
        _refuse_transition(_("Only an open referral (sent or accepted) can be withdrawn."))
    referral.status = Referral.Status.WITHDRAWN
    referral.withdrawn_at = timezone.now()
    referral.save_versioned(update_fields=["status", "withdrawn_at"])
    case_event_record(
        case=referral.case,
        actor=actor,
        kind="referral_withdrawn",
        data={
            "referral": referral.pk,
            "service": referral.service.name,
            "organization": referral.receiving_organization.name,
        },
    )
    audit_record(actor=actor, action="update", target=referral, details={"status": "withdrawn"})
    case_changed(referral.case)
    return referral


# --- refusals of assistance ---------------------------------------------------------------

# Offering assistance and hearing a refusal is casework: the owning organisation's caseworkers,
# and administrators.
REFUSAL_ROLES = {"caseworker", "administrator"}


def assistance_refusal_role_allowed(user) -> bool:
    """Whether the user's role may ever record a refusal of assistance."""
    if not (user.is_authenticated and user.is_active and user.role in REFUSAL_ROLES):
        return False
    return user.role == "administrator" or user.organization_id is not None


@transaction.atomic
def assistance_refusal_record(
    *,
    actor: User,
    case: Case,
    refused_on: date | None,
    informed_of_rights: bool,
    notes: str = "",
) -> AssistanceRefusal:
    """Record that the case's person, told of their rights and services, refuses assistance."""
    if not assistance_refusal_role_allowed(actor):
        raise PermissionDenied(
            _("Only caseworkers and administrators record that a person refuses assistance.")
        )
    if not case_list_for_user(actor).filter(pk=case.pk).exists():
        raise PermissionDenied(_("You may only record refusals for cases you can see."))
    errors: dict[str, list] = {}
    if informed_of_rights is not True:
        errors["informed_of_rights"] = [
            _(
                "Confirm that the person was told of their rights and of the services available "
                "before recording that they refuse assistance."
            )
        ]
    if refused_on is None:
        errors["refused_on"] = [_("Give the date the person refused assistance.")]
    elif refused_on > timezone.localdate():
        errors["refused_on"] = [_("The date of the refusal cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != Case.Status.OPEN:
        raise WorkflowError(
            _("The case is closed: reopen it to record a refusal of assistance."),
            code="case_closed",
        )
    refusal = AssistanceRefusal.objects.create(
        case=case,
        recorded_by=actor,
        refused_on=refused_on,
        informed_of_rights=True,
        notes=(notes or "").strip(),
    )
    # The notes stay on the record: neither the timeline nor the audit log repeats free text.
    case_event_record(
        case=case,
        actor=actor,
        kind="assistance_refused",
        data={"refusal": refusal.pk, "refused_on": refused_on.isoformat()},
    )
    audit_record(
        actor=actor,
        action="create",
        target=refusal,
        details={"case": case.pk, "refused_on": refused_on.isoformat()},
    )
    return refusal


# --- escalation ----------------------------------------------------------------------------


def escalation_hours() -> int:
    return int(getattr(settings, "CASEMGR_REFERRAL_ESCALATION_HOURS", 48))


@transaction.atomic
def referral_escalate(*, referral_id: int) -> bool:
    """Mark a referral nobody accepted in time as escalated, once, and notify administrators."""
    # The conditional UPDATE makes escalation happen once even if two beat runs overlap.
    updated = Referral.objects.filter(
        pk=referral_id, status=Referral.Status.SENT, escalated_at__isnull=True
    ).update(escalated_at=timezone.now(), version=F("version") + 1)
    if not updated:
        return False
    referral = Referral.objects.select_related("case", "service", "receiving_organization").get(
        pk=referral_id
    )
    case_event_record(
        case=referral.case,
        actor=None,
        kind="referral_escalated",
        data={
            "referral": referral.pk,
            "service": referral.service.name,
            "organization": referral.receiving_organization.name,
            "hours": escalation_hours(),
        },
    )
    audit_record(
        actor=None, action="system", target=referral, details={"escalated": escalation_hours()}
    )
    from . import tasks

    _schedule(tasks.notify_referral, referral.pk, "escalated")
    case_changed(referral.case)
    return True


def referrals_escalate_overdue(*, now: datetime | None = None) -> int:
    """Escalate every referral still waiting for an answer after the escalation period."""
    cutoff = (now or timezone.now()) - timedelta(hours=escalation_hours())
    overdue = Referral.objects.filter(
        status=Referral.Status.SENT, escalated_at__isnull=True, sent_at__lte=cutoff
    ).values_list("pk", flat=True)
    return sum(referral_escalate(referral_id=pk) for pk in list(overdue))


# --- notifications -------------------------------------------------------------------------


def organization_language(organization: Organization | None) -> str:
    """The first of the organisation's languages that casemgr writes in; English otherwise."""
    for code in (organization.languages if organization else None) or []:
        if code in EMAIL_LANGUAGES:
            return code
    return "en"


def _user_language(user: User) -> str:
    return user.language if user.language in EMAIL_LANGUAGES else "en"


def _organization_addresses(organization: Organization) -> list[str]:
    if organization.email:
        return [organization.email]
    members = organization.members.filter(is_active=True, role__in=ACTING_ROLES).exclude(email="")
    return sorted(members.values_list("email", flat=True))


def _recipients(referral: Referral, kind: str) -> list[tuple[str, list[str], str]]:
    """(key, addresses, language) for each e-mail the event sends."""
    base = f"referral-{referral.pk}-{kind}"
    if kind == "sent":
        org = referral.receiving_organization
        return [(base, _organization_addresses(org), organization_language(org))]
    if kind in {"accepted", "declined", "completed"}:
        sender = referral.sent_by
        if sender.is_active and sender.email:
            return [(base, [sender.email], _user_language(sender))]
        org = referral.sending_organization
        return [(base, _organization_addresses(org), organization_language(org))]
    if kind == "escalated":
        admins = User.objects.filter(role="administrator", is_active=True).exclude(email="")
        return [
            (f"{base}-{admin.pk}", [admin.email], _user_language(admin))
            for admin in admins.order_by("pk")
        ]
    raise ValueError(f"unknown notification kind {kind!r}")


def notification_send(*, referral_id: int, kind: str) -> int:
    """E-mail everyone the referral event concerns, in their language; never twice per key."""
    referral = Referral.objects.select_related(
        "service", "sending_organization", "receiving_organization", "sent_by"
    ).get(pk=referral_id)
    sent = 0
    for key, addresses, language in _recipients(referral, kind):
        if not addresses:
            logger.warning("referral %s: nobody to notify of %s", referral.pk, kind)
            continue
        # The row lock and the unique key make a redelivered or concurrent task send nothing;
        # if sending fails the transaction rolls back and the retry sends again.
        with transaction.atomic():
            note, _created = Notification.objects.select_for_update().get_or_create(
                key=key,
                defaults={
                    "referral": referral,
                    "kind": kind,
                    "recipients": addresses,
                    "language": language,
                },
            )
            if note.sent_at is not None:
                continue
            context = {
                "referral": referral,
                "url": absolute_url("referrals:detail", args=[referral.pk]),
                "hours": escalation_hours(),
            }
            with translation.override(language):
                subject = render_to_string(f"referrals/email/{kind}_subject.txt", context)
                body = render_to_string(f"referrals/email/{kind}_body.txt", context)
            send_mail(
                " ".join(subject.split()),
                body,
                settings.DEFAULT_FROM_EMAIL,
                addresses,
                fail_silently=False,
            )
            note.sent_at = timezone.now()
            note.save(update_fields=["sent_at"])
            sent += 1
    return sent
