"""Reads of services and referrals, scoped to the user; every read of a referral is audited."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from apps.audit.services import audit_record
from apps.cases.models import Case
from apps.cases.selectors import case_list_for_user
from apps.core.access import get_or_404, is_global_reader

from .models import (
    AssistanceRefusal,
    Referral,
    Service,
    ServiceLanguage,
    ServiceRegion,
    SharedField,
)


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def service_list_for_user(user, *, filters: dict | None = None) -> QuerySet[Service]:
    """The directory: every signed-in user sees the services of active organisations."""
    qs = Service.objects.select_related("organization").prefetch_related(
        Prefetch("region_rows", queryset=ServiceRegion.objects.order_by("region")),
        Prefetch("language_rows", queryset=ServiceLanguage.objects.order_by("language")),
    )
    if not _active(user):
        return qs.none()
    return service_filter(qs.filter(organization__is_active=True), filters or {})


def service_filter(qs: QuerySet[Service], filters: dict) -> QuerySet[Service]:
    """Narrow services by type, region, language, accepting and organisation."""
    if filters.get("service_type"):
        qs = qs.filter(service_type=filters["service_type"])
    if filters.get("region"):
        regions = ServiceRegion.objects.filter(region=filters["region"])
        qs = qs.filter(pk__in=regions.values("service"))
    if filters.get("language"):
        language = str(filters["language"]).strip().lower()
        qs = qs.filter(pk__in=ServiceLanguage.objects.filter(language=language).values("service"))
    if filters.get("accepting") is not None:
        qs = qs.filter(accepting=filters["accepting"])
    if filters.get("organization"):
        qs = qs.filter(organization_id=filters["organization"])
    return qs


def service_get_for_user(user, *, service_id) -> Service:
    """One service of the directory; 404 when it does not exist or its organisation is inactive."""
    return get_or_404(service_list_for_user(user), pk=service_id)


def referral_list_for_user(user, *, box: str | None = None) -> QuerySet[Referral]:
    """Referrals the user's organisation sent or received; all for administrators and auditors.

    `box` narrows to "incoming" (received) or "outgoing" (sent) for organisation members.
    """
    qs = Referral.objects.select_related(
        "case__person", "service", "sending_organization", "receiving_organization", "sent_by"
    )
    if not _active(user):
        return qs.none()
    if is_global_reader(user):
        return qs
    if user.organization_id is None:
        return qs.none()
    org = user.organization_id
    if box == "incoming":
        return qs.filter(receiving_organization_id=org)
    if box == "outgoing":
        return qs.filter(sending_organization_id=org)
    return qs.filter(Q(sending_organization_id=org) | Q(receiving_organization_id=org))


def referral_get_for_user(user, *, referral_id, audit: bool = True) -> Referral:
    """One referral the user may see (404 otherwise); the read is written to the audit log."""
    referral = get_or_404(referral_list_for_user(user), pk=referral_id)
    if audit:
        audit_record(actor=user, action="read", target=referral)
    return referral


def referral_list_read_record(user, referrals) -> None:
    """Write one audit entry naming the referrals a list showed the user."""
    ids = [r.pk for r in referrals]
    if ids:
        audit_record(
            actor=user,
            action="read",
            target_type=Referral._meta.label_lower,
            target_id="list",
            details={"ids": ids},
        )


def referral_sees_shared_only(user, referral: Referral) -> bool:
    """The receiving side sees what the referral shares, never the case behind it."""
    if is_global_reader(user):
        return False
    return user.organization_id != referral.sending_organization_id


def referral_shared_person(referral: Referral) -> dict:
    """The person's data the consent covers, and nothing else."""
    person = referral.case.person
    shared = set(referral.shared_fields)
    data: dict = {}
    if SharedField.NAME in shared:
        data["given_name"] = person.given_name
        data["family_name"] = person.family_name
    if SharedField.DATE_OF_BIRTH in shared:
        data["date_of_birth"] = person.date_of_birth
    if SharedField.SEX in shared:
        data["sex"] = person.sex
    if SharedField.CITIZENSHIP in shared:
        data["citizenship"] = person.citizenship
    if SharedField.LANGUAGES in shared:
        data["languages"] = list(person.languages or [])
    if SharedField.CONTACT in shared:
        data["contact"] = referral.contact_details
    if SharedField.REGION in shared:
        data["region"] = referral.case.region
    return data


def referral_list_for_case(user, *, case: Case) -> QuerySet[Referral]:
    """The referrals made from a case, for those who may see the case."""
    return referral_list_for_user(user).filter(case=case, sending_organization=case.organization)


def referral_incoming_awaiting(user) -> QuerySet[Referral]:
    """Referrals sent to the user's organisation that nobody has answered yet."""
    if not _active(user) or user.organization_id is None:
        return Referral.objects.none()
    return referral_list_for_user(user, box="incoming").filter(status=Referral.Status.SENT)


# --- refusals of assistance ---------------------------------------------------------------


def assistance_refusal_list_for_user(user) -> QuerySet[AssistanceRefusal]:
    """Refusals recorded on the cases the user may see."""
    qs = AssistanceRefusal.objects.select_related("case", "recorded_by")
    if not _active(user):
        return qs.none()
    if is_global_reader(user):
        return qs
    return qs.filter(case_id__in=case_list_for_user(user).values("pk"))


def assistance_refusal_get_for_user(user, *, refusal_id, audit: bool = True) -> AssistanceRefusal:
    """One refusal on a case the user may see (404 otherwise); the read is audited."""
    refusal = get_or_404(assistance_refusal_list_for_user(user), pk=refusal_id)
    if audit:
        audit_record(actor=user, action="read", target=refusal)
    return refusal


def assistance_refusal_list_read_record(user, refusals) -> None:
    """Write one audit entry naming the refusals a list showed the user."""
    ids = [r.pk for r in refusals]
    if ids:
        audit_record(
            actor=user,
            action="read",
            target_type=AssistanceRefusal._meta.label_lower,
            target_id="list",
            details={"ids": ids},
        )


def assistance_refusals_of_case(case: Case) -> QuerySet[AssistanceRefusal]:
    """The refusals recorded on a case, for the case page (whose read is audited already)."""
    return AssistanceRefusal.objects.filter(case=case).select_related("recorded_by")


# --- matching ------------------------------------------------------------------------------


@dataclass
class Match:
    service: Service
    score: int
    reasons: list[str] = field(default_factory=list)
    already_referred: bool = False


def _age(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def service_matches_for_case(
    user, *, case: Case, service_type: str | None = None, limit: int = 20
) -> list[Match]:
    """Accepting services the case's person is eligible for, best first.

    Ranked by region (the case's region covered), type (the one asked for), language (one the
    person speaks) and capacity (places free); ties go to the larger capacity.
    """
    filters = {"accepting": True}
    if service_type:
        filters["service_type"] = service_type
    services = list(service_list_for_user(user, filters=filters))
    person = case.person
    age = _age(person.date_of_birth, timezone.localdate())
    spoken = {code.lower() for code in person.languages or []}
    open_statuses = [Referral.Status.SENT, Referral.Status.ACCEPTED]
    referred = set(
        Referral.objects.filter(case=case, status__in=open_statuses).values_list(
            "service_id", flat=True
        )
    )
    matches = []
    for service in services:
        if service.eligible_sexes and person.sex not in {*service.eligible_sexes, "unknown"}:
            continue
        if age is not None and age < 18 and not service.accepts_minors:
            continue
        if age is not None and age >= 18 and not service.accepts_adults:
            continue
        match = Match(service=service, score=0, already_referred=service.pk in referred)
        if case.region in service.regions:
            match.score += 8
            match.reasons.append("region")
        if service_type and service.service_type == service_type:
            match.score += 4
            match.reasons.append("type")
        if spoken & set(service.languages):
            match.score += 2
            match.reasons.append("language")
        if service.capacity > 0:
            match.score += 1
            match.reasons.append("capacity")
        matches.append(match)
    matches.sort(key=lambda m: (-m.score, -m.service.capacity, m.service.name, m.service.pk))
    return matches[:limit]
