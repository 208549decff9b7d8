from django.core.management.base import BaseCommand, CommandError

from apps.audit.chain import chain_verify


class Command(BaseCommand):
    help = (
        "Check that no audit entry was changed, removed or inserted out of order, and that the "
        "log still holds every entry its signed checkpoints recorded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quick",
            action="store_true",
            help="Check only the entries since the newest checkpoint and each checkpoint's "
            "entry: deletions and an emptied table at any size of log, not an older entry "
            "edited without the key (the full check finds that).",
        )

    def handle(self, *args, quick: bool = False, **options):
        report = chain_verify(quick=quick)
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(warning))
        problems = list(report.problems)
        if report.broken_at is not None:
            if report.legacy:
                problems.insert(
                    0,
                    f"Audit chain broken at entry {report.broken_at}: it carries an unkeyed "
                    "SHA-256 hash. Either the log predates the keyed chain and migration audit "
                    "0004 left it (manage.py audit_rechain --from-unkeyed, as the role that owns "
                    "the tables), or someone recomputed the chain without the key.",
                )
            else:
                problems.insert(
                    0,
                    f"Audit chain broken at entry {report.broken_at} (after {report.checked} "
                    "intact entries): it was changed, removed, inserted, or its hash was "
                    "computed without the audit key.",
                )
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit chain intact: {report.checked} entries checked"
                + (" since the newest checkpoint" if quick and report.checkpoints else "")
                + f", {report.checkpoints} checkpoint(s) matched."
            )
        )
