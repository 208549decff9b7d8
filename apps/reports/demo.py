"""Demo history for the annual report: five years (2022-2026) of cases, screenings,
identifications, removals and referrals, so that the demo report shows trends and a tier.

Everything goes through the services people use (case_open, the screening service that runs
the engine, removal propose/decide/override, the referral workflow and refusals of assistance,
case_update for the identification, case_close, the retention service), each call made at its
historical moment with `time_machine.travel`, so the services stamp their own dates. Nothing
happens after now. Idempotent: a history case is known by its opener and the exact moment it was opened."""

from __future__ import annotations

import datetime

import time_machine
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import WorkflowError

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
OUTCOMES = [
    "Wages recovered with legal aid; the person found other work.",
    "Returned home with IOM assistance.",
    "Support completed; the person no longer needs the organisation's help.",
]
# Flagged persons removed by an override (the non-punishment standard fails): early years only.
FLAGGED_REMOVED = {2022: 2, 2023: 1}
OVERRIDE_JUSTIFICATION = (
    "The interagency commission found the claim of exploitation unsupported by any record; "
    "the person asked to return home with IOM assistance."
)
DAY = datetime.timedelta(days=1)


def _at(year: int, month: int, day: int, hour: int = 11) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def _pattern(n: int, year: int) -> int:
    """Which answer pattern of apps.screening.demo.PATTERNS the n-th interview of the year has.

    About a fifth presumed and a sixth possible; presumed victims rise a little each year.
    """
    cycle = n % 12
    if cycle in (0, 5) or (cycle == 9 and year >= 2024):
        return 0  # presumed victim
    if cycle in (2, 7):
        return 1  # possible victim
    return 2  # no indicators


def _plan(year: int) -> list[datetime.datetime]:
    """The moments the year's history cases were opened (none in the current month or later)."""
    today = timezone.localdate()
    months = 12 if year < today.year else today.month - 1
    if year > today.year or months < 1:
        return []
    return [_at(year, 1 + n % months, 2 + n % 20, 9 + n % 7) for n in range(CASES_PER_YEAR[year])]


def _organisations():
    Organization = apps.get_model("accounts", "Organization")
    return list(Organization.objects.filter(name__in=ORGANISATIONS).order_by("name"))


def _opener(org):
    User = apps.get_model("accounts", "User")
    return (
        User.objects.filter(organization=org, role="caseworker", is_active=True)
        .order_by("pk")
        .first()
    )


def history_cases(year: int) -> list:
    """The demo history cases opened in `year` that exist, in their order."""
    Case = apps.get_model("cases", "Case")
    orgs = _organisations()
    if not orgs:
        return []
    openers = [_opener(org) for org in orgs]
    cases = []
    for n, opened in enumerate(_plan(year)):
        opener = openers[n % len(orgs)]
        case = Case.objects.filter(created_by=opener, created_at=opened).first()
        if case is not None:
            cases.append(case)
    return cases


class _Clock:
    """Travels to each moment of one case's story; refuses moments after now."""

    def __init__(self):
        self.now = timezone.now() - datetime.timedelta(minutes=5)
        self.last: datetime.datetime | None = None

    def possible(self, moment: datetime.datetime) -> bool:
        return moment <= self.now

    def at(self, moment: datetime.datetime):
        self.last = max(self.last or moment, moment)
        return time_machine.travel(moment, tick=False)


@transaction.atomic
def seed(*, stdout=None) -> dict:
    """Five years of demo activity for the annual report."""
    User = apps.get_model("accounts", "User")
    inspector = User.objects.filter(role="inspector", is_active=True).order_by("pk").first()
    administrator = User.objects.filter(role="administrator", is_active=True).order_by("pk").first()
    orgs = _organisations()
    if inspector is None or administrator is None or not orgs:
        return {"years": []}
    openers = [_opener(org) for org in orgs]
    counts = {"cases": 0, "screenings": 0, "removals": 0, "referrals": 0}
    anonymise = None
    for year in YEARS:
        removed = {"count": 0}
        Case = apps.get_model("cases", "Case")
        for n, opened in enumerate(_plan(year)):
            opener = openers[n % len(orgs)]
            if opener is None or Case.objects.filter(created_by=opener, created_at=opened).exists():
                continue
            case = _history_case(year, n, opened, opener, inspector, administrator, removed, counts)
            if anonymise is None and year == YEARS[0] and case.status == "closed":
                anonymise = case
    if anonymise is not None:
        # A person asked for their data to be erased once the case was over: the retention
        # service removes it early, keeping what the annual report counts.
        from apps.cases.retention import case_anonymise

        with time_machine.travel(anonymise.closed_at + 60 * DAY, tick=False):
            case_anonymise(case=anonymise, actor=administrator)
    if stdout:
        stdout.write(
            f"  {counts['cases']} history cases, {counts['screenings']} screenings, "
            f"{counts['removals']} removals, {counts['referrals']} referrals over "
            f"{YEARS[0]}-{YEARS[-1]} (training comes from the training demo)"
        )
    return {"years": list(YEARS), **counts}


def _history_case(year, n, opened, opener, inspector, administrator, removed, counts):
    from apps.cases import services as cases
    from apps.screening.demo import PATTERNS
    from apps.screening.services import screening_create

    clock = _Clock()
    with clock.at(opened):
        case = cases.case_open(
            actor=opener,
            person={
                "given_name": GIVEN[(n + year) % len(GIVEN)],
                "family_name": FAMILY[(n * 3 + year) % len(FAMILY)],
                "sex": SEXES[(n // 3 + year) % len(SEXES)],
                "date_of_birth": datetime.date(BIRTH_YEARS[n % len(BIRTH_YEARS)], 1 + n % 12, 10),
                "citizenship": CITIZENSHIP[n % len(CITIZENSHIP)],
                "languages": ["ru"],
            },
            region=opener.organization.region,
            sector=SECTORS[(n + n // 12 + year) % len(SECTORS)],
            identified_via="labour_inspection" if n % 2 else "ngo_outreach",
            entry_date=(opened - 20 * DAY).date(),
            stay_basis="eaeu_90_days" if n % 3 else "none",
            note="Demo history case: invented person, for the annual report.",
        )
    counts["cases"] += 1
    flagged = _pattern(n, year) in (0, 1)
    removal = _propose(case, n, opened + datetime.timedelta(hours=2), inspector, flagged, clock)
    completed = opened + DAY
    if not clock.possible(completed):
        return case
    answers, debt = PATTERNS[_pattern(n, year)]
    with clock.at(completed):
        screening = screening_create(
            actor=inspector,
            case=case,
            answers=answers,
            debt=debt,
            interview_language="ru",
            interpreter_used=bool(n % 2),
            consent_given=True,
        )
    counts["screenings"] += 1
    if removal is not None:
        counts["removals"] += _decide(
            removal, screening, n, year, inspector, administrator, removed, clock
        )
    counts["referrals"] += _refer(case, screening, n, year, opener, clock)
    case.refresh_from_db()
    if screening.trafficking == "presumed_victim" and n % 2 == 0:
        identified = completed + 40 * DAY
        if clock.possible(identified):
            from apps.protection.services import identification_record

            with clock.at(identified):
                # The competent authority's formal decision, recorded by an administrator.
                identification_record(
                    actor=administrator,
                    case=case,
                    authority="Межведомственная комиссия по вопросам борьбы с торговлей людьми",
                    decision_number=f"IC-{year}-{n:04d}",
                    decided_on=timezone.localdate(),
                    outcome="identified",
                )
                case.refresh_from_db()
    if year < timezone.localdate().year:
        closing = clock.last + 3 * DAY
        if clock.possible(closing):
            case.refresh_from_db()
            try:
                with clock.at(closing):
                    _refusal_if_never_referred(case, opener)
                    case = cases.case_close(
                        case=case,
                        actor=opener,
                        outcome=OUTCOMES[n % len(OUTCOMES)],
                        version=case.version,
                    )
            except WorkflowError:
                # A flagged person whose referral was declined: the case stays open until
                # someone refers the person elsewhere, as the product requires.
                pass
    return case


def _refusal_if_never_referred(case, caseworker) -> None:
    """A flagged person nobody referred was offered help and refused it: the caseworker
    records the refusal, the other way a flagged person's case may close."""
    from apps.referrals import services as referrals
    from apps.referrals.guards import FLAGGED_STATUSES

    if case.victim_status not in FLAGGED_STATUSES or case.referrals.exists():
        return
    referrals.assistance_refusal_record(
        actor=caseworker,
        case=case,
        refused_on=timezone.localdate(),
        informed_of_rights=True,
        notes="Told of their rights and the services; wished only to find other work.",
    )


def _propose(case, n: int, at, inspector, flagged: bool, clock):
    """Most history cases came in with a removal proposed before the screening."""
    from apps.removals.services import removal_propose

    if (flagged and n % 4 == 3) or (not flagged and n % 3 == 1) or not clock.possible(at):
        return None
    with clock.at(at):
        from apps.removals.demo import lawful_grounds

        grounds = ["overstay", "document_violation", "illegal_employment"][n % 3]
        return removal_propose(actor=inspector, case=case, grounds=lawful_grounds(case, grounds))


def _decide(removal, screening, n, year, inspector, administrator, removed, clock) -> int:
    """Decide the removal as the removals service allows.

    Removals of people the screening did not flag are decided ten days after it; removals of
    flagged people were suspended by the screening and, after the reflection period, decided
    by an administrator's override, in early years sometimes so late that the screening had
    gone stale (so fewer decisions count as screened).
    """
    from apps.removals.services import removal_decide, removal_override

    completed = screening.completed_at
    if not screening.flagged:
        decided = completed + 10 * DAY
        if clock.possible(decided):
            with clock.at(decided):
                removal_decide(
                    actor=inspector, removal=removal, decision="remove" if n % 2 else "no_removal"
                )
        return 1
    screened = (n % 10) < REMOVALS_SCREENED[year] * 10
    decided = completed + (28 if screened else 45) * DAY
    if not clock.possible(decided):
        return 1
    # Only an override on art. 13(3)'s grounds removes a flagged person, after a screening
    # still valid; "no removal" is decided directly, also on a stale screening.
    remove = screened and removed["count"] < FLAGGED_REMOVED.get(year, 0)
    with clock.at(decided):
        if remove:
            removal_override(
                actor=administrator,
                removal=removal,
                decision="remove",
                grounds="improper_claim",
                justification=OVERRIDE_JUSTIFICATION,
            )
        else:
            removal_decide(actor=administrator, removal=removal, decision="no_removal")
    removed["count"] += int(remove)
    return 1


def _refer(case, screening, n: int, year: int, sender, clock) -> int:
    """Presumed victims (and some possible victims) referred to another organisation's service."""
    from apps.referrals import services as referrals

    Service = apps.get_model("referrals", "Service")
    User = apps.get_model("accounts", "User")
    result = screening.trafficking
    if result != "presumed_victim" and not (result == "possible_victim" and n % 2 == 0):
        return 0
    services = list(
        Service.objects.exclude(organization=case.organization)
        .filter(accepting=True, organization__is_active=True)
        .select_related("organization")
        .order_by("pk")
    )
    if not services:
        return 0
    service = services[n % len(services)]
    on_time = (n % 10) < PRESUMED_REFERRED[year] * 10
    sent = screening.completed_at + (2 if on_time else 12) * DAY
    if not clock.possible(sent):
        return 0
    with clock.at(sent):
        referral = referrals.referral_send(
            actor=sender,
            case=case,
            service=service,
            consent_given=True,
            reason="Referred after the screening flagged indicators of trafficking.",
            urgency="urgent" if result == "presumed_victim" else "routine",
            shared_fields=["name", "sex", "languages"],
        )
    receiver = (
        User.objects.filter(organization=service.organization, is_active=True)
        .exclude(role="auditor")
        .order_by("pk")
        .first()
    )
    answered = sent + (1 + n % 4) * DAY
    if receiver is None or not clock.possible(answered):
        return 1
    with clock.at(answered):
        if n % 7 == 5:
            referrals.referral_decline(
                actor=receiver, referral=referral, reason="No free place this month."
            )
            return 1
        referral = referrals.referral_accept(actor=receiver, referral=referral)
    done = answered + 30 * DAY
    # Some services of this year are still being provided.
    if clock.possible(done) and not (year == timezone.localdate().year and n % 6 == 2):
        with clock.at(done):
            referrals.referral_complete(
                actor=receiver, referral=referral, outcome="Service provided."
            )
    return 1
