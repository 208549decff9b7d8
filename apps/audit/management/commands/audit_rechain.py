from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from apps.audit.chain import ChainBroken, chain_rewrite, checkpoint_write
from apps.audit.services import audit_record


class Command(BaseCommand):
    help = (
        "Re-chain the audit log with the current CASEMGR_AUDIT_KEY: after upgrading from the "
        "unkeyed chain, or after changing the key (the previous one in "
        "CASEMGR_AUDIT_PREVIOUS_KEYS). Run it as the role that owns the tables."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from-unkeyed",
            action="store_true",
            help="Accept entries carrying the unkeyed SHA-256 of before the keyed chain (which "
            "migration audit 0004 re-chains on upgrade): only for a log never re-chained since.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Re-chain even a chain that does not verify (recorded in the audit log).",
        )

    def handle(self, *args, force: bool = False, from_unkeyed: bool = False, **options):
        try:
            result = chain_rewrite(force=force, from_unkeyed=from_unkeyed)
        except ChainBroken as exc:
            hint = (
                " It carries the unkeyed hash of before the keyed chain: if the log was never "
                "keyed, use --from-unkeyed; if it was, the chain was recomputed without the key."
                if exc.unkeyed
                else ""
            )
            raise CommandError(
                f"The audit chain is broken at entry {exc.entry_id}: re-chaining it would hide "
                f"what changed it.{hint} Look into it (manage.py audit_verify); --force "
                "re-chains anyway."
            ) from exc
        except DatabaseError as exc:
            raise CommandError(
                f"{exc}\nRun audit_rechain as the role that owns the tables (the one that runs "
                "migrations), not as the application's role."
            ) from exc
        if result.rewritten == 0:
            self.stdout.write(
                self.style.SUCCESS(f"Nothing to do: {result.entries} entries, all keyed.")
            )
            return
        audit_record(
            actor=None,
            action="system",
            target_type="audit.auditentry",
            details={"rechained": result.rewritten, "broken_at": result.broken_at},
        )
        # Checkpoints written before name hashes that are gone; this one starts a new series.
        checkpoint = checkpoint_write(supersedes=True)
        self.stdout.write(
            self.style.SUCCESS(
                f"Re-chained {result.rewritten} entries with the audit key; new checkpoint series "
                f"from entry {checkpoint.last_id}."
            )
        )
