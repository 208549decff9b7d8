from django.db import migrations


def forwards(apps, schema_editor):
    from apps.core.migration_utils import reencrypt

    reencrypt(
        apps.get_model("referrals", "Referral"),
        ["reason", "contact_details", "decline_reason", "outcome"],
    )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0002_encrypt_free_text")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
