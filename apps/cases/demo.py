"""Demo cases: about thirty migrants across the demo organisations, opened through the services.

Each case is opened (and closed) at a moment in the past with `time_machine.travel`, so the
services stamp created_at, the timeline and the audit trail themselves. Besides the ordinary
cases the demo holds the awkward states real data has: cases without identity documents,
cases nobody is assigned to, and cases, notes and events written by a caseworker who has
since left (a deactivated account)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import time_machine
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.services import user_deactivate

from . import services
from .models import Case
from .search import name_hash

# username of the opener, family name, given name, sex, birth year, citizenship, languages,
# region, sector, identified via, days since entry, stay basis, document held by, wage
# (promised, actual, currency), hours (promised, actual), closed outcome or ""
CASES = [
    ("caseworker.astana", "Karimov", "Aziz", "male", 1994, "UZ", ["uz", "ru"], "astana",
     "construction", "ngo_outreach", 160, "visa_free", "employer",
     (350000, 120000, "KZT"), (48, 84), ""),
    ("caseworker.astana", "Rahimova", "Dilnoza", "female", 1999, "UZ", ["uz"], "astana",
     "domestic_work", "hotline", 75, "visa_free", "employer", (250000, 0, "KZT"), (40, 90), ""),
    ("caseworker.astana", "Nazarov", "Farrukh", "male", 1988, "TJ", ["tg", "ru"], "astana",
     "construction", "labour_inspection", 20, "visa_free", "self",
     (300000, 300000, "KZT"), (48, 50), ""),
    ("caseworker.astana", "Tursunova", "Gulnora", "female", 2001, "TJ", ["tg"], "astana",
     "hospitality", "self_referral", 130, "none", "recruiter", (200000, 60000, "KZT"),
     (40, 70), ""),
    ("caseworker.astana", "Asanov", "Bakyt", "male", 1991, "KG", ["ky", "ru"], "astana",
     "trade", "ngo_outreach", 45, "eaeu_90_days", "self", (280000, 260000, "KZT"), (48, 56),
     "Wages paid after mediation; no indicators remain."),
    ("caseworker.astana", "Saidov", "Jamshid", "male", 1985, "UZ", ["uz", "ru"], "akmola",
     "agriculture", "police", 210, "visa_free", "employer", (200000, 40000, "KZT"), (48, 98),
     ""),
    ("caseworker.almaty", "Ergasheva", "Malika", "female", 1997, "UZ", ["uz", "ru"],
     "almaty_city", "trade", "hotline", 35, "visa_free", "self", (220000, 150000, "KZT"),
     (48, 66), ""),
    ("caseworker.almaty", "Sharipov", "Umed", "male", 1993, "TJ", ["tg", "ru"], "almaty_city",
     "repair_services", "ngo_outreach", 100, "visa_free", "employer", (260000, 90000, "KZT"),
     (48, 80), ""),
    ("caseworker.almaty", "Toktogulova", "Aizada", "female", 2000, "KG", ["ky", "ru"],
     "almaty_region", "agriculture", "labour_inspection", 95, "eaeu_90_days", "recruiter",
     (180000, 50000, "KZT"), (40, 84), ""),
    ("caseworker.almaty", "Ismoilov", "Sherzod", "male", 1990, "UZ", ["uz"], "almaty_city",
     "construction", "migration_control", 12, "visa_free", "self", None, None,
     "Returned home with IOM assistance."),
    ("caseworker.shymkent", "Yuldasheva", "Nodira", "female", 1996, "UZ", ["uz", "ru"],
     "shymkent", "sex_industry", "police", 55, "none", "recruiter", None, None, ""),
    ("caseworker.shymkent", "Khodjaev", "Sanjar", "male", 1987, "UZ", ["uz"], "turkistan",
     "agriculture", "ngo_outreach", 140, "visa_free", "employer", (150000, 0, "KZT"),
     (48, 91), ""),
    ("caseworker.shymkent", "Rakhmonov", "Firdavs", "male", 2004, "TJ", ["tg"], "shymkent",
     "begging", "hotline", 40, "visa_free", "unknown", None, None, ""),
    ("caseworker.shymkent", "Mirzaeva", "Shahlo", "female", 1992, "UZ", ["uz", "ru"],
     "shymkent", "manufacturing", "self_referral", 10, "visa_free", "self",
     (200000, 180000, "KZT"), (48, 52), ""),
    ("caseworker.omsk", "Abdullaev", "Rustam", "male", 1989, "UZ", ["uz", "ru"], "ru_omsk",
     "construction", "ngo_outreach", 120, "visa_free", "employer", (60000, 20000, "RUB"),
     (48, 84), ""),
    ("caseworker.omsk", "Kadyrova", "Zarina", "female", 1998, "KG", ["ky", "ru"], "ru_omsk",
     "hospitality", "hotline", 30, "temporary_residence_permit", "self",
     (45000, 45000, "RUB"), (40, 44), ""),
    ("caseworker.omsk", "Zhumabekov", "Nurlan", "male", 1984, "KZ", ["kk", "ru"], "ru_omsk",
     "timber", "police", 110, "eaeu_90_days", "employer", (70000, 15000, "RUB"), (48, 96), ""),
    ("caseworker.orenburg", "Hakimov", "Behruz", "male", 1995, "TJ", ["tg", "ru"],
     "ru_orenburg", "agriculture", "border_checkpoint", 25, "visa_free", "self", None, None,
     ""),
    ("caseworker.orenburg", "Usmonova", "Mohira", "female", 2002, "TJ", ["tg"], "ru_orenburg",
     "domestic_work", "ngo_outreach", 180, "none", "employer", (30000, 0, "RUB"), (40, 100),
     ""),
    ("caseworker.orenburg", "Aliev", "Elchin", "male", 1986, "AZ", ["az", "ru"], "ru_orenburg",
     "trade", "self_referral", 60, "visa_free", "self", (50000, 40000, "RUB"), (48, 60),
     "Referred to legal aid; wage claim settled."),
    ("inspector.astana", "Musaev", "Ilhom", "male", 1990, "UZ", ["uz", "ru"], "astana",
     "construction", "labour_inspection", 70, "visa_free", "employer", (320000, 100000, "KZT"),
     (48, 77), ""),
    ("inspector.astana", "Bekmuratov", "Talant", "male", 1994, "KG", ["ky"], "astana",
     "construction", "labour_inspection", 91, "eaeu_employment_contract", "self", (300000, 280000, "KZT"),
     (48, 54), ""),
    ("inspector.astana", "Qodirova", "Sevara", "female", 1999, "UZ", ["uz"], "astana",
     "hospitality", "labour_inspection", 15, "visa_free", "self", (230000, 230000, "KZT"),
     (40, 40), ""),
    ("inspector.almaty", "Safarov", "Daler", "male", 1983, "TJ", ["tg", "ru"], "almaty_city",
     "manufacturing", "labour_inspection", 150, "visa_free", "employer",
     (240000, 70000, "KZT"), (48, 88), ""),
    ("inspector.almaty", "Kurbanova", "Dildora", "female", 1996, "UZ", ["uz", "ru"],
     "almaty_city", "trade", "labour_inspection", 28, "visa_free", "self",
     (210000, 200000, "KZT"), (48, 50), ""),
    ("inspector.almaty", "Chen", "Wei", "male", 1980, "CN", ["zh"], "almaty_region",
     "construction", "migration_control", 200, "visa", "employer", (400000, 150000, "KZT"),
     (48, 72), ""),
    ("inspector.shymkent", "Tashkentov", "Otabek", "male", 1992, "UZ", ["uz"], "shymkent",
     "agriculture", "migration_control", 48, "visa_free", "recruiter",
     (180000, 30000, "KZT"), (48, 90), ""),
    ("inspector.shymkent", "Normatova", "Feruza", "female", 2003, "UZ", ["uz"], "turkistan",
     "agriculture", "migration_control", 33, "visa_free", "self", (150000, 140000, "KZT"),
     (48, 56), ""),
    ("inspector.shymkent", "Davletov", "Amir", "male", 1997, "TM", ["tk", "ru"], "shymkent",
     "construction", "migration_control", 65, "visa", "employer", (250000, 80000, "KZT"),
     (48, 84), ""),
    ("inspector.shymkent", "Sultanov", "Azamat", "male", 1989, "KG", ["ky", "ru"], "shymkent",
     "transport", "migration_control", 89, "eaeu_90_days", "self", (270000, 270000, "KZT"),
     (48, 48), ""),
]  # fmt: skip

# Opened by a caseworker who then left the organisation (see apps.accounts.demo.FORMER_USERS).
FORMER_CASES = [
    ("caseworker.former", "Karimova", "Nigora", "female", 1993, "UZ", ["uz", "ru"],
     "almaty_city", "domestic_work", "hotline", 150, "visa_free", "employer",
     (200000, 50000, "KZT"), (40, 80), ""),
    ("caseworker.former", "Boboev", "Sukhrob", "male", 1990, "TJ", ["tg", "ru"],
     "almaty_region", "construction", "ngo_outreach", 120, "visa_free", "self", None, None, ""),
]  # fmt: skip
FORMER_NOTES = [
    "Met the person at the bus station; phone number changes often, call the sister first.",
    "Employer refused to return the passport; advised the person on a complaint to police.",
]

# Indices (into CASES) opened without any identity document: the person had none with them.
WITHOUT_DOCUMENTS = {12, 17}
# Indices whose caseworker assignment is cleared after opening (nobody picked the case up yet).
UNASSIGNED = {21, 24}

# Indices recorded with a recruitment debt: the debts their screenings find (apps.screening.demo
# PATTERNS), so a new screening of the case starts from what the case page shows.
DEBT_FIELDS = ("recruitment_debt_amount", "recruitment_debt_currency", "recruitment_debt_creditor")
DEBTS = {
    0: (Decimal("450000"), "KZT", "recruiter"),
    16: (Decimal("60000"), "RUB", "employer"),
}

DEMO_NOTE = "Demo case: invented person, for training and demonstration only."


def _key(username: str, family: str, given: str):
    return Case.objects.filter(
        created_by__username=username,
        person__family_name_hash=name_hash(family),
        person__given_name_hash=name_hash(given),
    )


def demo_cases() -> list[Case | None]:
    """The cases of CASES in order (None where a row's case does not exist)."""
    return [_key(row[0], row[1], row[2]).first() for row in CASES]


def _moment(day: date, hour: int) -> datetime:
    # Never in the future: a case "opened three days after entry" entered yesterday opens now.
    at = timezone.make_aware(datetime.combine(day, time(hour, 20)))
    return min(at, timezone.now() - timedelta(hours=1))


def _open(index: int, row: tuple, actor, today: date) -> Case:
    (username, family, given, sex, born, citizenship, languages, region, sector, via,
     days_ago, basis, held_by, wage, hours, outcome) = row  # fmt: skip
    entry = today - timedelta(days=days_ago)
    permit = None
    if basis == "temporary_residence_permit":
        permit = today + timedelta(days=240)
    elif basis == "visa":
        permit = entry + timedelta(days=89)
    elif basis == "eaeu_employment_contract":
        # A one-year construction contract: the stay lasts its term (EAEU Treaty art. 97(5)).
        permit = entry + timedelta(days=364)
    elif basis == "patent":
        permit = entry + timedelta(days=180)
    employment = None
    if wage:
        employment = {
            "employer": f"{['Stroi', 'Agro', 'Market', 'Service'][index % 4]}-{index + 1} LLP",
            "sector": sector,
            "region": region,
            "started_on": entry + timedelta(days=3),
            "promised_wage_amount": Decimal(wage[0]),
            "promised_wage_currency": wage[2],
            "actual_wage_amount": Decimal(wage[1]),
            "actual_wage_currency": wage[2],
            "promised_hours_per_week": hours[0],
            "actual_hours_per_week": hours[1],
        }
    documents = []
    if index not in WITHOUT_DOCUMENTS:
        documents = [
            {
                "kind": "passport",
                "number": f"{citizenship}{7300000 + index * 7919}",
                "issuing_country": citizenship,
                "held_by": held_by,
            },
            {"kind": "migration_card", "number": f"MC{index:05d}", "held_by": "self"},
        ]
    debt = dict(zip(DEBT_FIELDS, DEBTS[index], strict=True)) if index in DEBTS else {}
    opened = _moment(entry + timedelta(days=3), 9 + index % 8)
    with time_machine.travel(opened, tick=False):
        case = services.case_open(
            actor=actor,
            person={
                "given_name": given,
                "family_name": family,
                "sex": sex,
                "date_of_birth": date(born, 1 + index % 12, 1 + index % 27),
                "citizenship": citizenship,
                "languages": languages,
                "phone": f"+7 701 555 {index:04d}",
            },
            region=region,
            sector=sector,
            identified_via=via,
            entry_date=entry,
            border_crossing_point=["Zhibek Zholy", "Kairak", "Korday", "Sagarchin", "Isilkul"][
                index % 5
            ],
            stay_basis=basis,
            permit_valid_until=permit,
            documents=documents,
            employment=employment,
            note=DEMO_NOTE,
            **debt,
        )
    if outcome:
        with time_machine.travel(_moment(opened.date() + timedelta(days=21), 15), tick=False):
            case = services.case_close(
                case=case, actor=actor, outcome=outcome, version=case.version
            )
    return case


def _unassign(case: Case, actor, at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        services.case_update(
            case=case, actor=actor, version=case.version, data={"assigned_to": None}
        )


@transaction.atomic
def seed(*, stdout=None) -> dict:
    """Open the demo cases (once: a second run leaves existing demo cases alone)."""
    today = timezone.localdate()
    services.stay_rules_seed_defaults()
    rows = [*CASES, *FORMER_CASES]
    users = {u.username: u for u in User.objects.filter(username__in={c[0] for c in rows})}
    administrator = User.objects.filter(role="administrator", is_active=True).order_by("pk").first()
    created = 0
    for index, row in enumerate(CASES):
        actor = users.get(row[0])
        if actor is None or not actor.is_active or _key(row[0], row[1], row[2]).exists():
            continue
        case = _open(index, row, actor, today)
        if index in UNASSIGNED:
            _unassign(case, actor, case.created_at + timedelta(hours=2))
        created += 1
    created += _seed_former(users, administrator, today)
    if stdout is not None:
        stdout.write(f"  {created} demo cases opened")
    return {"cases": created}


def _seed_former(users: dict, administrator, today: date) -> int:
    """Cases and notes of a caseworker who later left; the account is then deactivated."""
    former = users.get("caseworker.former")
    if former is None or not former.is_active:
        return 0
    colleague = (
        User.objects.filter(organization=former.organization, role="caseworker", is_active=True)
        .exclude(pk=former.pk)
        .order_by("pk")
        .first()
    )
    created = 0
    last = None
    for offset, row in enumerate(FORMER_CASES):
        if _key(row[0], row[1], row[2]).exists():
            continue
        case = _open(len(CASES) + offset, row, former, today)
        with time_machine.travel(case.created_at + timedelta(days=4), tick=False):
            services.case_note_add(case=case, actor=former, text=FORMER_NOTES[offset])
        last = case
        created += 1
    if administrator is not None and last is not None:
        left = min(last.created_at + timedelta(days=30), timezone.now() - timedelta(hours=1))
        with time_machine.travel(left, tick=False):
            user_deactivate(user=former, actor=administrator)
        # One of their cases waits for someone to pick it up; the other still names them.
        if colleague is not None:
            last.refresh_from_db()
            _unassign(last, colleague, left + timedelta(hours=1))
    return created
