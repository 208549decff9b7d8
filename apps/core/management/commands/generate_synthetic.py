"""Synthetic data at national scale: `manage.py generate_synthetic --cases N` (PostgreSQL only).

People, documents, stays, employment, notes, timelines, screenings (with the answer patterns
of the screening demo, evaluated once by the real engine), removals, referrals, proceedings and
training over several years, written with COPY by two worker processes.

Rows are written with COPY, so model save() and the services are not run. To stay correct when
models change (encrypted personal fields, hash columns), every table's column list comes from
the model's concrete fields and each value passes through the field's own get_db_prep_value
when the field is not a plain Django field (encrypted fields encrypt themselves); a field the
generator gives no value gets its model default.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import multiprocessing
import os
import random
import secrets
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyotp
from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, models, transaction
from django.utils import timezone

from apps.core.safety import refuse_in_production
from apps.reports.history import history_invalidate


def default_credentials_file() -> Path:
    """Where the bench accounts' secrets go: outside the repository, readable by this user only
    (loadtest/locustfile.py reads the same place)."""
    configured = os.environ.get("CASEMGR_BENCH_CREDENTIALS")
    if configured:
        return Path(configured)
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "casemgr" / "bench-credentials.json"


def credentials_path(path: Path | None) -> Path:
    """The file for the bench accounts' secrets, refused inside the repository."""
    path = (path or default_credentials_file()).expanduser().resolve()
    if path.is_relative_to(Path(settings.BASE_DIR).resolve()):
        raise CommandError(
            f"{path} is inside the repository: keep the bench accounts' secrets outside it."
        )
    return path


def write_credentials(path: Path) -> dict[str, str]:
    """A fresh password and TOTP secret for the bench accounts, written to `path` (mode 0600)
    before any account gets them. Never published: every run makes new ones."""
    credentials = {
        "password": secrets.token_urlsafe(24),
        # Administrators must give a second factor; the load test computes codes from this.
        "totp_secret": pyotp.random_base32(),
        "database": str(connection.settings_dict.get("NAME", "")),
        "written_at": timezone.now().isoformat(timespec="seconds"),
    }
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(credentials, handle, indent=2)
    os.replace(temporary, path)
    return credentials


CHUNK = 10_000

GIVEN_MALE = [
    "Akmal",
    "Alisher",
    "Anvar",
    "Aziz",
    "Bakhodir",
    "Bekzod",
    "Davron",
    "Dilshod",
    "Farkhod",
    "Firdavs",
    "Ibrokhim",
    "Islom",
    "Jasur",
    "Kamoliddin",
    "Khurshid",
    "Mirzo",
    "Nodir",
    "Otabek",
    "Rustam",
    "Sardor",
    "Sherzod",
    "Shokhrukh",
    "Timur",
    "Ulugbek",
    "Zafar",
    "Abdullo",
    "Behruz",
    "Faridun",
    "Jamshed",
    "Manuchehr",
    "Rustam",
    "Sino",
    "Suhrob",
    "Umed",
    "Azamat",
    "Bakyt",
    "Chyngyz",
    "Daniyar",
    "Emil",
    "Kanat",
    "Nurlan",
    "Talant",
    "Tilek",
    "Ermek",
    "Aibek",
    "Ruslan",
    "Sergei",
    "Ivan",
]
GIVEN_FEMALE = [
    "Dilnoza",
    "Gulnora",
    "Kamola",
    "Madina",
    "Malika",
    "Mokhira",
    "Nigora",
    "Nilufar",
    "Sevara",
    "Shakhnoza",
    "Zarina",
    "Zulfiya",
    "Farangis",
    "Gulchehra",
    "Mehrangez",
    "Nozanin",
    "Parvina",
    "Shabnam",
    "Tahmina",
    "Aigerim",
    "Aizhan",
    "Asel",
    "Bermet",
    "Cholpon",
    "Gulnara",
    "Jyldyz",
    "Nazgul",
    "Saule",
    "Elena",
    "Olga",
]
FAMILY = [
    "Abdullaev",
    "Aliev",
    "Akhmedov",
    "Azimov",
    "Bakirov",
    "Davletov",
    "Ergashev",
    "Fayzullaev",
    "Ganiev",
    "Hamidov",
    "Ibragimov",
    "Ismoilov",
    "Juraev",
    "Karimov",
    "Khodjaev",
    "Mirzaev",
    "Nazarov",
    "Normatov",
    "Rakhimov",
    "Rashidov",
    "Saidov",
    "Salimov",
    "Sharipov",
    "Tursunov",
    "Umarov",
    "Usmanov",
    "Yusupov",
    "Zakirov",
    "Davlatov",
    "Sangov",
    "Rahmonov",
    "Kurbonov",
    "Nabiev",
    "Safarov",
    "Asanov",
    "Bakiev",
    "Dzhumabaev",
    "Isakov",
    "Mamatov",
    "Osmonov",
    "Sadykov",
    "Toktogulov",
    "Zhumabekov",
    "Ivanov",
    "Petrov",
]
CITIZENSHIPS = (("UZ", 45), ("TJ", 25), ("KG", 20), ("RU", 3), ("AZ", 2), ("TM", 2), ("AF", 3))
LANGUAGES = {
    "UZ": ["uz", "ru"],
    "TJ": ["tg", "ru"],
    "KG": ["ky", "ru"],
    "RU": ["ru"],
    "AZ": ["az", "ru"],
    "TM": ["tk", "ru"],
    "AF": ["fa"],
}
STAY_DAYS = {"KG": 90, "RU": 90}  # EAEU 90 days, everyone else 30 (apps.cases.stay)
# Flagged statuses rank so that none downgrades another (apps.protection.services.RANK).
RANK = {"not_assessed": 0, "possible": 1, "presumed": 2, "identified": 3}
CROSSINGS = ("Zhibek Zholy", "Kordai", "Karasu", "Aul", "Almaty airport", "Astana airport", "")
EMPLOYERS = (
    "StroyInvest LLP",
    "Agro-Yug",
    "Almaty Market Trading",
    "TransLogistic",
    "Kazakh Timber",
    "Bereke Construction",
    "Private household",
    "Hotel Saryarka",
    "Car wash on Raiymbek",
    "Greenhouse Kaskelen",
)
NOTES = (
    "Met at the construction site during the joint inspection; says the passport is with the "
    "foreman.",
    "Called the hotline from a relative's phone. Wants to go home but owes the recruiter.",
    "Interview with an interpreter (Uzbek). Works 12 hours a day, paid half of what was promised.",
    "Follow-up visit: employer returned the documents after the inspection.",
    "Referred to the shelter; consent recorded on paper, scanned copy in the file.",
    "Person asked not to be contacted at the workplace.",
)


def _weighted(rng: random.Random, pairs) -> Any:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _is_plain(field: models.Field) -> bool:
    """A Django field whose Python values psycopg writes as they are."""
    return type(field).__module__.startswith("django.") and not isinstance(field, models.JSONField)


class Table:
    """A model's table for COPY: its concrete columns and how each value is prepared."""

    def __init__(self, model, *, with_id: bool):
        from psycopg.types.json import Jsonb

        self.model = model
        self.name = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.columns = [f.column for f in self.fields]
        self.defaults: dict[str, Any] = {}
        self.preps = []
        for f in self.fields:
            if f.has_default() or not f.null:
                self.defaults[f.attname] = f.get_default()
            if isinstance(f, models.JSONField) and type(f) is models.JSONField:
                self.preps.append(Jsonb)
            elif _is_plain(f):
                self.preps.append(None)
            else:
                self.preps.append(_cached_prep(f))
        self.attnames = [f.attname for f in self.fields]
        self.rows: list[tuple] = []
        # Columns derived from others in save() (the keyed search hashes): COPY skips save(),
        # so the model's own derived_update_fields computes them on an unsaved instance.
        from apps.core.models import VersionedModel

        derive = getattr(model, "derived_update_fields", None)
        self.derives = derive is not None and derive is not VersionedModel.derived_update_fields

    def add(self, **values) -> None:
        if self.derives:
            # The model's own method, run on the row's values (cheaper than an instance).
            self.model.derived_update_fields(_Row(self.model, values), None)
        row = []
        defaults = self.defaults
        for attname, prep in zip(self.attnames, self.preps, strict=True):
            value = values[attname] if attname in values else defaults.get(attname)
            if prep is not None and value is not None:
                value = prep(value)
            row.append(value)
        self.rows.append(tuple(row))

    def flush(self, cursor) -> int:
        if not self.rows:
            return 0
        sql = f'COPY "{self.name}" ({", ".join(f"{c!s}" for c in self.columns)}) FROM STDIN'
        with cursor.copy(sql) as copy:
            for row in self.rows:
                copy.write_row(row)
        n = len(self.rows)
        self.rows = []
        return n


class _Row:
    """A row's values seen as a model instance by the model's derived_update_fields."""

    def __init__(self, model, values: dict):
        object.__setattr__(self, "_model", model)
        object.__setattr__(self, "_values", values)

    def __getattr__(self, name):
        values = object.__getattribute__(self, "_values")
        if name in values:
            return values[name]
        return getattr(object.__getattribute__(self, "_model"), name)

    def __setattr__(self, name, value):
        self._values[name] = value


def _cached_prep(field: models.Field):
    """The field's own get_db_prep_value (encryption), once per distinct value in a worker.

    Names, notes and reasons repeat across synthetic rows; they then share one ciphertext,
    which saves the encryption time but not the storage or the decryption on every read.
    """
    cache: dict = {}

    def prep(value):
        try:
            return cache[value]
        except KeyError:
            out = field.get_db_prep_value(value, connection, prepared=False)
            if len(cache) < 50_000:
                cache[value] = out
            return out
        except TypeError:  # unhashable
            return field.get_db_prep_value(value, connection, prepared=False)

    return prep


def _model(label: str):
    return apps.get_model(label)


def _screening_patterns() -> list[tuple[int, dict, dict | None, dict]]:
    """(weight, answers, debt, evaluated fields) per answer pattern, evaluated once."""
    from apps.screening.demo import PATTERNS
    from apps.screening.engine import evaluate, risk_level

    weights = (7, 18, 55, 12, 8)  # presumed, possible, ordinary, cut short, forced labour
    out = []
    for weight, (answers, debt) in zip(weights, PATTERNS, strict=False):
        result = evaluate(answers)
        out.append(
            (
                weight,
                answers,
                debt,
                {
                    "result": result.to_dict(),
                    "trafficking": result.trafficking,
                    "forced_labour": result.forced_labour,
                    "debt_coercion": result.debt_coercion,
                    "risk_level": risk_level(result),
                },
            )
        )
    return out


class Plan:
    """What every worker needs: the shared records' ids and the id ranges to fill."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


def _setup(*, cases: int, years: list[int], stdout, credentials: dict[str, str]) -> Plan:
    """Organisations, users, services and training: few rows, written through the ORM."""
    from apps.accounts.models import Organization, TOTPDevice, User
    from apps.core.regions import Region

    Service = _model("referrals.Service")
    ServiceRegion = _model("referrals.ServiceRegion")
    ServiceLanguage = _model("referrals.ServiceLanguage")
    regions = [r for r in Region.values]
    password = make_password(credentials["password"])
    ngos, inspectorates = [], []
    caseworkers: dict[int, list[int]] = {}
    inspectors: dict[int, list[int]] = {}
    scale = max(1, min(10, cases // 100_000 + 1))
    with transaction.atomic():
        for i, region in enumerate(regions):
            for j in range(2):
                org, _ = Organization.objects.get_or_create(
                    name=f"Bench NGO {region} {j + 1}",
                    defaults={"kind": "ngo", "region": region, "languages": ["ru", "kk", "uz"]},
                )
                ngos.append(org)
            org, _ = Organization.objects.get_or_create(
                name=f"Bench labour inspectorate {region}",
                defaults={"kind": "labour_inspectorate", "region": region, "languages": ["ru"]},
            )
            inspectorates.append(org)
            del i
        users = []
        for org in ngos:
            for k in range(3 * scale):
                users.append((f"bench_cw_{org.pk}_{k}", "caseworker", org))
        for org in inspectorates:
            for k in range(4 * scale):
                users.append((f"bench_insp_{org.pk}_{k}", "inspector", org))
        users += [(f"bench_admin_{k}", "administrator", None) for k in range(1, 4)]
        users.append(("bench_auditor", "auditor", None))
        existing = set(
            User.objects.filter(username__startswith="bench_").values_list("username", flat=True)
        )
        User.objects.bulk_create(
            [
                User(
                    username=name,
                    role=role,
                    organization=org,
                    password=password,
                    is_staff=role == "administrator",
                    first_name=name.split("_")[1].title(),
                    last_name=name.rsplit("_", 1)[-1],
                    email=f"{name}@bench.invalid",
                    date_joined=timezone.make_aware(dt.datetime(years[0] - 1, 6, 1)),
                )
                for name, role, org in users
                if name not in existing
            ],
            batch_size=1000,
        )
        # Accounts from an earlier run take this run's secrets; that run's no longer sign in.
        User.objects.filter(username__startswith="bench_").update(password=password)
        for user in User.objects.filter(username__startswith="bench_"):
            if user.role == "caseworker":
                caseworkers.setdefault(user.organization_id, []).append(user.pk)
            elif user.role == "inspector":
                inspectors.setdefault(user.organization_id, []).append(user.pk)
            elif user.role == "administrator":
                TOTPDevice.objects.update_or_create(
                    user=user,
                    defaults={
                        "secret": credentials["totp_secret"],
                        "confirmed": True,
                        "last_used_step": 0,
                    },
                )
        services: list[tuple[int, int]] = []  # (service id, organisation id)
        kinds = ("shelter", "legal_aid", "medical", "psychosocial", "return_assistance")
        for org in ngos:
            for kind in kinds[: 2 + org.pk % 3]:
                service, created = Service.objects.get_or_create(
                    organization=org,
                    name=f"{kind.replace('_', ' ').title()} ({org.name})",
                    defaults={"service_type": kind, "capacity": 40, "eligible_sexes": []},
                )
                if created:
                    ServiceRegion.objects.create(service=service, region=org.region)
                    ServiceLanguage.objects.create(service=service, language="ru")
                services.append((service.pk, org.pk))
        _training(
            years=years, inspectors=inspectors, admin=User.objects.get(username="bench_admin_1")
        )
        admin_id = User.objects.get(username="bench_admin_1").pk
    with connection.cursor() as cursor:
        ids = {}
        for label in (
            "cases.Person",
            "cases.Case",
            "screening.Screening",
            "proceedings.Proceeding",
        ):
            table = _model(label)._meta.db_table
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608
            ids[label] = cursor.fetchone()[0] + 1
    return Plan(
        cases=cases,
        years=years,
        regions=regions,
        ngos=[(o.pk, o.region) for o in ngos],
        inspectorates={o.region: o.pk for o in inspectorates},
        caseworkers=caseworkers,
        inspectors=inspectors,
        services=services,
        admin_id=admin_id,
        person_base=ids["cases.Person"],
        case_base=ids["cases.Case"],
        screening_base=ids["screening.Screening"],
        proceeding_base=ids["proceedings.Proceeding"],
    )


def _training(*, years, inspectors, admin) -> None:
    TrainingSession = _model("training.TrainingSession")
    Attendance = _model("training.Attendance")
    if TrainingSession.objects.filter(title__startswith="Bench ").exists():
        return
    rng = random.Random(7)  # noqa: S311 - synthetic data, reproducible on purpose
    everyone = [uid for ids in inspectors.values() for uid in ids]
    topics = ("victim_identification", "forced_labour_indicators", "debt_bondage", "non_punishment")
    for year in years:
        for n in range(24):
            session = TrainingSession.objects.create(
                title=f"Bench {topics[n % 4].replace('_', ' ')} {year}-{n}",
                topic=topics[n % 4],
                date=dt.date(year, 1 + n % 12, 1 + n % 27),
                hours=Decimal(rng.choice(("4", "6", "8", "16"))),
                trainer_organization="IOM Kazakhstan",
                language="ru",
                location="Almaty",
                created_by=admin,
            )
            Attendance.objects.bulk_create(
                [
                    Attendance(
                        session=session,
                        inspector_id=uid,
                        passed=rng.random() < 0.85,
                        score=rng.randint(55, 100),
                        recorded_by=admin,
                    )
                    for uid in rng.sample(everyone, min(len(everyone), 15))
                ]
            )


def _aware(day: dt.date, rng: random.Random) -> dt.datetime:
    moment = dt.datetime.combine(day, dt.time(8 + rng.randrange(10), rng.randrange(60)))
    return timezone.make_aware(moment)


def _chunk(plan: Plan, index: int, patterns) -> dict[str, int]:
    """Write cases [index*CHUNK, (index+1)*CHUNK) of the plan and everything hanging off them."""
    from apps.cases.identity import Identity
    from apps.cases.matching import name_word_keys, person_keys
    from apps.screening.services import age_on

    # Reproducible, yet a second run (growing the database) does not repeat the first one.
    rng = random.Random(1_000_003 * (index + 1) + plan.case_base)  # noqa: S311
    tables = {
        "person": Table(_model("cases.Person"), with_id=True),
        # The cross-script matcher's keyed hashes (apps/cases/matching.py), as Person.save
        # would store them.
        "match_key": Table(_model("cases.PersonMatchKey"), with_id=False),
        "case": Table(_model("cases.Case"), with_id=True),
        # The name search's keys of each case (cases.CaseNameKey), as Case.save would store them.
        "name_key": Table(_model("cases.CaseNameKey"), with_id=False),
        "document": Table(_model("cases.IdentityDocument"), with_id=False),
        "employment": Table(_model("cases.Employment"), with_id=False),
        "note": Table(_model("cases.CaseNote"), with_id=False),
        "event": Table(_model("cases.CaseEvent"), with_id=False),
        "screening": Table(_model("screening.Screening"), with_id=True),
        "removal": Table(_model("removals.Removal"), with_id=False),
        "referral": Table(_model("referrals.Referral"), with_id=False),
        "proceeding": Table(_model("proceedings.Proceeding"), with_id=True),
        "identification": Table(_model("protection.Identification"), with_id=False),
    }
    Proceeding = _model("proceedings.Proceeding")
    through = Proceeding.cases.through
    links = Table(through, with_id=False)
    prefix = "KZ"
    years = plan.years
    # Later years see more cases: a programme that grows.
    year_weights = [(y, 1 + i) for i, y in enumerate(years)]
    today = timezone.localdate()
    start = index * CHUNK
    stop = min(plan.cases, start + CHUNK)
    pattern_pairs = [(p, p[0]) for p in patterns]
    catalogue_version = _catalogue_version()
    proceeding_base = plan.proceeding_base + index * 1000
    proceeding_n = 0
    victims: list[int] = []
    for i in range(start, stop):
        person_id = plan.person_base + i
        case_id = plan.case_base + i
        year = _weighted(rng, year_weights)
        opened = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        if opened > today:
            opened = today - dt.timedelta(days=rng.randrange(300))
        created_at = _aware(opened, rng)
        org_id, region = rng.choice(plan.ngos)
        if rng.random() < 0.15:
            region = rng.choice(plan.regions)
        staff = plan.caseworkers[org_id]
        creator = rng.choice(staff)
        citizenship = _weighted(rng, CITIZENSHIPS)
        sex = "male" if rng.random() < 0.68 else "female"
        given = rng.choice(GIVEN_MALE if sex == "male" else GIVEN_FEMALE)
        family = rng.choice(FAMILY) + ("a" if sex == "female" else "")
        father = rng.choice(GIVEN_MALE)
        middle = (
            (f"{father}ovich" if sex == "male" else f"{father}ovna") if rng.random() < 0.7 else ""
        )
        age = 15 + int(rng.betavariate(2, 4) * 45)
        dob = opened - dt.timedelta(days=age * 365 + rng.randrange(365))
        dob = dob if rng.random() < 0.93 else None
        who = Identity(given_name=given, family_name=family, middle_name=middle, date_of_birth=dob)
        for key in person_keys(who):
            tables["match_key"].add(person_id=person_id, key=key)
        for key in sorted(name_word_keys(who)):
            tables["name_key"].add(key=key, organization_id=org_id, case_id=case_id)
        entry = opened - dt.timedelta(days=rng.randrange(5, 400))
        stay_basis = "eaeu_90_days" if citizenship in STAY_DAYS else "visa_free"
        legal_until = entry + dt.timedelta(days=STAY_DAYS.get(citizenship, 30) - 1)
        sector = _weighted(
            rng,
            (
                ("construction", 35),
                ("agriculture", 20),
                ("trade", 12),
                ("domestic_work", 8),
                ("repair_services", 6),
                ("manufacturing", 6),
                ("hospitality", 5),
                ("transport", 4),
                ("sex_industry", 1),
                ("unknown", 3),
            ),
        )
        # Screenings: most cases are screened once, some twice.
        screenings = []
        if rng.random() < 0.82:
            screenings.append(_weighted(rng, pattern_pairs))
            if rng.random() < 0.15:
                screenings.append(_weighted(rng, pattern_pairs))
        risk, victim, identified_on, grounds_on = "not_screened", "not_assessed", None, None
        screening_rows = []
        when = opened
        for s_index, pattern in enumerate(screenings):
            _weight, answers, debt, ev = pattern
            # A later screening is on a later day, so "latest" is the same by date and by order.
            when = when + dt.timedelta(days=rng.randrange(1 if s_index else 0, 40))
            if when > today:
                when = today
            completed_at = _aware(when, rng)
            screening_id = plan.screening_base + 2 * i + s_index
            inspector_region = region if region in plan.inspectorates else plan.regions[0]
            screened_by = rng.choice(plan.inspectors[plan.inspectorates[inspector_region]])
            tables["screening"].add(
                id=screening_id,
                case_id=case_id,
                screened_by_id=screened_by,
                status="complete",
                answers=answers,
                debt_amount=Decimal(debt["amount"]) if debt else None,
                debt_currency=debt["currency"] if debt else "",
                debt_creditor=debt["creditor"] if debt else "",
                interview_language=LANGUAGES[citizenship][0],
                interpreter_used=rng.random() < 0.6,
                consent_given=True,
                catalogue_version=catalogue_version,
                # The patterns were evaluated without a list (as the generator computes them).
                indicator_list="",
                result=ev["result"],
                trafficking=ev["trafficking"],
                forced_labour=ev["forced_labour"],
                debt_coercion=ev["debt_coercion"],
                completed_at=completed_at,
                # As screening_complete sets it: age at the interview, in the local calendar.
                person_age=age_on(dob, timezone.localdate(completed_at)),
                inspector_certified=rng.random() < 0.7,
                created_at=completed_at - dt.timedelta(minutes=40),
            )
            screening_rows.append((screening_id, completed_at, ev))
            risk = ev["risk_level"]
            # Flagged statuses never downgrade each other (issue 16): a later possible-victim
            # screening leaves a presumed victim presumed.
            raised = {"presumed_victim": "presumed", "possible_victim": "possible"}.get(
                ev["trafficking"]
            )
            if raised and RANK[raised] > RANK[victim]:
                victim = raised
                grounds_on = grounds_on or when
            tables["event"].add(
                case_id=case_id,
                at=completed_at,
                actor_id=screened_by,
                kind="screening_completed",
                data={"screening_id": screening_id, "trafficking": ev["trafficking"]},
            )
        flagged = victim in ("presumed", "possible")
        if victim == "presumed" and rng.random() < 0.35:
            victim = "identified"
            identified_on = min(today, when + dt.timedelta(days=rng.randrange(5, 90)))
            # A competent authority's formal decision: what the annual report counts.
            tables["identification"].add(
                person_id=person_id,
                case_id=case_id,
                authority="Interagency commission",
                decision_number=f"SYN-{case_id}",
                decided_on=identified_on,
                outcome="identified",
                document="",
                document_type="",
                recorded_by_id=creator,
                recorded_at=_aware(identified_on, rng),
            )
        closed = opened < today - dt.timedelta(days=365) and rng.random() < 0.75
        closed_at = _aware(min(today, opened + dt.timedelta(days=rng.randrange(30, 360))), rng)
        tables["person"].add(
            id=person_id,
            given_name=given,
            family_name=family,
            middle_name=middle,
            sex=sex,
            date_of_birth=dob,
            citizenship=citizenship,
            languages=LANGUAGES[citizenship],
            phone=f"+7 7{rng.randrange(10**9):09d}" if rng.random() < 0.6 else "",
            email="",
            address=f"{rng.choice(('Almaty', 'Astana', 'Shymkent'))}, dormitory {rng.randrange(1, 90)}"
            if rng.random() < 0.5
            else "",
            created_at=created_at,
            # The person's protection status, as apps.protection.services keeps it (issue 16).
            protection_status=victim,
            grounds_on=grounds_on,
            reflection_until=grounds_on + dt.timedelta(days=30) if grounds_on else None,
            protection_changed_at=_aware(grounds_on, rng) if grounds_on else None,
        )
        reference = f"{prefix}-{year}-{_ref_number(plan, year, i):06d}"
        tables["case"].add(
            id=case_id,
            reference=reference,
            person_id=person_id,
            citizenship=citizenship,
            organization_id=org_id,
            assigned_to_id=rng.choice(staff) if rng.random() < 0.9 else None,
            status="closed" if closed else "open",
            region=region,
            sector=sector,
            identified_via=_weighted(
                rng,
                (
                    ("labour_inspection", 40),
                    ("migration_control", 20),
                    ("ngo_outreach", 15),
                    ("hotline", 10),
                    ("police", 8),
                    ("self_referral", 5),
                    ("border_checkpoint", 2),
                ),
            ),
            entry_date=entry,
            stay_basis=stay_basis,
            border_crossing_point=rng.choice(CROSSINGS),
            legal_stay_until=legal_until,
            risk_level=risk,
            victim_status=victim,
            identified_on=identified_on,
            outcome="Returned home with IOM assistance." if closed else "",
            closed_at=closed_at if closed else None,
            created_by_id=creator,
            created_at=created_at,
        )
        tables["event"].add(
            case_id=case_id,
            at=created_at,
            actor_id=creator,
            kind="case_opened",
            data={"reference": reference},
        )
        # Documents: nearly everyone has a passport; many a migration card.
        held = _weighted(rng, (("self", 86), ("employer", 9), ("recruiter", 3), ("unknown", 2)))
        number = f"{rng.choice(('FA', 'AA', 'AC', 'ID', 'P'))}{rng.randrange(10**7):07d}"
        tables["document"].add(
            case_id=case_id,
            kind="passport",
            number=number,
            issuing_country=citizenship,
            issued_on=entry - dt.timedelta(days=rng.randrange(100, 3000)),
            expires_on=entry + dt.timedelta(days=rng.randrange(100, 3000)),
            held_by=held,
            created_at=created_at,
        )
        if rng.random() < 0.55:
            card = f"{rng.randrange(10**10):010d}"
            tables["document"].add(
                case_id=case_id,
                kind="migration_card",
                number=card,
                issuing_country="KZ",
                issued_on=entry,
                held_by="self",
                created_at=created_at,
            )
        if rng.random() < 0.7:
            promised = Decimal(rng.randrange(150, 400) * 1000)
            tables["employment"].add(
                case_id=case_id,
                employer=rng.choice(EMPLOYERS),
                address="",
                sector=sector,
                region=region,
                started_on=entry + dt.timedelta(days=rng.randrange(1, 30)),
                wage_period="month",
                promised_wage_amount=promised,
                promised_wage_currency="KZT",
                actual_wage_amount=(promised * Decimal(rng.choice(("1", "0.5", "0.3", "0"))))
                if flagged
                else promised,
                actual_wage_currency="KZT",
                promised_hours_per_week=48,
                actual_hours_per_week=rng.choice((48, 60, 72, 84)) if flagged else 48,
                created_at=created_at,
            )
        for _n in range(rng.choice((0, 1, 1, 2))):
            tables["note"].add(
                case_id=case_id,
                author_id=creator,
                text=rng.choice(NOTES),
                created_at=created_at + dt.timedelta(days=rng.randrange(0, 60)),
            )
        # Removals: proposed for overstays; decided mostly, suspended while a flag is open.
        if rng.random() < 0.14:
            proposed = min(today, opened + dt.timedelta(days=rng.randrange(1, 30)))
            region_insp = plan.inspectorates.get(region) or next(iter(plan.inspectorates.values()))
            proposer = rng.choice(plan.inspectors[region_insp])
            values = {
                "case_id": case_id,
                "grounds": _weighted(
                    rng, (("overstay", 60), ("illegal_employment", 25), ("document_violation", 15))
                ),
                "proposed_on": proposed,
                "proposed_by_id": proposer,
                "created_at": _aware(proposed, rng),
            }
            if flagged and rng.random() < 0.6:
                values.update(
                    status="suspended",
                    suspended_at=_aware(proposed, rng),
                    reflection_until=proposed + dt.timedelta(days=30),
                )
            elif rng.random() < 0.85 or proposed < today - dt.timedelta(days=60):
                decision = "remove" if rng.random() < 0.7 else "no_removal"
                decided_at = _aware(
                    min(today, proposed + dt.timedelta(days=rng.randrange(1, 40))), rng
                )
                before = [s for s in screening_rows if s[1] <= decided_at]
                values.update(
                    status=f"decided_{decision}",
                    decision=decision,
                    decided_at=decided_at,
                    decided_by_id=proposer,
                    screening_at_decision_id=before[-1][0] if before else None,
                    screened_before_decision=bool(before),
                    # A flagged person removed (the removals service marks it so).
                    protected_at_decision=decision == "remove"
                    and bool(before)
                    and before[-1][2]["trafficking"] in ("presumed_victim", "possible_victim"),
                )
            tables["removal"].add(**values)
        # Referrals: most flagged persons are referred to an NGO's service within days.
        if flagged and rng.random() < 0.75 and screening_rows:
            service_id, receiving = rng.choice(plan.services)
            sent_at = screening_rows[0][1] + dt.timedelta(days=rng.randrange(0, 12), hours=3)
            status = _weighted(
                rng,
                (
                    ("completed", 45),
                    ("accepted", 25),
                    ("sent", 10),
                    ("declined", 10),
                    ("withdrawn", 10),
                ),
            )
            accepted_at = (
                sent_at + dt.timedelta(days=rng.randrange(1, 10))
                if status in ("accepted", "completed")
                else None
            )
            tables["referral"].add(
                case_id=case_id,
                service_id=service_id,
                sending_organization_id=org_id,
                receiving_organization_id=receiving,
                sent_by_id=creator,
                status=status,
                urgency="urgent" if victim == "identified" else "routine",
                reason="Needs shelter and legal aid after the inspection.",
                consent_given_at=sent_at - dt.timedelta(hours=1),
                shared_fields=["name", "sex", "languages"],
                sent_at=sent_at,
                accepted_at=accepted_at,
                declined_at=sent_at + dt.timedelta(days=3) if status == "declined" else None,
                decline_reason="No places." if status == "declined" else "",
                completed_at=accepted_at + dt.timedelta(days=rng.randrange(10, 90))
                if status == "completed"
                else None,
                withdrawn_at=sent_at + dt.timedelta(days=2) if status == "withdrawn" else None,
                answered_by_id=None,
            )
        if victim in ("presumed", "identified"):
            victims.append((case_id, when))
        # Proceedings: about one per 150 cases, linking a few victims.
        if len(victims) >= 3 and rng.random() < 0.05:
            proceeding_n += 1
            pid = proceeding_base + proceeding_n
            opened_on = min(today, max(v[1] for v in victims) + dt.timedelta(days=20))
            stage = rng.random()
            prosecuted = opened_on + dt.timedelta(days=120) if stage < 0.5 else None
            if prosecuted and prosecuted > today:
                prosecuted = None
            convicted = prosecuted + dt.timedelta(days=200) if prosecuted and stage < 0.3 else None
            if convicted and convicted > today:
                convicted = None
            tables["proceeding"].add(
                id=pid,
                organization_id=None,
                reference=f"BENCH-{index}-{proceeding_n}",
                exploitation="labour" if rng.random() < 0.85 else "sexual",
                opened_on=opened_on,
                prosecuted_on=prosecuted,
                convicted_on=convicted,
                official_complicity=rng.random() < 0.05,
                created_by_id=plan.admin_id,
                created_at=_aware(opened_on, rng),
            )
            for victim_case, _when in victims:
                links.add(proceeding_id=pid, case_id=victim_case)
            victims = []
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        with transaction.atomic():
            for name, table in tables.items():
                counts[name] = table.flush(cursor)
            counts["proceeding_case"] = links.flush(cursor)
    return counts


_CATALOGUE_VERSION = None


def _catalogue_version() -> str:
    global _CATALOGUE_VERSION
    if _CATALOGUE_VERSION is None:
        from apps.screening.catalogue import get_catalogue

        _CATALOGUE_VERSION = get_catalogue().version
    return _CATALOGUE_VERSION


def _ref_number(plan: Plan, year: int, i: int) -> int:
    # Unique across chunks and workers without coordination: the case's index in this run,
    # above the numbers any earlier run or the real services used in that year.
    return plan.ref_offset.get(year, 0) + i + 1


def _worker(args) -> dict[str, int]:
    plan, indexes = args
    connections.close_all()
    patterns = _screening_patterns()
    totals: dict[str, int] = {}
    with _memoized_search_hash():
        for index in indexes:
            for key, n in _chunk(plan, index, patterns).items():
                totals[key] = totals.get(key, 0) + n
    connections.close_all()
    return totals


@contextlib.contextmanager
def _memoized_search_hash():
    """The same keyed hash, computed once per distinct name in this run (names repeat)."""
    from apps.cases import models as case_models
    from apps.cases import search
    from apps.core import crypto

    original = crypto.search_hash
    memo = functools.lru_cache(maxsize=100_000)(original)
    case_models.search_hash = search.search_hash = memo
    try:
        yield
    finally:
        case_models.search_hash = search.search_hash = original


class Command(BaseCommand):
    help = "Generate synthetic cases at scale with COPY (PostgreSQL only)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True)
        parser.add_argument(
            "--credentials-file",
            type=Path,
            default=None,
            help="where this run's password and TOTP secret of the bench_* accounts are written "
            "(default: $CASEMGR_BENCH_CREDENTIALS, else ~/.local/state/casemgr/"
            "bench-credentials.json; never inside the repository)",
        )
        parser.add_argument("--years", type=int, default=10, help="years of data, up to this one")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--drop-indexes",
            choices=("auto", "always", "never"),
            default="auto",
            help="drop secondary indexes and foreign keys during the load and rebuild them "
            f"after (auto: from {BULK_FROM:,} cases)",
        )

    def handle(
        self,
        *args,
        cases: int,
        years: int,
        workers: int,
        drop_indexes="auto",
        credentials_file: Path | None = None,
        **options,
    ):
        refuse_in_production("generate_synthetic")
        credentials_file = credentials_path(credentials_file)
        if connection.vendor != "postgresql":
            raise CommandError("generate_synthetic needs PostgreSQL (set DATABASE_URL).")
        if cases < 1:
            raise CommandError("--cases must be at least 1.")
        started = time.monotonic()
        this_year = timezone.localdate().year
        year_list = list(range(this_year - years + 1, this_year + 1))
        credentials = write_credentials(credentials_file)
        self.stdout.write(f"bench accounts' password and TOTP secret: {credentials_file}")
        plan = _setup(cases=cases, years=year_list, stdout=self.stdout, credentials=credentials)
        plan.ref_offset = _reference_offsets(year_list)
        chunks = list(range((cases + CHUNK - 1) // CHUNK))
        self.stdout.write(
            f"setup {time.monotonic() - started:.1f}s; {cases} cases in {len(chunks)} chunks, "
            f"{workers} workers"
        )
        _restore_dropped(self.stdout)  # an earlier run that was killed mid-load
        bulk = drop_indexes == "always" or (drop_indexes == "auto" and cases >= BULK_FROM)
        if bulk:
            dropped = _drop_indexes_and_foreign_keys()
            self.stdout.write(f"  dropped {dropped} secondary indexes and foreign keys")
        connections.close_all()
        try:
            totals = self._load(plan, chunks, cases, workers, started)
        finally:
            if bulk:
                rebuilt = time.monotonic()
                _restore_dropped(self.stdout)
                self.stdout.write(f"  rebuilt them in {time.monotonic() - rebuilt:.1f}s")
        _finish(plan, year_list)
        # COPY sends no save signals: what the reports kept of earlier years is now untrue.
        history_invalidate()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"generated {cases} cases in {elapsed:.1f}s: "
                + ", ".join(f"{k} {v}" for k, v in sorted(totals.items()))
            )
        )

    def _load(self, plan, chunks, cases, workers, started) -> dict[str, int]:
        totals: dict[str, int] = {}
        if workers > 1 and len(chunks) > 1:
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(workers) as pool:
                parts = [(plan, [c]) for c in chunks]
                for done, result in enumerate(pool.imap_unordered(_worker, parts), start=1):
                    for key, n in result.items():
                        totals[key] = totals.get(key, 0) + n
                    if done % 10 == 0 or done == len(chunks):
                        self.stdout.write(
                            f"  {min(cases, done * CHUNK)} cases, {time.monotonic() - started:.0f}s"
                        )
        else:
            totals = _worker((plan, chunks))
        return totals


# Bulk load: an index or foreign key checked row by row costs more than building it once.
BULK_FROM = 50_000
COPY_TABLES = (
    "cases.Person",
    "cases.PersonMatchKey",
    "cases.Case",
    "cases.CaseNameKey",
    "cases.IdentityDocument",
    "cases.Employment",
    "cases.CaseNote",
    "cases.CaseEvent",
    "screening.Screening",
    "removals.Removal",
    "referrals.Referral",
    "proceedings.Proceeding",
    "protection.Identification",
)
RESTORE_TABLE = "generate_synthetic_restore"


def _copy_tables() -> list[str]:
    tables = [_model(label)._meta.db_table for label in COPY_TABLES]
    return [*tables, _model("proceedings.Proceeding").cases.through._meta.db_table]


def _drop_indexes_and_foreign_keys() -> int:
    """Drop plain indexes and foreign keys of the COPY tables, keeping how to rebuild them in a
    table of their own first (so a killed run is repaired by the next one)."""
    tables = _copy_tables()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {RESTORE_TABLE} (id serial PRIMARY KEY, drop_sql text, "
            "create_sql text NOT NULL)"
        )
        # Indexes that back no constraint (primary keys and unique constraints stay).
        cursor.execute(
            "SELECT format('DROP INDEX %%I', c.relname), pg_get_indexdef(i.indexrelid) "
            "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
            [tables],
        )
        statements = cursor.fetchall()
        cursor.execute(
            "SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I', conrelid::regclass, conname), "
            "format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', conrelid::regclass, conname, "
            "pg_get_constraintdef(oid)) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [tables],
        )
        statements += cursor.fetchall()
        for drop_sql, create_sql in statements:
            cursor.execute(
                f"INSERT INTO {RESTORE_TABLE} (drop_sql, create_sql) VALUES (%s, %s)",  # noqa: S608
                [drop_sql, create_sql],
            )
            cursor.execute(drop_sql)
    return len(statements)


def _restore_dropped(stdout) -> None:
    """Rebuild what _drop_indexes_and_foreign_keys dropped (indexes first, then keys)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [RESTORE_TABLE])
        if cursor.fetchone()[0] is None:
            return
        cursor.execute(f"SELECT id, create_sql FROM {RESTORE_TABLE} ORDER BY id")  # noqa: S608
        pending = cursor.fetchall()
        # Sorting in memory and two parallel workers per index: minutes become seconds.
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET max_parallel_maintenance_workers = 2")
        for row_id, create_sql in pending:
            with transaction.atomic():
                cursor.execute(create_sql)
                cursor.execute(f"DELETE FROM {RESTORE_TABLE} WHERE id = %s", [row_id])  # noqa: S608
        cursor.execute(f"DROP TABLE {RESTORE_TABLE}")
        cursor.execute("RESET maintenance_work_mem")
        cursor.execute("RESET max_parallel_maintenance_workers")


def _reference_offsets(years: list[int]) -> dict[int, int]:
    # Start above every reference of the year: earlier runs and the services' own numbers.
    return {year: _max_reference(year) for year in years}


def _max_reference(year: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(MAX(CAST(SPLIT_PART(reference, '-', 3) AS bigint)), 0) "
            "FROM cases_case WHERE reference LIKE %s",
            [f"KZ-{year}-%"],
        )
        return cursor.fetchone()[0]


def _finish(plan: Plan, years: list[int]) -> None:
    """Sequences past the ids written, counters past the references, fresh statistics."""
    ReferenceCounter = _model("cases.ReferenceCounter")
    labels = (
        "cases.Person",
        "cases.Case",
        "screening.Screening",
        "proceedings.Proceeding",
    )
    with connection.cursor() as cursor:
        for label in labels:
            table = _model(label)._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608
                f'(SELECT GREATEST(MAX(id), 1) FROM "{table}"))'
            )
    for year in years:
        last = _max_reference(year)
        ReferenceCounter.objects.update_or_create(prefix="KZ", year=year, defaults={"last": last})
    with connection.cursor() as cursor:
        # VACUUM too: it sets the visibility map, without which index-only scans (counts, the
        # withheld-documents probe) still read every heap page until autovacuum comes by.
        for table in _copy_tables():
            cursor.execute(f'VACUUM (ANALYZE) "{table}"')
        cursor.execute("ANALYZE")
