"""Indexes for lists at national scale (docs/benchmarks.md): measured, not guessed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_encrypt_existing_rows")]

    operations = [
        # The list's "withheld documents" flag: few documents are held by an employer or
        # recruiter, so a partial index makes the per-row EXISTS an index probe instead of a
        # hashed scan of every document.
        migrations.AddIndex(
            model_name="identitydocument",
            index=models.Index(
                fields=["case"],
                condition=models.Q(held_by__in=["employer", "recruiter"]),
                name="document_withheld_case",
            ),
        ),
        # An organisation's list without a status filter, newest first, read from the index.
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["organization", "-created_at", "-id"], name="case_org_created"
            ),
        ),
    ]
