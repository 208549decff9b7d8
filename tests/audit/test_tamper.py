"""The audit log against someone who can write to the database but holds neither the audit key
nor the checkpoint files: an edited entry with the chain recomputed, the newest entries deleted,
the table emptied, a forged checkpoint, a changed key, and the upgrade from the unkeyed chain."""

import hashlib
import importlib
import json

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from apps.audit import chain
from apps.audit.models import AuditEntry
from apps.audit.services import audit_record
from apps.audit.tasks import write_checkpoint
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_reads(api, caseworker_a):
    """Five audit entries written the ordinary way: a caseworker reading a case."""
    case = CaseFactory(organization=caseworker_a.organization, created_by=caseworker_a)
    api.as_user(caseworker_a)
    before = AuditEntry.objects.count()
    for _ in range(5):
        assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    entries = list(AuditEntry.objects.order_by("id"))
    assert len(entries) >= before + 5
    return entries


def _sql(statement, params=()):
    """As the database's superuser would, past the append-only trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(statement, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def _rechain_without_the_key(hash_function):
    """Recompute every hash from the genesis with `hash_function`, as an attacker would."""
    previous = chain.GENESIS_HASH
    for entry in AuditEntry.objects.order_by("id"):
        entry.prev_hash = previous
        entry.hash = previous = hash_function(entry)
        _sql(
            "UPDATE audit_auditentry SET prev_hash = %s, hash = %s WHERE id = %s",
            [entry.prev_hash, entry.hash, entry.pk],
        )


def _verify_fails(*fragments):
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify")
    for fragment in fragments:
        assert fragment in str(failure.value), str(failure.value)
    return str(failure.value)


def test_an_intact_log_with_checkpoints_verifies(case_reads, capsys):
    write_checkpoint.delay()
    audit_record(actor=None, action="system", target_type="core.marker", target_id="after")
    write_checkpoint.delay()
    call_command("audit_verify")
    assert "2 checkpoint(s) matched" in capsys.readouterr().out


@pytest.mark.parametrize(
    "recompute",
    [
        pytest.param(chain.legacy_hash, id="unkeyed-sha256"),
        pytest.param(lambda e: chain.entry_hash(e, b"a-guessed-key"), id="hmac-with-a-guess"),
    ],
)
def test_an_edited_entry_with_the_chain_recomputed_without_the_key_is_detected(
    case_reads, recompute
):
    edited = case_reads[2]
    _sql("UPDATE audit_auditentry SET actor_username = %s WHERE id = %s", ["someone", edited.pk])
    write_checkpoint.delay()
    _sql("UPDATE audit_auditentry SET actor_username = %s WHERE id = %s", ["someone", edited.pk])
    _rechain_without_the_key(recompute)
    # The chain links up again; but not one hash carries the key, and the checkpoint names
    # a head hash that is gone.
    assert chain.chain_verify().broken_at == case_reads[0].pk
    _verify_fails(
        f"broken at entry {case_reads[0].pk}",
        f"Entry {case_reads[-1].pk} is not the one recorded by checkpoint",
    )


def test_deleting_the_newest_entries_is_detected_by_the_checkpoint(case_reads):
    write_checkpoint.delay()
    newest = case_reads[-2:]
    _sql("DELETE FROM audit_auditentry WHERE id >= %s", [newest[0].pk])
    # What is left is an intact chain; only the checkpoint knows that it was longer.
    assert chain.chain_verify().broken_at is None
    _verify_fails(
        f"Entry {newest[-1].pk}, the newest at checkpoint",
        "is gone",
        f"now holds {len(case_reads) - 2} entries",
    )


def test_emptying_the_table_is_detected_even_after_new_entries(case_reads, caseworker_a):
    write_checkpoint.delay()
    if connection.vendor == "postgresql":
        _sql("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own transaction has pending checks
        _sql("TRUNCATE audit_auditentry")
    else:
        _sql("DELETE FROM audit_auditentry")
    # The application carries on and starts a fresh, valid chain from the genesis.
    audit_record(actor=caseworker_a, action="read", target=caseworker_a)
    assert chain.chain_verify().broken_at is None
    _verify_fails(f"Entry {case_reads[-1].pk}", "table was emptied", "now holds 1 entries")


def test_a_rewrite_with_the_key_still_disagrees_with_the_checkpoints(case_reads):
    """Even someone who stole the key cannot reach the checkpoint files."""
    write_checkpoint.delay()
    _sql("DELETE FROM audit_auditentry WHERE id = %s", [case_reads[1].pk])
    _rechain_without_the_key(lambda e: chain.entry_hash(e, chain.audit_key()))
    assert chain.chain_verify().broken_at is None
    _verify_fails(f"Entry {case_reads[-1].pk} is not the one recorded by checkpoint")


def test_a_checkpoint_changed_in_its_file_is_detected(case_reads):
    write_checkpoint.delay()
    (path,) = list(settings.CASEMGR_AUDIT_CHECKPOINT_DIR.glob("*.jsonl"))
    record = json.loads(path.read_text())
    record["count"] -= 2
    path.write_text(json.dumps(record) + "\n")
    _verify_fails("does not carry the audit key's signature")


def test_the_beat_task_appends_signed_checkpoints_to_a_private_file(case_reads):
    schedule = settings.CELERY_BEAT_SCHEDULE["audit-checkpoint"]
    assert schedule["task"] == "audit.write_checkpoint" == write_checkpoint.name
    write_checkpoint.delay()
    write_checkpoint.delay()
    (path,) = list(settings.CASEMGR_AUDIT_CHECKPOINT_DIR.glob("audit-checkpoints-*.jsonl"))
    assert path.stat().st_mode & 0o007 == 0
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(lines) == 2
    assert lines[0]["count"] == len(case_reads) and lines[0]["last_id"] == case_reads[-1].pk
    assert lines[0]["head_hash"] == case_reads[-1].hash
    assert lines[0]["sig"] and lines[0]["key"] == chain.key_id(chain.audit_key())


def test_without_checkpoints_verify_warns_that_deletions_would_go_unnoticed(case_reads, capsys):
    call_command("audit_verify")
    assert "No checkpoint in" in capsys.readouterr().err


def test_the_key_is_not_in_the_database_and_follows_the_setting(case_reads, settings):
    entry = case_reads[0]
    assert entry.hash == chain.entry_hash(entry, chain.audit_key())
    assert entry.hash != chain.legacy_hash(entry)
    settings.CASEMGR_AUDIT_KEY = "another-key-of-at-least-thirty-two-characters"
    assert chain.chain_verify().broken_at == entry.pk


def test_rotating_secret_key_needs_audit_rechain_with_the_old_one_as_a_fallback(
    case_reads, settings
):
    write_checkpoint.delay()
    old_secret = settings.SECRET_KEY
    settings.SECRET_KEY = "a-rotated-secret-key-" + "x" * 40  # the audit key is derived from it
    _verify_fails(f"broken at entry {case_reads[0].pk}", "signed with another key")
    with pytest.raises(CommandError, match="broken at entry"):
        call_command("audit_rechain")  # the old key is needed to check the chain first
    settings.SECRET_KEY_FALLBACKS = [old_secret]
    call_command("audit_rechain")
    call_command("audit_verify")


def test_changing_the_audit_key_needs_audit_rechain_with_the_previous_one(case_reads, settings):
    settings.CASEMGR_AUDIT_KEY = "the-first-configured-audit-key-0123456789"
    _verify_fails(f"broken at entry {case_reads[0].pk}")
    call_command("audit_rechain")  # from the key derived from SECRET_KEY
    write_checkpoint.delay()
    call_command("audit_verify")
    settings.CASEMGR_AUDIT_KEY = "the-second-configured-audit-key-0123456789"
    with pytest.raises(CommandError, match="broken at entry"):
        call_command("audit_rechain")
    settings.CASEMGR_AUDIT_PREVIOUS_KEYS = ["the-first-configured-audit-key-0123456789"]
    call_command("audit_rechain")
    call_command("audit_verify")
    rechained = AuditEntry.objects.filter(target_type="audit.auditentry", action="system")
    assert [e.details["rechained"] for e in rechained.order_by("id")] == [
        len(case_reads),
        len(case_reads) + 1,
    ]


def _to_legacy_chain():
    """The log as the unkeyed chain (audit 0003) left it."""
    _rechain_without_the_key(chain.legacy_hash)


def test_an_unkeyed_chain_is_named_and_audit_rechain_keys_it_only_when_asked(case_reads, capsys):
    _to_legacy_chain()
    _verify_fails(f"broken at entry {case_reads[0].pk}", "unkeyed SHA-256", "--from-unkeyed")
    # Anyone can compute the unkeyed hash: it is never accepted by default.
    with pytest.raises(CommandError, match="use --from-unkeyed"):
        call_command("audit_rechain")
    call_command("audit_rechain", "--from-unkeyed")
    assert f"Re-chained {len(case_reads)} entries" in capsys.readouterr().out
    call_command("audit_verify")
    call_command("audit_rechain")
    assert "Nothing to do" in capsys.readouterr().out
    entry = AuditEntry.objects.filter(target_type="audit.auditentry").get()
    assert entry.details == {"rechained": len(case_reads), "broken_at": None}


def test_a_broken_unkeyed_chain_is_not_rechained_unless_forced(case_reads):
    _to_legacy_chain()
    _sql("UPDATE audit_auditentry SET action = 'delete' WHERE id = %s", [case_reads[3].pk])
    with pytest.raises(CommandError, match=f"broken at entry {case_reads[3].pk}"):
        call_command("audit_rechain", "--from-unkeyed")
    assert chain.chain_verify().legacy  # left as it was
    call_command("audit_rechain", "--from-unkeyed", "--force")
    call_command("audit_verify")
    entry = AuditEntry.objects.filter(target_type="audit.auditentry").get()
    assert entry.details["broken_at"] == case_reads[3].pk


def test_the_upgrade_migration_keys_an_intact_unkeyed_chain(case_reads):
    _to_legacy_chain()
    migration = importlib.import_module("apps.audit.migrations.0004_keyed_chain")
    migration.key_the_chain(django_apps, None)
    assert chain.chain_verify().broken_at is None


def test_the_upgrade_migration_leaves_a_broken_chain_for_audit_verify(case_reads, capsys):
    _to_legacy_chain()
    _sql("DELETE FROM audit_auditentry WHERE id = %s", [case_reads[1].pk])
    migration = importlib.import_module("apps.audit.migrations.0004_keyed_chain")
    migration.key_the_chain(django_apps, None)
    assert "audit_rechain --from-unkeyed --force" in capsys.readouterr().out
    report = chain.chain_verify()
    assert report.broken_at == case_reads[0].pk and report.legacy  # as it was


def test_restoring_a_backup_starts_a_new_series_of_checkpoints(case_reads):
    write_checkpoint.delay()
    _sql("DELETE FROM audit_auditentry WHERE id >= %s", [case_reads[-2].pk])  # "the backup"
    _verify_fails("is gone")
    call_command("audit_checkpoint", "--supersede")
    call_command("audit_verify")
    assert AuditEntry.objects.filter(details={"checkpoints": "superseded"}).count() == 1


def test_the_derived_key_is_not_the_search_or_encryption_key():
    derived = chain.audit_key()
    assert derived == hashlib.sha256(f"casemgr:audit:{settings.SECRET_KEY}".encode()).digest()


def _quick_fails(*fragments):
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify", "--quick")
    for fragment in fragments:
        assert fragment in str(failure.value), str(failure.value)


def test_the_quick_check_sees_deletions_and_an_emptied_table(case_reads, caseworker_a, capsys):
    write_checkpoint.delay()
    audit_record(actor=caseworker_a, action="read", target=caseworker_a)
    call_command("audit_verify", "--quick")
    assert "1 entries checked since the newest checkpoint" in capsys.readouterr().out
    _sql("DELETE FROM audit_auditentry WHERE id = %s", [case_reads[1].pk])
    _quick_fails("counted", f"the log now holds {len(case_reads) - 1}")
    if connection.vendor == "postgresql":
        _sql("SET CONSTRAINTS ALL IMMEDIATE")
        _sql("TRUNCATE audit_auditentry")
    else:
        _sql("DELETE FROM audit_auditentry")
    audit_record(actor=caseworker_a, action="read", target=caseworker_a)
    _quick_fails(f"Entry {case_reads[-1].pk}, the newest at checkpoint", "is gone")


def test_the_quick_check_sees_edits_since_the_newest_checkpoint(case_reads, caseworker_a):
    write_checkpoint.delay()
    later = audit_record(actor=caseworker_a, action="read", target=caseworker_a)
    _sql("UPDATE audit_auditentry SET action = 'update' WHERE id = %s", [later.pk])
    _quick_fails(f"broken at entry {later.pk}")


def test_only_the_full_check_sees_an_older_entry_edited_without_the_key(case_reads):
    write_checkpoint.delay()
    _sql("UPDATE audit_auditentry SET action = 'update' WHERE id = %s", [case_reads[1].pk])
    call_command("audit_verify", "--quick")  # by design: docs/operations.md runs both
    _verify_fails(f"broken at entry {case_reads[1].pk}")
