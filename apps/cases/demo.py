"""Demo cases: about thirty migrants across the demo organisations, opened through the services."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User

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
     "construction", "labour_inspection", 91, "eaeu_90_days", "self", (300000, 280000, "KZT"),
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

DEMO_NOTE = "Demo case: invented person, for training and demonstration only."


@transaction.atomic
def seed(*, stdout=None) -> dict:
    """Open the demo cases (once: a second run leaves existing demo cases alone)."""
    today = timezone.localdate()
    services.stay_rules_seed_defaults()
    users = {u.username: u for u in User.objects.filter(username__in={c[0] for c in CASES})}
    created = 0
    for index, row in enumerate(CASES):
        (username, family, given, sex, born, citizenship, languages, region, sector, via,
         days_ago, basis, held_by, wage, hours, outcome) = row  # fmt: skip
        actor = users.get(username)
        if actor is None:
            continue
        if Case.objects.filter(
            created_by=actor,
            person__family_name_hash=name_hash(family),
            person__given_name_hash=name_hash(given),
        ).exists():
            continue
        entry = today - timedelta(days=days_ago)
        permit = None
        if basis == "temporary_residence_permit":
            permit = today + timedelta(days=240)
        elif basis == "visa":
            permit = entry + timedelta(days=89)
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
            documents=[
                {
                    "kind": "passport",
                    "number": f"{citizenship}{7300000 + index * 7919}",
                    "issuing_country": citizenship,
                    "held_by": held_by,
                },
                {"kind": "migration_card", "number": f"MC{index:05d}", "held_by": "self"},
            ],
            employment=employment,
            note=DEMO_NOTE,
        )
        if outcome:
            services.case_close(case=case, actor=actor, outcome=outcome, version=case.version)
        created += 1
    if stdout is not None:
        stdout.write(f"  {created} demo cases opened")
    return {"cases": created}
