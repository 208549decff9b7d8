"""Demo training log: sessions from 2022 on, attendance for the demo and extra inspectors."""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.accounts.demo import DEMO_PASSWORD
from apps.accounts.models import Organization, User

from .certification import add_months, certification_months
from .models import Attendance, TrainingSession

EXTRA_INSPECTORS = [
    ("inspector.astana2", "Aliya", "Kassymova", "Labour Inspectorate of Astana", "kk"),
    ("inspector.astana3", "Daniyar", "Mukhametov", "Labour Inspectorate of Astana", "ru"),
    ("inspector.astana4", "Zhanna", "Ermekova", "Labour Inspectorate of Astana", "kk"),
    ("inspector.almaty2", "Timur", "Seitkali", "Labour Inspectorate of Almaty", "ru"),
    ("inspector.almaty3", "Madina", "Orazbayeva", "Labour Inspectorate of Almaty", "kk"),
    ("inspector.almaty4", "Viktor", "Kim", "Labour Inspectorate of Almaty", "ru"),
    ("inspector.shymkent2", "Bauyrzhan", "Tulegenov", "Migration Service of Shymkent", "kk"),
]

# title, topic, date, hours, trainer, language, location
SESSIONS = [
    ("Identifying victims of trafficking at the workplace", "victim_identification",
     date(2022, 3, 15), "8", "IOM Kazakhstan", "ru", "Astana"),
    ("ILO forced labour indicators", "forced_labour_indicators",
     date(2022, 10, 4), "6", "ILO Subregional Office", "ru", "Almaty"),
    ("Debt bondage among seasonal workers", "debt_bondage",
     date(2023, 4, 18), "4", "Almaty Legal Aid for Migrants", "kk", "Almaty"),
    ("Victim identification: refresher", "victim_identification",
     date(2023, 11, 7), "8", "IOM Kazakhstan", "kk", "Astana"),
    ("Interviewing through interpreters", "interviewing_interpreters",
     date(2024, 2, 29), "4", "OSCE Programme Office", "ru", "Astana"),
    ("Forced labour indicators in construction", "forced_labour_indicators",
     date(2024, 9, 12), "6", "ILO Subregional Office", "ru", "Shymkent"),
    ("The non-punishment principle", "non_punishment",
     date(2025, 3, 20), "3", "Ministry of Labour and Social Protection", "kk", "Astana"),
    ("Victim identification for labour inspectors", "victim_identification",
     date(2025, 6, 10), "8", "IOM Kazakhstan", "ru", "Almaty"),
    ("National referral mechanism", "referral_procedures",
     date(2025, 11, 25), "4", "Astana Migrant Support Centre", "ru", "Astana"),
    ("Forced labour indicators: agriculture", "forced_labour_indicators",
     date(2026, 2, 17), "6", "ILO Subregional Office", "kk", "Shymkent"),
]  # fmt: skip

# Who attended which session (by index) and passed; scores are drawn reproducibly.
ATTENDANCE = {
    "inspector.astana": [(0, True), (3, True), (6, True), (9, True)],
    "inspector.astana2": [(0, True), (4, True), (7, True)],
    "inspector.astana3": [(3, False), (5, True), (8, True)],
    "inspector.astana4": [(1, True), (6, True)],
    "inspector.almaty": [(1, True), (2, True)],
    "inspector.almaty2": [(1, True), (7, True), (8, True)],
    "inspector.almaty3": [(2, True), (7, False)],
    "inspector.almaty4": [(5, True), (9, True)],
    "inspector.shymkent": [(0, True), (4, True)],
    "inspector.shymkent2": [(5, False), (9, False)],
}


def _refresher(today: date) -> tuple:
    # A session whose certification ends in three weeks, so the renewal panel has something.
    held = add_months(today, -certification_months()) + timedelta(days=21)
    return ("Victim identification: regional seminar", "victim_identification", held, "6",
            "IOM Kazakhstan", "ru", "Almaty")  # fmt: skip


@transaction.atomic
def seed(*, stdout=None) -> dict:
    """Create (or refresh) the demo sessions, extra inspectors and attendance."""
    orgs = {org.name: org for org in Organization.objects.all()}
    for username, first, last, org_name, language in EXTRA_INSPECTORS:
        if org_name not in orgs:
            continue
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "role": "inspector",
                "organization": orgs[org_name],
                "language": language,
                "email": f"{username}@example.org",
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    # The annual report counts inspectors who had joined by the year's end; the demo's
    # inspectors have been in post since before the first session on record.
    User.objects.filter(role="inspector", username__startswith="inspector.").update(
        date_joined=timezone.make_aware(datetime(2021, 9, 1, 9, 0))
    )
    admin = User.objects.filter(username="admin").first()
    today = timezone.localdate()
    sessions = []
    for title, topic, held, hours, trainer, language, location in [*SESSIONS, _refresher(today)]:
        if held > today:
            sessions.append(None)
            continue
        session, _created = TrainingSession.objects.update_or_create(
            title=title,
            date=held,
            defaults={
                "topic": topic,
                "hours": Decimal(hours),
                "trainer_organization": trainer,
                "language": language,
                "location": location,
                "created_by": admin,
            },
        )
        sessions.append(session)
    attendance = {**ATTENDANCE, "inspector.almaty": [*ATTENDANCE["inspector.almaty"], (10, True)]}
    users = {u.username: u for u in User.objects.filter(username__in=attendance)}
    rng = random.Random(2026)  # noqa: S311 (reproducible demo scores, not secrets)
    count = 0
    for username, entries in attendance.items():
        if username not in users:
            continue
        for index, passed in entries:
            session = sessions[index]
            score = rng.randint(72, 98) if passed else rng.randint(35, 64)
            if session is None:
                continue
            Attendance.objects.update_or_create(
                session=session,
                inspector=users[username],
                defaults={"passed": passed, "score": score, "recorded_by": admin},
            )
            count += 1
    if stdout:
        stdout.write(f"  training: {len([s for s in sessions if s])} sessions, {count} attendances")
    return {"sessions": len([s for s in sessions if s]), "attendances": count}
