"""The case search's reference prefix match through an index (docs/benchmarks.md).

`reference__istartswith` is `UPPER("cases_case"."reference"::text) LIKE UPPER('KZ-2026-0%')`:
an expression index on exactly that expression, with text_pattern_ops so LIKE 'prefix%' can
use it whatever the database's collation. PostgreSQL only (SQLite has no operator classes).
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS case_reference_upper_prefix "
    'ON "cases_case" (UPPER("reference"::text) text_pattern_ops)'
)
DROP = "DROP INDEX IF EXISTS case_reference_upper_prefix"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_case_anonymised_at")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
