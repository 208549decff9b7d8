"""Seed the stay rule table and compute the legal stay of existing cases."""

from django.db import migrations

# Kept here (not imported) so the migration does not change when the code does.
EAEU = ["AM", "BY", "KZ", "KG", "RU"]
# Visa-free CIS neighbours whose citizens may stay 30 days from entry in Kazakhstan.
CIS_VISA_FREE = ["UZ", "TJ", "AZ", "MD", "UA"]

RULES = [
    ("EAEU citizens: 90 days from entry", EAEU, "", 90),
    ("CIS visa-free citizens: 30 days from entry", CIS_VISA_FREE, "", 30),
    ("Other citizenships: 30 days from entry", [], "", 30),
]


def seed(apps, schema_editor):
    from datetime import timedelta

    StayRule = apps.get_model("cases", "StayRule")
    Case = apps.get_model("cases", "Case")
    if not StayRule.objects.exists():
        for name, citizenships, basis, days in RULES:
            StayRule.objects.create(
                name=name, citizenships=citizenships, stay_basis=basis, days=days
            )
    # The computation of the time, inline so that the migration does not change with the code
    # (migration 0021 recomputes with the rules by host country).
    rules = list(StayRule.objects.filter(is_active=True))
    for case in Case.objects.select_related("person").iterator():
        citizenship = case.person.citizenship
        matching = [
            r
            for r in rules
            if (not r.citizenships or citizenship in r.citizenships)
            and (not r.stay_basis or r.stay_basis == case.stay_basis)
        ]
        rule = (
            max(matching, key=lambda r: (bool(r.citizenships), bool(r.stay_basis), -r.days))
            if matching
            else None
        )
        until = None
        if case.stay_basis == "visa" and case.permit_valid_until:
            until = case.permit_valid_until
        elif rule is not None and case.entry_date:
            until = case.entry_date + timedelta(days=rule.days - 1)
        if case.stay_basis == "temporary_residence_permit" and case.permit_valid_until:
            until = max(until, case.permit_valid_until) if until else case.permit_valid_until
        if until != case.legal_stay_until:
            Case.objects.filter(pk=case.pk).update(legal_stay_until=until)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_stay_documents_employment_notes")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
