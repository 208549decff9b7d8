from django.db import migrations


def key_the_chain(apps, schema_editor):
    """Re-chain the entries written with the unkeyed SHA-256 chain, with the audit key.

    Only an intact chain is re-chained: re-chaining a broken one would hide what broke it. A
    broken chain is left as it is for `audit_verify` to report; after looking into it, run
    `manage.py audit_rechain --from-unkeyed --force` (docs/operations.md)."""
    from apps.audit.chain import ChainBroken, chain_rewrite

    try:
        chain_rewrite(model=apps.get_model("audit", "AuditEntry"), from_unkeyed=True)
    except ChainBroken as exc:
        print(
            f"\n  The audit chain is broken at entry {exc.entry_id}; it was not re-chained with "
            "the audit key. Run manage.py audit_verify, look into it, then run manage.py "
            "audit_rechain --from-unkeyed --force."
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_hash_chain")]

    operations = [migrations.RunPython(key_the_chain, migrations.RunPython.noop)]
