"""Earlier decisions to remove a flagged person were overrides of a flagging screening: they
count as removals of flagged persons in the annual report (issue 16), as they did before."""

from django.db import migrations


def carry_over(apps, schema_editor):
    Removal = apps.get_model("removals", "Removal")
    Removal.objects.filter(
        decision="remove",
        screening_at_decision__trafficking__in=["presumed_victim", "possible_victim"],
    ).update(protected_at_decision=True)


class Migration(migrations.Migration):
    dependencies = [("removals", "0003_removal_enforcement_and_override_grounds")]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
