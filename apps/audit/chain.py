"""The audit log's keyed hash chain and its signed checkpoints (docs/security.md, "Audit log").

Each entry's hash is an HMAC-SHA256, with a key the database does not hold
(`CASEMGR_AUDIT_KEY`, derived from SECRET_KEY when unset), over the entry's content and the
previous entry's hash. Whoever can write to the database but does not hold the key cannot edit
an entry and recompute the chain after it.

Deleting the newest entries, or all of them (TRUNCATE), leaves a shorter chain that is still
intact; checkpoints catch that. A beat task appends a checkpoint (the number of entries, the
newest entry's id and hash, HMAC-signed) to a file in `CASEMGR_AUDIT_CHECKPOINT_DIR`, which
the database's roles cannot reach; `audit_verify` checks the chain against every checkpoint.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

GENESIS_HASH = "0" * 64
# An arbitrary, fixed key for PostgreSQL's advisory lock that orders writers of the chain.
CHAIN_LOCK_KEY = 7_240_615_001
CHECKPOINT_VERSION = 1
TRIGGER = "audit_entry_append_only"


class ChainBroken(Exception):
    """The existing chain does not verify, so re-chaining it would hide what happened."""

    def __init__(self, entry_id: int, checked: int, *, unkeyed: bool = False):
        self.entry_id = entry_id
        self.checked = checked
        self.unkeyed = unkeyed  # the entry carries the unkeyed SHA-256 of before the keyed chain
        super().__init__(f"audit chain broken at entry {entry_id} (after {checked} entries)")


def _derived_key(secret_key: str) -> bytes:
    return hashlib.sha256(f"casemgr:audit:{secret_key}".encode()).digest()


def audit_key() -> bytes:
    """The chain's key: CASEMGR_AUDIT_KEY, or one derived from SECRET_KEY (as apps.core.crypto)."""
    configured = getattr(settings, "CASEMGR_AUDIT_KEY", "")
    return configured.encode() if configured else _derived_key(settings.SECRET_KEY)


def previous_audit_keys() -> list[bytes]:
    """Keys the chain may have been written with before the current one, which only
    `audit_rechain` accepts (to check the chain before re-chaining it): CASEMGR_AUDIT_PREVIOUS_KEYS,
    and the keys derived from SECRET_KEY and from Django's SECRET_KEY_FALLBACKS."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    keys = [k.encode() for k in getattr(settings, "CASEMGR_AUDIT_PREVIOUS_KEYS", []) if k]
    keys += [_derived_key(secret) for secret in secrets]
    current = audit_key()
    return [key for key in dict.fromkeys(keys) if key != current]


def key_id(key: bytes) -> str:
    """A short public name of a key, so a checkpoint says which key signed it."""
    return hmac.new(key, b"casemgr-audit-key-id", hashlib.sha256).hexdigest()[:16]


def _canonical(entry) -> bytes:
    payload = {
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": entry.actor_id,
        "actor_username": entry.actor_username,
        "actor_organization": entry.actor_organization_id,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "ip_address": entry.ip_address,
        "details": entry.details,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _hmac(key: bytes, content: bytes) -> str:
    return hmac.new(key, content, hashlib.sha256).hexdigest()


def entry_hash(entry, key: bytes) -> str:
    """HMAC-SHA256 of the entry's content and the previous entry's hash."""
    return _hmac(key, _canonical(entry))


def legacy_hash(entry) -> str:
    """The unkeyed SHA-256 of entries written before the chain was keyed (audit 0003)."""
    return hashlib.sha256(_canonical(entry)).hexdigest()


def lock_chain() -> None:
    """Writers take turns so that each entry links to the one committed before it. SQLite
    serialises writers by itself."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


# Checkpoints ---------------------------------------------------------------------------------


@dataclass
class Checkpoint:
    at: str
    count: int
    last_id: int | None
    head_hash: str
    supersedes: bool = False
    key: str = ""
    signature: str = ""
    source: str = ""  # file and line, for messages

    def fields(self) -> dict:
        return {
            "v": CHECKPOINT_VERSION,
            "at": self.at,
            "count": self.count,
            "last_id": self.last_id,
            "head_hash": self.head_hash,
            "supersedes": self.supersedes,
            "key": self.key,
        }

    def sign(self, key: bytes) -> str:
        canonical = json.dumps(self.fields(), sort_keys=True, separators=(",", ":"))
        return hmac.new(key, b"checkpoint\n" + canonical.encode(), hashlib.sha256).hexdigest()


def checkpoint_dir() -> Path:
    return Path(settings.CASEMGR_AUDIT_CHECKPOINT_DIR)


def checkpoint_write(*, supersedes: bool = False) -> Checkpoint:
    """Append a signed checkpoint of the chain's head to this month's file."""
    # Writers commit in the order of their ids (the chain lock is held until commit), so every
    # entry below the head seen here is already committed: the count cannot change after.
    head = _entries().order_by("-id").values_list("id", "hash").first()
    if head is None:
        last_id, head_hash, count = None, GENESIS_HASH, 0
    else:
        last_id, head_hash = head
        count = _entries().filter(id__lte=last_id).count()
    key = audit_key()
    now = timezone.now().astimezone(UTC)
    checkpoint = Checkpoint(
        at=now.isoformat(timespec="seconds"),
        count=count,
        last_id=last_id,
        head_hash=head_hash,
        supersedes=supersedes,
        key=key_id(key),
    )
    checkpoint.signature = checkpoint.sign(key)
    directory = checkpoint_dir()
    directory.mkdir(mode=0o750, parents=True, exist_ok=True)
    path = directory / f"audit-checkpoints-{now:%Y-%m}.jsonl"
    line = json.dumps({**checkpoint.fields(), "sig": checkpoint.signature}, sort_keys=True)
    # Appended, never rewritten: an operator may make the files append-only (chattr +a).
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    checkpoint.source = path.name
    return checkpoint


def _checkpoint_parse(line: str, source: str) -> Checkpoint:
    data = json.loads(line)
    return Checkpoint(
        at=str(data["at"]),
        count=int(data["count"]),
        last_id=None if data["last_id"] is None else int(data["last_id"]),
        head_hash=str(data["head_hash"]),
        supersedes=bool(data.get("supersedes", False)),
        key=str(data.get("key", "")),
        signature=str(data["sig"]),
        source=source,
    )


def checkpoints_read(key: bytes) -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints of the current series (from the newest superseding one), and problems."""
    directory = checkpoint_dir()
    problems: list[str] = []
    series: list[Checkpoint] = []
    foreign: list[Checkpoint] = []
    expected_key = key_id(key)
    paths = sorted(directory.glob("audit-checkpoints-*.jsonl")) if directory.is_dir() else []
    for path in paths:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if not line.strip():
                continue
            source = f"{path.name}:{number}"
            try:
                checkpoint = _checkpoint_parse(line, source)
            except (ValueError, KeyError, TypeError):
                problems.append(f"Checkpoint {source} cannot be read: it was altered.")
                continue
            if checkpoint.key != expected_key:
                # Signed with another key: a series that a re-chaining has ended, unless no
                # superseding checkpoint follows it.
                foreign.append(checkpoint)
                continue
            if not hmac.compare_digest(checkpoint.sign(key), checkpoint.signature):
                problems.append(
                    f"Checkpoint {source} does not carry the audit key's signature: "
                    "it was altered or forged."
                )
                continue
            if checkpoint.supersedes:
                series, foreign = [], []
            series.append(checkpoint)
    if foreign:
        problems.append(
            f"{len(foreign)} checkpoint(s) from {foreign[0].source} on were signed with another "
            "key and no re-chaining with the current key followed: was CASEMGR_AUDIT_KEY (or "
            "SECRET_KEY) changed without running audit_rechain?"
        )
    return series, problems


# Verifying -----------------------------------------------------------------------------------


@dataclass
class ChainReport:
    checked: int = 0
    total: int = 0
    broken_at: int | None = None
    legacy: bool = False
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.broken_at is None and not self.problems


def _entries():
    from .models import AuditEntry

    return AuditEntry.objects.all()


def chain_verify(*, batch_size: int = 5000, quick: bool = False) -> ChainReport:
    """Walk the chain in order and hold it against every checkpoint of the current series.

    `quick` walks only the entries after the newest checkpoint (whose entry must still be there,
    with its hash and as many entries before it) and looks up each checkpoint's entry: it sees
    deletions, an emptied table and edits since the last checkpoint at any size of log, but not
    an older entry edited without the key, which the full walk finds."""
    key = audit_key()
    report = ChainReport()
    checkpoints, report.problems = checkpoints_read(key)
    report.checkpoints = len(checkpoints)
    wanted_ids = {c.last_id for c in checkpoints if c.last_id is not None}
    wanted = sorted(wanted_ids)
    # Per checkpointed entry: (entries up to it, or None when not counted; its hash).
    seen: dict[int, tuple[int | None, str]] = {}
    start = next((c for c in reversed(checkpoints) if c.last_id is not None), None)
    entries = _entries().order_by("id")
    expected_prev, position = GENESIS_HASH, 0
    if quick and start is not None:
        for offset in range(0, len(wanted), 500):
            batch = wanted[offset : offset + 500]
            for entry_id, stored_hash in entries.filter(id__in=batch).values_list("id", "hash"):
                seen[entry_id] = (None, stored_hash)
        if start.last_id in seen:
            counted = _entries().filter(id__lte=start.last_id).count()
            seen[start.last_id] = (counted, seen[start.last_id][1])
        entries = entries.filter(id__gt=start.last_id)
        expected_prev, position = start.head_hash, start.count
    for entry in entries.iterator(chunk_size=batch_size):
        if entry.prev_hash != expected_prev or entry_hash(entry, key) != entry.hash:
            report.broken_at = entry.pk
            report.legacy = entry.prev_hash == expected_prev and entry.hash == legacy_hash(entry)
            break
        report.checked += 1
        position += 1
        if entry.pk in wanted_ids:
            seen[entry.pk] = (position, entry.hash)
        expected_prev = entry.hash
    if report.broken_at is not None:
        # Past the break, the checkpoints still tell whether their entries are where and what
        # they were.
        rest = _entries().filter(id__gte=report.broken_at).order_by("id")
        for entry_id, stored_hash in rest.values_list("id", "hash").iterator(batch_size):
            position += 1
            if entry_id in wanted_ids:
                seen[entry_id] = (position, stored_hash)
    report.total = position
    for checkpoint in checkpoints:
        problem = _checkpoint_problem(checkpoint, seen)
        if problem:
            report.problems.append(problem)
    if not checkpoints:
        report.warnings.append(
            f"No checkpoint in {checkpoint_dir()}: deleting the newest entries would go unnoticed "
            "(is the beat task audit.write_checkpoint running?)."
        )
    else:
        newest = datetime.fromisoformat(checkpoints[-1].at)
        minutes = (timezone.now() - newest).total_seconds() / 60
        if minutes > 2 * settings.CASEMGR_AUDIT_CHECKPOINT_MINUTES + 5:
            report.warnings.append(
                f"The newest checkpoint is {minutes:.0f} minutes old (is beat running?)."
            )
    return report


def _checkpoint_problem(checkpoint: Checkpoint, seen: dict) -> str | None:
    label = f"checkpoint {checkpoint.source} ({checkpoint.at}, {checkpoint.count} entries)"
    if checkpoint.last_id is None:
        return None
    if checkpoint.last_id in seen:
        position, head_hash = seen[checkpoint.last_id]
        if head_hash != checkpoint.head_hash:
            return f"Entry {checkpoint.last_id} is not the one recorded by {label}."
        if position is not None and position != checkpoint.count:
            return (
                f"{label.capitalize()} counted {checkpoint.count} entries up to entry "
                f"{checkpoint.last_id}; the log now holds {position}."
            )
        return None
    return (
        f"Entry {checkpoint.last_id}, the newest at {label}, is gone: entries were deleted or the "
        f"table was emptied (the log now holds {_entries().count()} entries)."
    )


# Re-chaining ---------------------------------------------------------------------------------


@dataclass
class RechainResult:
    entries: int
    rewritten: int
    broken_at: int | None


def chain_rewrite(
    *, model=None, force: bool = False, from_unkeyed: bool = False, batch_size: int = 2000
) -> RechainResult:
    """Re-chain every entry with the current key, after checking the chain as it stands: each
    entry must link to the one before and carry an HMAC with the current or a previous key (or,
    with `from_unkeyed`, the unkeyed SHA-256 of before the keyed chain: accepted only when
    asked for, since anyone can compute it). With `force`, a broken chain is re-chained all
    the same.

    Needs the role that owns the audit table: on PostgreSQL the append-only trigger is switched
    off for the rewrite, which the application's role may not do. `model` is the historical
    model when a migration calls this."""
    model = model or _entries().model
    key = audit_key()
    others = previous_audit_keys()
    table = connection.ops.quote_name(model._meta.db_table)
    postgres = connection.vendor == "postgresql"
    with transaction.atomic():
        lock_chain()
        if postgres:
            with connection.cursor() as cursor:
                # Deferred foreign-key checks of rows written earlier in the same transaction
                # (a caller's, a test's) would keep PostgreSQL from altering the table.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                # Also holds off readers and writers of the table until the rewrite commits.
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {TRIGGER}")
        entries, stale, broken, unkeyed = 0, 0, None, False
        expected_prev = GENESIS_HASH
        for batch in _batches(model, batch_size):
            for entry in batch:
                if broken is None:
                    content = _canonical(entry)
                    current = _hmac(key, content) == entry.hash
                    is_unkeyed = hashlib.sha256(content).hexdigest() == entry.hash
                    known = (
                        current
                        or (from_unkeyed and is_unkeyed)
                        or any(_hmac(other, content) == entry.hash for other in others)
                    )
                    if entry.prev_hash != expected_prev or not known:
                        broken = entry.pk
                        unkeyed = entry.prev_hash == expected_prev and is_unkeyed
                    elif not current:
                        stale += 1
                expected_prev = entry.hash
                entries += 1
        if broken is not None and not force:
            raise ChainBroken(broken, entries, unkeyed=unkeyed)
        rewritten = 0
        if stale or broken is not None:
            previous = GENESIS_HASH
            for batch in _batches(model, batch_size):
                rows = []
                for entry in batch:
                    entry.prev_hash = previous
                    entry.hash = previous = entry_hash(entry, key)
                    rows.append((entry.prev_hash, entry.hash, entry.pk))
                _rewrite_batch(table, rows, postgres=postgres)
                rewritten += len(rows)
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {TRIGGER}")
    return RechainResult(entries=entries, rewritten=rewritten, broken_at=broken)


def _rewrite_batch(table: str, rows: list[tuple[str, str, int]], *, postgres: bool) -> None:
    with connection.cursor() as cursor:
        if not postgres:
            cursor.executemany(
                f"UPDATE {table} SET prev_hash = %s, hash = %s WHERE id = %s",  # noqa: S608
                rows,
            )
            return
        # One statement per batch rather than one per row: a million entries in minutes.
        values = ", ".join(["(%s, %s, %s::bigint)"] * len(rows))
        cursor.execute(
            f"UPDATE {table} AS entry SET prev_hash = new.prev_hash, hash = new.hash "  # noqa: S608
            f"FROM (VALUES {values}) AS new (prev_hash, hash, id) WHERE entry.id = new.id",
            [value for row in rows for value in row],
        )


def _batches(model, batch_size: int):
    # By id, not with a cursor held open across the rewrite of the same rows.
    last = 0
    while True:
        batch = list(model.objects.filter(id__gt=last).order_by("id")[:batch_size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk
