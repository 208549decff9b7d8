"""Demo criminal proceedings 2022-2026, with convictions falling year after year."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from .models import Proceeding

# year: (investigations opened, of which prosecuted, of which convicted)
PLAN = {
    2022: (12, 10, 9),
    2023: (11, 9, 7),
    2024: (13, 8, 5),
    2025: (10, 6, 3),
    2026: (7, 4, 2),
}


@transaction.atomic
def seed(*, stdout=None) -> dict:
    """Create (or refresh) the demo proceedings, linked to the demo history cases."""
    from apps.reports.demo import history_cases

    User = apps.get_model("accounts", "User")
    admin = User.objects.filter(role="administrator").order_by("pk").first()
    if admin is None:
        return {"proceedings": 0}
    today = timezone.localdate()
    total = 0
    for year, (opened, prosecuted, convicted) in PLAN.items():
        cases = history_cases(year)
        for n in range(opened):
            opened_on = datetime.date(year, 1 + n % 6, 10)
            if opened_on > today:
                continue
            # Prosecution and verdict fall in the same year, so the yearly counts follow PLAN.
            prosecuted_on = datetime.date(year, 7 + n % 3, 1) if n < prosecuted else None
            convicted_on = datetime.date(year, 10, 15) if n < convicted else None
            acquitted_on = datetime.date(year, 11, 20) if convicted <= n < prosecuted else None
            values = {
                "exploitation": "sexual" if n % 5 == 4 else "labour",
                "opened_on": opened_on,
                "prosecuted_on": prosecuted_on
                if prosecuted_on and prosecuted_on <= today
                else None,
                "convicted_on": convicted_on if convicted_on and convicted_on <= today else None,
                "acquitted_on": acquitted_on if acquitted_on and acquitted_on <= today else None,
                "official_complicity": n == 3,
            }
            if values["prosecuted_on"] is None:
                values["convicted_on"] = values["acquitted_on"] = None
            proceeding, _created = Proceeding.objects.update_or_create(
                reference=f"CR-{year}-{n + 1:03d}", defaults={**values, "created_by": admin}
            )
            if cases:
                proceeding.cases.set(cases[(n * 2) % len(cases) : (n * 2) % len(cases) + 2])
            total += 1
    if stdout:
        stdout.write(f"  {total} criminal proceedings 2022-2026")
    return {"proceedings": total}
