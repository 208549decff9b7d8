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
    from apps.cases.stay import Rule, legal_stay_until  # a pure function, no models

    StayRule = apps.get_model("cases", "StayRule")
    Case = apps.get_model("cases", "Case")
    if not StayRule.objects.exists():
        for name, citizenships, basis, days in RULES:
            StayRule.objects.create(
                name=name, citizenships=citizenships, stay_basis=basis, days=days
            )
    rules = [
        Rule(citizenships=frozenset(r.citizenships), stay_basis=r.stay_basis, days=r.days)
        for r in StayRule.objects.filter(is_active=True)
    ]
    for case in Case.objects.select_related("person").iterator():
        until = legal_stay_until(
            rules,
            citizenship=case.person.citizenship,
            entry_date=case.entry_date,
            stay_basis=case.stay_basis,
            permit_valid_until=case.permit_valid_until,
        )
        if until != case.legal_stay_until:
            Case.objects.filter(pk=case.pk).update(legal_stay_until=until)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_stay_documents_employment_notes")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
