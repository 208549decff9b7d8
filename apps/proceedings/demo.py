"""Demo criminal proceedings 2022-2026, with convictions falling year after year.

Recorded through the proceedings service on the day the investigation opened, and updated
through it on the day of the last step (`time_machine`); linked to the history cases of
apps.reports.demo, which therefore seeds first."""

from __future__ import annotations

import datetime

import time_machine
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from .models import Proceeding
from .services import proceeding_create, proceeding_update

# seed_demo runs this module after the reports demo, whose history cases it links.
SEED_AFTER = ("reports",)

# year: (investigations opened, of which prosecuted, of which convicted)
PLAN = {
    2022: (12, 10, 9),
    2023: (11, 9, 7),
    2024: (13, 8, 5),
    2025: (10, 6, 3),
    2026: (7, 4, 2),
}


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


@transaction.atomic
def seed(*, stdout=None) -> dict:
    """Create the demo proceedings (once), linked to the demo history cases."""
    from apps.reports.demo import history_cases

    User = apps.get_model("accounts", "User")
    admin = User.objects.filter(role="administrator", is_active=True).order_by("pk").first()
    if admin is None:
        return {"proceedings": 0}
    today = timezone.localdate()
    total = 0
    # File numbers are encrypted (the database cannot compare them): read back, then compared.
    existing = set(Proceeding.objects.values_list("reference", flat=True))
    for year, (opened, prosecuted, convicted) in PLAN.items():
        cases = history_cases(year)
        if not cases:
            continue
        for n in range(opened):
            reference = f"CR-{year}-{n + 1:03d}"
            opened_on = datetime.date(year, 1 + n % 6, 10)
            if opened_on > today or reference in existing:
                continue
            linked = cases[(n * 2) % len(cases) : (n * 2) % len(cases) + 2]
            with time_machine.travel(_moment(opened_on), tick=False):
                proceeding = proceeding_create(
                    user=admin,
                    case_ids=[c.pk for c in linked],
                    exploitation="sexual" if n % 5 == 4 else "labour",
                    opened_on=opened_on,
                    official_complicity=n == 3,
                    reference=reference,
                )
            total += 1
            # Prosecution and verdict fall in the same year, so the yearly counts follow PLAN.
            prosecuted_on = datetime.date(year, 7 + n % 3, 1) if n < prosecuted else None
            if prosecuted_on is None or prosecuted_on > today:
                continue
            changes = {"prosecuted_on": prosecuted_on}
            last = prosecuted_on
            verdict = datetime.date(year, 10, 15) if n < convicted else datetime.date(year, 11, 20)
            if verdict <= today:
                changes["convicted_on" if n < convicted else "acquitted_on"] = verdict
                last = verdict
            with time_machine.travel(_moment(last), tick=False):
                proceeding_update(
                    user=admin, proceeding=proceeding, version=proceeding.version, **changes
                )
    if stdout:
        stdout.write(f"  {total} criminal proceedings added")
    return {"proceedings": Proceeding.objects.count()}
