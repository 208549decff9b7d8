import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from apps.audit.models import AuditEntry
from apps.audit.services import GENESIS_HASH, audit_chain_verify, audit_record

pytestmark = pytest.mark.django_db


def test_each_entry_links_to_the_one_before(caseworker_a):
    first = audit_record(actor=caseworker_a, action="read", target=caseworker_a)
    second = audit_record(actor=caseworker_a, action="update", target=caseworker_a)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert audit_chain_verify() == (2, None)
    call_command("audit_verify")


def _tamper(sql, params):
    # Someone with superuser rights on the database, bypassing the append-only trigger.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def test_a_changed_entry_is_detected(caseworker_a):
    entries = [audit_record(actor=caseworker_a, action="read", target=caseworker_a) for _ in "abc"]
    _tamper("UPDATE audit_auditentry SET action = 'update' WHERE id = %s", [entries[1].pk])
    assert audit_chain_verify() == (1, entries[1].pk)
    with pytest.raises(CommandError, match=f"broken at entry {entries[1].pk}"):
        call_command("audit_verify")


def test_a_removed_entry_is_detected(caseworker_a):
    entries = [audit_record(actor=caseworker_a, action="read", target=caseworker_a) for _ in "abc"]
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    assert audit_chain_verify() == (1, entries[2].pk)


def test_auditors_export_the_log_as_csv_and_the_export_is_audited(client, auditor, caseworker_a):
    audit_record(actor=caseworker_a, action="read", target=caseworker_a)
    client.force_login(auditor)
    response = client.get(reverse("audit:export"), {"action": "read"})
    body = b"".join(response.streaming_content).decode()
    lines = body.strip().splitlines()
    assert lines[0].startswith("id,at,actor_username,action")
    assert len(lines) == 2 and "caseworker_a" in lines[1]
    assert AuditEntry.objects.filter(actor=auditor, action="export").count() == 1


def test_caseworkers_cannot_export_the_log(client, caseworker_a):
    client.force_login(caseworker_a)
    assert client.get(reverse("audit:export")).status_code == 403
