"""Demo history for the annual report: five years (2022-2026) of screenings, identifications
and, where those apps are installed, removals, referrals and training, so that the demo report
shows trends and a tier. Idempotent: records are keyed by their demo references."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from apps.screening.services import age_on

YEARS = (2022, 2023, 2024, 2025, 2026)
CASES_PER_YEAR = {2022: 24, 2023: 28, 2024: 32, 2025: 36, 2026: 30}
# Shares (of the year's cases) that rise over the years: the demo country improves slowly.
REMOVALS_SCREENED = {2022: 0.80, 2023: 0.86, 2024: 0.90, 2025: 0.96, 2026: 1.0}
PRESUMED_REFERRED = {2022: 0.60, 2023: 0.70, 2024: 0.80, 2025: 0.92, 2026: 0.95}

GIVEN = ["Aziz", "Dilnoza", "Farrukh", "Gulnora", "Jamshid", "Malika", "Bakhtiyor", "Zarina"]
FAMILY = ["Karimov", "Rahimova", "Nazarov", "Tursunova", "Saidov", "Yusupova", "Ergashev"]
CITIZENSHIP = ["UZ", "UZ", "TJ", "KG", "UZ", "TJ", "AF", "KG"]
SECTORS = ["construction", "agriculture", "domestic_work", "trade", "manufacturing", "begging"]
SEXES = ["male", "female", "male", "male", "female", "male"]
BIRTH_YEARS = [1990, 1984, 2000, 1996, 1975, 2007, 1988, 1969, 2002]
ORGANISATIONS = [
    "Astana Migrant Support Centre",
    "Almaty Legal Aid for Migrants",
    "Shymkent Safe House",
    "Omsk Border Migrant Aid",
]


def _at(year: int, month: int, day: int, hour: int = 11) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def history_cases(year: int) -> list:
    """The demo cases first screened in `year` (created when missing)."""
    Case = apps.get_model("cases", "Case")
    Person = apps.get_model("cases", "Person")
    Organization = apps.get_model("accounts", "Organization")
    User = apps.get_model("accounts", "User")
    orgs = list(Organization.objects.filter(name__in=ORGANISATIONS).order_by("name"))
    if not orgs:
        return []
    cases = []
    for n in range(CASES_PER_YEAR[year]):
        reference = f"KZ-{year}-H{n + 1:04d}"
        case = Case.objects.filter(reference=reference).first()
        if case is None:
            org = orgs[n % len(orgs)]
            creator = (
                User.objects.filter(organization=org).first()
                or User.objects.filter(role="administrator").first()
            )
            person = Person.objects.create(
                given_name=GIVEN[(n + year) % len(GIVEN)],
                family_name=FAMILY[(n * 3 + year) % len(FAMILY)],
                sex=SEXES[(n // 3 + year) % len(SEXES)],
                date_of_birth=datetime.date(BIRTH_YEARS[n % len(BIRTH_YEARS)], 1 + n % 12, 10),
                citizenship=CITIZENSHIP[n % len(CITIZENSHIP)],
                languages=["ru"],
            )
            case = Case.objects.create(
                reference=reference,
                person=person,
                organization=org,
                created_by=creator,
                assigned_to=creator,
                region=org.region,
                sector=SECTORS[(n + n // 12 + year) % len(SECTORS)],
                identified_via="labour_inspection" if n % 2 else "ngo_outreach",
                entry_date=datetime.date(year, 1 + n % 6, 5),
                stay_basis="eaeu_90_days" if n % 3 else "none",
                status="closed" if year < 2026 else "open",
            )
        cases.append(case)
    return cases


def _result(n: int, year: int) -> str:
    # About a fifth presumed and a sixth possible; presumed victims rise a little each year.
    cycle = n % 12
    if cycle in (0, 5) or (cycle == 9 and year >= 2024):
        return "presumed_victim"
    if cycle in (2, 7):
        return "possible_victim"
    return "no_indicators"


@transaction.atomic
def seed(*, stdout=None) -> dict:
    """Five years of demo activity for the annual report."""
    Screening = apps.get_model("screening", "Screening")
    User = apps.get_model("accounts", "User")
    inspector = User.objects.filter(role="inspector").order_by("pk").first()
    if inspector is None:
        return {"years": []}
    administrator = User.objects.filter(role="administrator").order_by("pk").first()
    Removal = apps.get_model("removals", "Removal")
    Referral = apps.get_model("referrals", "Referral")
    Service = apps.get_model("referrals", "Service")
    counts = {"screenings": 0, "removals": 0, "referrals": 0}
    today = timezone.localdate()
    for year in YEARS:
        cases = history_cases(year)
        # Activity of the current year stops at today.
        last_month = today.month if year == today.year else 12
        for n, case in enumerate(cases):
            month = 1 + n % last_month
            completed = min(_at(year, month, 3 + n % 20), timezone.now())
            result = _result(n, year)
            screening = Screening.objects.filter(case=case, status="complete").first()
            if screening is None:
                screening = Screening.objects.create(
                    case=case,
                    screened_by=inspector,
                    status="complete",
                    catalogue_version="delphi-2009-labour+debt-1",
                    interview_language="ru",
                    interpreter_used=bool(n % 2),
                    consent_given=True,
                    trafficking=result,
                    forced_labour=result != "no_indicators",
                    debt_coercion=result == "presumed_victim" and n % 2 == 0,
                    result={"trafficking": result, "reasons": []},
                    completed_at=completed,
                    # As the screening service records it at completion (the date of birth is
                    # encrypted; the report reads this age).
                    person_age=age_on(case.person.date_of_birth, timezone.localdate(completed)),
                )
                counts["screenings"] += 1
            result = screening.trafficking
            flagged = result in ("presumed_victim", "possible_victim")
            fields = {
                "risk_level": "high" if flagged else "low",
                "victim_status": {"presumed_victim": "presumed", "possible_victim": "possible"}.get(
                    result, "not_a_victim"
                ),
            }
            if result == "presumed_victim" and n % 2 == 0 and completed.date() < today:
                fields["victim_status"] = "identified"
                fields["identified_on"] = min(completed.date() + datetime.timedelta(days=40), today)
            type(case).objects.filter(pk=case.pk).update(**fields)
            counts["removals"] += _seed_removal(
                Removal, case, screening, n, year, inspector, administrator
            )
            counts["referrals"] += _seed_referral(Referral, Service, case, screening, n, year)
    if stdout:
        stdout.write(
            f"  {counts['screenings']} screenings, {counts['removals']} removals, "
            f"{counts['referrals']} referrals over {YEARS[0]}-{YEARS[-1]} "
            "(training comes from the training demo)"
        )
    return {"years": list(YEARS), **counts}


# Flagged persons removed by an override (the non-punishment standard fails): early years only.
FLAGGED_REMOVED = {2022: 2, 2023: 1}
OVERRIDE_JUSTIFICATION = (
    "Formal identification by the interagency commission found no exploitation; the person "
    "asked to return home with IOM assistance."
)


def _seed_removal(Removal, case, screening, n: int, year: int, inspector, administrator) -> int:
    """A removal of the kind the removals service records: decided, or suspended and overridden.

    Removals of people the screening did not flag are decided, a rising share of them within
    30 days of the screening; removals of flagged people are suspended at the screening and,
    after the reflection period, mostly decided `no_removal` by an administrator's override.
    """
    if Removal.objects.filter(case=case).exists():
        return 0
    now = timezone.now()
    completed = screening.completed_at
    values = {
        "case": case,
        "grounds": ["overstay", "document_violation", "illegal_employment"][n % 3],
        "proposed_by": inspector,
    }
    if not screening.flagged:
        if n % 3 == 1:
            return 0
        screened = (n % 10) < REMOVALS_SCREENED[year] * 10
        decided = completed + datetime.timedelta(days=10 if screened else 45)
        if decided > now:
            return 0
        decision = "remove" if n % 2 else "no_removal"
        values.update(
            proposed_on=(completed - datetime.timedelta(days=5)).date(),
            status=f"decided_{decision}",
            decision=decision,
            decided_at=decided,
            decided_by=inspector,
            screening_at_decision=screening,
            screened_before_decision=screened,
        )
    else:
        if n % 4 == 3 or administrator is None:
            return 0
        suspended = completed
        values.update(
            proposed_on=(completed - datetime.timedelta(days=3)).date(),
            status="suspended",
            suspended_at=suspended,
            reflection_until=(suspended + datetime.timedelta(days=30)).date(),
        )
        decided = suspended + datetime.timedelta(days=28)
        if decided <= now:
            removed = Removal.objects.filter(
                case__reference__startswith=f"KZ-{year}-H", decision="remove", overridden=True
            ).count()
            decision = "remove" if removed < FLAGGED_REMOVED.get(year, 0) else "no_removal"
            values.update(
                status=f"decided_{decision}",
                decision=decision,
                decided_at=decided,
                decided_by=administrator,
                overridden=True,
                override_justification=OVERRIDE_JUSTIFICATION,
                screening_at_decision=screening,
                screened_before_decision=True,
            )
    Removal.objects.create(**values)
    return 1


def _seed_referral(Referral, Service, case, screening, n: int, year: int) -> int:
    """Presumed victims (and some possible victims) referred to another organisation's service."""
    if Referral.objects.filter(case=case).exists():
        return 0
    result = screening.trafficking
    if result != "presumed_victim" and not (result == "possible_victim" and n % 2 == 0):
        return 0
    services = list(
        Service.objects.exclude(organization=case.organization)
        .select_related("organization")
        .order_by("pk")
    )
    if not services:
        return 0
    service = services[n % len(services)]
    on_time = (n % 10) < PRESUMED_REFERRED[year] * 10
    completed = screening.completed_at
    sent = completed + datetime.timedelta(days=2 if on_time else 12)
    now = timezone.now()
    if sent > now:
        return 0
    User = apps.get_model("accounts", "User")
    sender = (
        User.objects.filter(organization=case.organization, is_active=True)
        .exclude(role="auditor")
        .order_by("pk")
        .first()
        or case.created_by
    )
    accepted = sent + datetime.timedelta(days=1 + n % 4)
    declined = n % 7 == 5
    done = accepted + datetime.timedelta(days=30)
    values = {"status": "sent"}
    if declined:
        values.update(
            status="declined",
            declined_at=accepted,
            decline_reason="No free place this month.",
        )
    elif accepted <= now:
        values.update(status="accepted", accepted_at=accepted)
        # Some services of this year are still being provided.
        if done <= now and not (year == now.year and n % 6 == 2):
            values.update(status="completed", completed_at=done, outcome="Service provided.")
    Referral.objects.create(
        case=case,
        service=service,
        sending_organization=case.organization,
        receiving_organization=service.organization,
        sent_by=sender,
        urgency="urgent" if result == "presumed_victim" else "routine",
        reason="Referred after the screening flagged indicators of trafficking.",
        consent_given_by="person",
        consent_given_at=sent,
        shared_fields=["name", "sex", "languages"],
        sent_at=sent,
        **values,
    )
    return 1
