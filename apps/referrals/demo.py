"""Demo services for the demo NGOs, and a few referrals (and a refusal of assistance) on demo
cases when there are any."""

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Organization, User
from apps.cases.models import Case

from . import services
from .guards import FLAGGED_STATUSES
from .models import AssistanceRefusal, Referral, Service

# organisation, type, name, regions, languages, capacity, sexes, adults, minors, hours
SERVICES = [
    ("Astana Migrant Support Centre", "shelter", "Astana crisis shelter",
     ["astana", "akmola"], ["ru", "kk", "uz", "tg", "ky"], 6, [], True, False, "24/7"),
    ("Astana Migrant Support Centre", "psychosocial", "Counselling for survivors",
     ["astana"], ["ru", "kk", "uz"], 10, [], True, True, "Mon–Fri 9:00–18:00"),
    ("Astana Migrant Support Centre", "hotline", "Migrant helpline 1409",
     ["astana", "akmola", "karaganda", "pavlodar"], ["ru", "kk", "uz", "tg", "ky"], 50, [],
     True, True, "24/7"),
    ("Almaty Legal Aid for Migrants", "legal_aid", "Unpaid wages and documents clinic",
     ["almaty_city", "almaty_region", "zhetysu"], ["ru", "kk", "uz"], 8, [], True, False,
     "Mon–Sat 10:00–19:00"),
    ("Almaty Legal Aid for Migrants", "interpretation", "Court and police interpreters",
     ["almaty_city", "almaty_region"], ["uz", "tg", "ky", "ru"], 3, [], True, True,
     "By appointment"),
    ("Shymkent Safe House", "shelter", "Safe house for women and children",
     ["shymkent", "turkistan"], ["ru", "kk", "uz", "tg"], 4, ["female"], True, True, "24/7"),
    ("Shymkent Safe House", "medical", "Clinic partnership: check-ups and treatment",
     ["shymkent", "turkistan", "zhambyl"], ["ru", "kk", "uz"], 12, [], True, True,
     "Mon–Fri 8:00–17:00"),
    ("Omsk Border Migrant Aid", "return_assistance", "Safe return to Central Asia",
     ["ru_omsk", "north_kazakhstan", "pavlodar"], ["ru", "kk"], 5, [], True, True,
     "Mon–Fri 9:00–18:00"),
    ("Orenburg Migrant Rights", "reintegration", "Reintegration grants and job placement",
     ["ru_orenburg", "aktobe", "west_kazakhstan"], ["ru", "kk", "uz"], 0, [], True, False,
     "Tue and Thu 10:00–16:00"),
]  # fmt: skip

# A few referrals between demo NGOs: (case organisation, service name, status, urgency, reason)
REFERRALS = [
    ("Astana Migrant Support Centre", "Unpaid wages and documents clinic", "sent", "routine",
     "Employer kept the passport and four months of wages; needs help recovering both."),
    ("Almaty Legal Aid for Migrants", "Astana crisis shelter", "accepted", "urgent",
     "Left the construction site after threats; has nowhere safe to sleep."),
    ("Shymkent Safe House", "Safe return to Central Asia", "sent", "routine",
     "Wishes to return home; documents restored, needs travel and escort."),
]  # fmt: skip

# People flagged by a screening who, told of their rights and the services available, refused
# any assistance: (case organisation, notes)
REFUSALS = [
    ("Astana Migrant Support Centre",
     "Wants to go home to relatives; took the helpline number in case they change their mind."),
]  # fmt: skip


def _seed_services(stdout=None) -> int:
    admin = User.objects.filter(role="administrator", is_active=True).order_by("pk").first()
    created = 0
    for (
        org_name,
        kind,
        name,
        regions,
        languages,
        capacity,
        sexes,
        adults,
        minors,
        hours,
    ) in SERVICES:
        organization = Organization.objects.filter(name=org_name).first()
        if organization is None or admin is None:
            continue
        if Service.objects.filter(organization=organization, name=name).exists():
            continue
        services.service_create(
            actor=admin,
            organization=organization,
            service_type=kind,
            name=name,
            description="",
            regions=regions,
            languages=languages,
            capacity=capacity,
            accepting=capacity > 0,
            eligible_sexes=sexes,
            accepts_adults=adults,
            accepts_minors=minors,
            contact_hours=hours,
        )
        created += 1
    return created


def _seed_referrals(stdout=None) -> int:
    created = 0
    for org_name, service_name, status, urgency, reason in REFERRALS:
        service = Service.objects.filter(name=service_name).select_related("organization").first()
        case = (
            Case.objects.filter(organization__name=org_name, status="open")
            .exclude(organization=getattr(service, "organization", None))
            .order_by("pk")
            .first()
        )
        sender = (
            User.objects.filter(organization__name=org_name, role="caseworker", is_active=True)
            .order_by("pk")
            .first()
        )
        if service is None or case is None or sender is None:
            continue
        if Referral.objects.filter(case=case, service=service).exists():
            continue
        referral = services.referral_send(
            actor=sender,
            case=case,
            service=service,
            consent_given=True,
            reason=reason,
            urgency=urgency,
            shared_fields=["name", "sex", "languages", "region"],
        )
        if status == "accepted":
            receiver = (
                User.objects.filter(organization=service.organization, is_active=True)
                .exclude(role="auditor")
                .order_by("pk")
                .first()
            )
            if receiver is not None:
                services.referral_accept(actor=receiver, referral=referral)
        created += 1
    return created


def _seed_refusals(stdout=None) -> int:
    created = 0
    for org_name, notes in REFUSALS:
        # The first flagged open case nobody referred: the same case on every run.
        case = (
            Case.objects.filter(
                organization__name=org_name,
                status="open",
                victim_status__in=FLAGGED_STATUSES,
                referrals__isnull=True,
            )
            .order_by("pk")
            .first()
        )
        recorder = (
            User.objects.filter(organization__name=org_name, role="caseworker", is_active=True)
            .order_by("pk")
            .first()
        )
        if case is None or recorder is None:
            continue
        if AssistanceRefusal.objects.filter(case=case).exists():
            continue
        services.assistance_refusal_record(
            actor=recorder,
            case=case,
            refused_on=timezone.localdate(),
            informed_of_rights=True,
            notes=notes,
        )
        created += 1
    return created


@transaction.atomic
def seed(*, stdout=None) -> dict:
    """Create the demo services and, where demo cases exist, a few referrals; idempotent."""
    result = {
        "services": _seed_services(stdout),
        "referrals": _seed_referrals(stdout),
        "refusals": _seed_refusals(stdout),
    }
    if stdout is not None:
        stdout.write(
            f"  services added: {result['services']}, referrals added: {result['referrals']}, "
            f"refusals of assistance added: {result['refusals']}"
        )
    return result
