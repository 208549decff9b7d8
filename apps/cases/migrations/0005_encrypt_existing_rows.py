from django.db import migrations


def forwards(apps, schema_editor):
    from apps.cases.search import date_hash, document_number_hash, name_hash
    from apps.core.migration_utils import reencrypt

    Person = apps.get_model("cases", "Person")
    reencrypt(
        Person,
        ["given_name", "family_name", "middle_name", "date_of_birth", "phone", "email", "address"],
        compute=lambda p: {
            "given_name_hash": name_hash(p.given_name),
            "family_name_hash": name_hash(p.family_name),
            "middle_name_hash": name_hash(p.middle_name),
            "date_of_birth_hash": date_hash(p.date_of_birth),
        },
    )
    reencrypt(
        apps.get_model("cases", "IdentityDocument"),
        ["number"],
        compute=lambda d: {"number_hash": document_number_hash(d.number)},
    )
    reencrypt(apps.get_model("cases", "CaseNote"), ["text"])
    reencrypt(apps.get_model("cases", "Case"), ["outcome"])
    reencrypt(apps.get_model("cases", "Employment"), ["address"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_encrypt_personal_data")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
