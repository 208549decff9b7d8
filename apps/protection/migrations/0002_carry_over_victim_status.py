"""Carry the cases' victim status over to their person's protection status (issue 16).

A person takes the highest flag of any of their cases (identified > presumed > possible); a
person whose cases say only `not_a_victim` keeps it. Grounds count from the person's first
flagging screening (or today when none is on record), and the reflection period from then.
Earlier `identified` statuses were set without a formal record: they keep protecting the
person, but the annual report counts only formal identification records from now on.
"""

import datetime

from django.db import migrations

RANK = {"not_assessed": 0, "not_a_victim": 0.5, "possible": 1, "presumed": 2, "identified": 3}
FLAGGED = {"possible", "presumed", "identified"}
FLAGGING = ("presumed_victim", "possible_victim")


def carry_over(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Person = apps.get_model("cases", "Person")
    Screening = apps.get_model("screening", "Screening")
    Event = apps.get_model("protection", "ProtectionEvent")
    from django.conf import settings
    from django.utils import timezone

    days = max(30, int(getattr(settings, "CASEMGR_REFLECTION_DAYS", 30)))
    today = timezone.localdate()
    best: dict[int, str] = {}
    rows = Case.objects.exclude(victim_status="not_assessed").values_list(
        "person_id", "victim_status"
    )
    for person_id, status in rows.iterator():
        if RANK.get(status, 0) > RANK.get(best.get(person_id, "not_assessed"), 0):
            best[person_id] = status
    for person_id, status in best.items():
        grounds_on = reflection_until = None
        if status in FLAGGED:
            first = (
                Screening.objects.filter(
                    case__person_id=person_id, status="complete", trafficking__in=FLAGGING
                )
                .order_by("completed_at")
                .values_list("completed_at", flat=True)
                .first()
            )
            grounds_on = timezone.localtime(first).date() if first else today
            reflection_until = grounds_on + datetime.timedelta(days=days)
        Person.objects.filter(pk=person_id).update(
            protection_status=status,
            grounds_on=grounds_on,
            reflection_until=reflection_until,
            protection_changed_at=timezone.now(),
        )
        Event.objects.create(
            person_id=person_id,
            source="migration",
            from_status="not_assessed",
            to_status=status,
            reflection_until=reflection_until,
        )
        # Every case of the person now shows the person's status.
        Case.objects.filter(person_id=person_id).update(victim_status=status)


class Migration(migrations.Migration):
    dependencies = [
        ("protection", "0001_initial"),
        ("cases", "0022_person_protection_status"),
    ]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
