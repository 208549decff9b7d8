"""On PostgreSQL the application connects as a role that does not own its tables: it reads and
writes casemgr's tables, appends to the audit log, and is refused everything else there."""

import io
import secrets

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from apps.audit.models import AuditEntry
from apps.audit.services import audit_record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def app_role():
    """A login role of its own (roles are shared by the cluster's databases: a random name)."""
    name = f"casemgr_test_app_{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(16)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {name} LOGIN PASSWORD %s", [password])
    try:
        yield name, password
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {name}")
            cursor.execute(f"DROP ROLE {name}")


def _connect(role: str, password: str) -> psycopg.Connection:
    params = connection.settings_dict
    return psycopg.connect(
        host=params.get("HOST") or "127.0.0.1",
        port=params.get("PORT") or 5432,
        dbname=params["NAME"],
        user=role,
        password=password,
        autocommit=True,
    )


def _refused(conn: psycopg.Connection, statement: str, params=()) -> str:
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as refusal:
        conn.execute(statement, params)
    return str(refusal.value)


def test_the_application_role_may_append_to_the_audit_log_and_nothing_more(app_role, caseworker_a):
    entry = audit_record(actor=caseworker_a, action="read", target=caseworker_a)
    call_command("grant_app_role", app_role[0], stdout=io.StringIO())
    with _connect(*app_role) as conn:
        # What the application does: read, append (taking the chain's lock), change other rows.
        assert conn.execute("SELECT count(*) FROM audit_auditentry").fetchone()[0] == 1
        conn.execute("SELECT pg_advisory_xact_lock(7240615001)")
        conn.execute(
            "INSERT INTO audit_auditentry (at, actor_username, action, target_type, target_id, "
            "details, prev_hash, hash) VALUES (now(), '', 'system', '', '', '{}', '', '')"
        )
        conn.execute(
            "UPDATE accounts_user SET first_name = 'Aigerim' WHERE id = %s", [caseworker_a.pk]
        )
        # What it may not.
        _refused(conn, "UPDATE audit_auditentry SET action = 'update' WHERE id = %s", [entry.pk])
        _refused(conn, "DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
        _refused(conn, "TRUNCATE audit_auditentry")
        assert "must be owner" in _refused(
            conn, "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only"
        )
        _refused(conn, "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL")
        _refused(conn, "TRUNCATE accounts_user CASCADE")
        _refused(conn, "SET session_replication_role = replica")
    assert AuditEntry.objects.filter(pk=entry.pk, action="read").exists()
    assert AuditEntry.objects.count() == 2  # the table was not emptied


def test_grant_app_role_refuses_a_superuser_or_the_owner():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (owner,) = cursor.fetchone()
    with pytest.raises(CommandError, match="not a superuser and does not own the tables"):
        call_command("grant_app_role", owner, stdout=io.StringIO())
    with pytest.raises(CommandError, match="No PostgreSQL role"):
        call_command("grant_app_role", "no_such_role_here", stdout=io.StringIO())


def test_audit_rechain_as_the_application_role_is_refused_with_a_clear_message(
    app_role, caseworker_a
):
    audit_record(actor=caseworker_a, action="read", target=caseworker_a)
    call_command("grant_app_role", app_role[0], stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {app_role[0]}")
        try:
            with pytest.raises(CommandError, match="as the role that owns the tables"):
                call_command("audit_rechain", "--force", stdout=io.StringIO())
        finally:
            cursor.execute("RESET ROLE")
