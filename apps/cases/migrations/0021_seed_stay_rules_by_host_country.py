"""Replace the first seeded stay rules (one Kazakhstan table for every region) with rules by
host country, and recompute every case's legal stay (docs/cases.md)."""

from django.db import migrations

OLD_NAMES = [
    "EAEU citizens: 90 days from entry",
    "CIS visa-free citizens: 30 days from entry",
    "Other citizenships: 30 days from entry",
]


def seed(apps, schema_editor):
    # The pure functions and the table of apps.cases.stay, as in migration 0003: no models.
    from apps.cases.stay import DEFAULT_RULES, RULE_FIELDS, assess, host_country_of
    from apps.cases.stay import rule_from_values

    StayRule = apps.get_model("cases", "StayRule")
    Case = apps.get_model("cases", "Case")
    StayRule.objects.filter(name__in=OLD_NAMES).delete()
    # Every seeded rule not already there by name: a table with one rule an administrator added
    # must not be left without the host countries' rules.
    present = set(StayRule.objects.values_list("name", flat=True))
    for values in DEFAULT_RULES:
        if values["name"] not in present:
            StayRule.objects.create(
                **{**values, "citizenships": list(values.get("citizenships", ()))}
            )
    rules = [
        rule_from_values({name: getattr(r, name) for name in RULE_FIELDS})
        for r in StayRule.objects.filter(is_active=True)
    ]
    for case in Case.objects.select_related("person").prefetch_related("stays").iterator(
        chunk_size=500
    ):
        until = assess(
            rules,
            citizenship=case.person.citizenship,
            entry_date=case.entry_date,
            stay_basis=case.stay_basis,
            permit_valid_until=case.permit_valid_until,
            host_country=host_country_of(case.region),
            stays=[(s.entered, s.left) for s in case.stays.all()],
        ).until
        if until != case.legal_stay_until:
            Case.objects.filter(pk=case.pk).update(legal_stay_until=until)


class Migration(migrations.Migration):
    dependencies = [("cases", "0020_stay_rules_by_host_country")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
