"""Demo organisations and users, one of every role, in the regions that matter."""

import datetime

import time_machine
from django.db import transaction
from django.utils import timezone

from .models import Organization, User

DEMO_PASSWORD = "casemgr-demo-2026"

ORGANIZATIONS = [
    ("Astana Migrant Support Centre", "ngo", "astana", ["ru", "kk", "uz", "tg", "ky"]),
    ("Almaty Legal Aid for Migrants", "ngo", "almaty_city", ["ru", "kk", "uz"]),
    ("Shymkent Safe House", "ngo", "shymkent", ["ru", "kk", "uz", "tg"]),
    ("Omsk Border Migrant Aid", "ngo", "ru_omsk", ["ru", "kk"]),
    ("Orenburg Migrant Rights", "ngo", "ru_orenburg", ["ru", "kk", "uz"]),
    ("Labour Inspectorate of Astana", "labour_inspectorate", "astana", ["ru", "kk"]),
    ("Labour Inspectorate of Almaty", "labour_inspectorate", "almaty_city", ["ru", "kk"]),
    ("Migration Service of Shymkent", "migration_authority", "shymkent", ["ru", "kk"]),
    ("Ministry of Labour and Social Protection", "government", "astana", ["ru", "kk", "en"]),
]

# username, first, last, role, organisation (None for global roles), language
USERS = [
    ("admin", "Aigerim", "Sadykova", "administrator", None, "en"),
    ("auditor", "Marat", "Omarov", "auditor", None, "ru"),
    (
        "caseworker.astana",
        "Dana",
        "Nurlanovna",
        "caseworker",
        "Astana Migrant Support Centre",
        "ru",
    ),
    ("caseworker.almaty", "Yerlan", "Abenov", "caseworker", "Almaty Legal Aid for Migrants", "kk"),
    ("caseworker.shymkent", "Gulnara", "Tokhtarova", "caseworker", "Shymkent Safe House", "ru"),
    ("caseworker.omsk", "Olga", "Petrova", "caseworker", "Omsk Border Migrant Aid", "ru"),
    ("caseworker.orenburg", "Rustam", "Ismailov", "caseworker", "Orenburg Migrant Rights", "ru"),
    ("inspector.astana", "Serik", "Zhakupov", "inspector", "Labour Inspectorate of Astana", "kk"),
    ("inspector.almaty", "Asel", "Bekova", "inspector", "Labour Inspectorate of Almaty", "ru"),
    ("inspector.shymkent", "Nurlan", "Aliyev", "inspector", "Migration Service of Shymkent", "ru"),
]

# Someone who worked on demo cases and has left: the cases demo opens cases and writes notes as
# this user, then deactivates the account, so pages show authors who can no longer sign in.
# Not in USERS (nobody signs in as them) and created only once: a second run never reactivates.
FORMER_USERS = [
    (
        "caseworker.former",
        "Saule",
        "Ibraimova",
        "caseworker",
        "Almaty Legal Aid for Migrants",
        "ru",
    ),
]

# The demo staff have been in post since before the first training session on record (the
# annual report counts inspectors who had joined by the year's end).
JOINED = datetime.datetime(2021, 9, 1, 9, 0)


@transaction.atomic
def seed(*, stdout=None) -> dict:
    """Create (or refresh) the demo organisations and users; returns the logins."""
    # Organisations and accounts have no service of their own: administrators create them in
    # Django's admin, which saves the model as this does.
    orgs = {}
    for name, kind, region, languages in ORGANIZATIONS:
        org, _ = Organization.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "region": region,
                "languages": languages,
                "email": f"{name.lower().replace(' ', '.')}@example.org",
            },
        )
        orgs[name] = org
    logins = []
    joined = timezone.make_aware(JOINED)
    for username, first, last, role, org_name, language in USERS:
        with time_machine.travel(joined, tick=False):
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "role": role,
                    "organization": orgs.get(org_name),
                    "language": language,
                    "email": f"{username}@example.org",
                    "is_active": True,
                },
            )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        logins.append((username, role, org_name or "—"))
    for username, first, last, role, org_name, language in FORMER_USERS:
        if User.objects.filter(username=username).exists():
            continue
        with time_machine.travel(joined, tick=False):
            User.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                role=role,
                organization=orgs.get(org_name),
                language=language,
                email=f"{username}@example.org",
            )
    return {"logins": logins, "password": DEMO_PASSWORD}
