"""Demo training log: sessions from 2022 on, attendance for the demo and extra inspectors.

Sessions and attendance go through the training services, each recorded on the evening of the
session (`time_machine`), as an administrator would have entered them."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import time_machine
from django.db import transaction
from django.utils import timezone

from apps.accounts.demo import DEMO_PASSWORD, JOINED
from apps.accounts.models import Organization, User

from .certification import add_months, certification_months
from .models import Attendance, TrainingSession
from .services import AttendanceLine, attendance_record, training_session_create

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
     date(2022, 3, 15), "8", "IOM Kazakhstan", "ru", "Астана, учебный центр МТСЗН"),
    ("ILO forced labour indicators", "forced_labour_indicators",
     date(2022, 10, 4), "6", "ILO Subregional Office", "ru", "Алматы, офис МОМ"),
    ("Debt bondage among seasonal workers", "debt_bondage",
     date(2023, 4, 18), "4", "Almaty Legal Aid for Migrants", "kk", "Алматы, офис МОМ"),
    ("Victim identification: refresher", "victim_identification",
     date(2023, 11, 7), "8", "IOM Kazakhstan", "kk", "Астана, учебный центр МТСЗН"),
    ("Interviewing through interpreters", "interviewing_interpreters",
     date(2024, 2, 29), "4", "OSCE Programme Office", "ru", "Астана, учебный центр МТСЗН"),
    ("Forced labour indicators in construction", "forced_labour_indicators",
     date(2024, 9, 12), "6", "ILO Subregional Office", "ru", "Шымкент, Дом дружбы"),
    ("The non-punishment principle", "non_punishment",
     date(2025, 3, 20), "3", "Ministry of Labour and Social Protection", "kk", "Астана, учебный центр МТСЗН"),
    ("Victim identification for labour inspectors", "victim_identification",
     date(2025, 6, 10), "8", "IOM Kazakhstan", "ru", "Алматы, офис МОМ"),
    ("National referral mechanism", "referral_procedures",
     date(2025, 11, 25), "4", "Astana Migrant Support Centre", "ru", "Астана, учебный центр МТСЗН"),
    ("Forced labour indicators: agriculture", "forced_labour_indicators",
     date(2026, 2, 17), "6", "ILO Subregional Office", "kk", "Шымкент, Дом дружбы"),
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
            "IOM Kazakhstan", "ru", "Алматы, офис МОМ")  # fmt: skip


@transaction.atomic
def seed(*, stdout=None) -> dict:
    """Create the demo sessions, extra inspectors and attendance (once)."""
    orgs = {org.name: org for org in Organization.objects.all()}
    for username, first, last, org_name, language in EXTRA_INSPECTORS:
        if org_name not in orgs or User.objects.filter(username=username).exists():
            continue
        # In post since before the first session on record, like the other demo inspectors.
        with time_machine.travel(timezone.make_aware(JOINED), tick=False):
            User.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                role="inspector",
                organization=orgs[org_name],
                language=language,
                email=f"{username}@example.org",
            )
    admin = User.objects.filter(username="admin").first()
    today = timezone.localdate()
    sessions: list[TrainingSession | None] = []
    added = 0
    for title, topic, held, hours, trainer, language, location in [*SESSIONS, _refresher(today)]:
        session = TrainingSession.objects.filter(title=title, date=held).first()
        if session is None and held <= today and admin is not None:
            evening = timezone.make_aware(datetime.combine(held, time(18, 0)))
            with time_machine.travel(min(evening, timezone.now()), tick=False):
                session = training_session_create(
                    actor=admin,
                    title=title,
                    topic=topic,
                    date=held,
                    hours=Decimal(hours),
                    trainer_organization=trainer,
                    language=language,
                    location=location,
                )
            added += 1
        sessions.append(session)
    attendance = {**ATTENDANCE, "inspector.almaty": [*ATTENDANCE["inspector.almaty"], (10, True)]}
    lines: dict[int, list[AttendanceLine]] = {}
    rng = random.Random(2026)  # noqa: S311 (reproducible demo scores, not secrets)
    for username, entries in attendance.items():
        for index, passed in entries:
            score = rng.randint(72, 98) if passed else rng.randint(35, 64)
            lines.setdefault(index, []).append(AttendanceLine(username, passed, score))
    known = set(User.objects.filter(username__in=attendance).values_list("username", flat=True))
    count = 0
    for index, session_lines in lines.items():
        session = sessions[index]
        if session is None or admin is None or session.attendances.exists():
            continue
        session_lines = [line for line in session_lines if line.inspector in known]
        if not session_lines:
            continue
        evening = timezone.make_aware(datetime.combine(session.date, time(19, 0)))
        with time_machine.travel(min(evening, timezone.now()), tick=False):
            count += len(attendance_record(session=session, actor=admin, lines=session_lines))
    held = [s for s in sessions if s]
    if stdout:
        stdout.write(f"  training: {added} sessions and {count} attendances added")
    return {"sessions": len(held), "attendances": Attendance.objects.count()}
