from django.core.management.base import BaseCommand

from apps.audit.chain import checkpoint_dir, checkpoint_write
from apps.audit.services import audit_record


class Command(BaseCommand):
    help = (
        "Append a signed checkpoint of the audit chain (beat does it every "
        "CASEMGR_AUDIT_CHECKPOINT_MINUTES). --supersede starts a new series: after restoring a "
        "backup, earlier checkpoints name entries the restored database never had."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--supersede",
            action="store_true",
            help="Earlier checkpoints are no longer checked (recorded in the audit log).",
        )

    def handle(self, *args, supersede: bool = False, **options):
        if supersede:
            # The log itself says that the checkpoints before this one were set aside.
            audit_record(
                actor=None,
                action="system",
                target_type="audit.auditentry",
                details={"checkpoints": "superseded"},
            )
        checkpoint = checkpoint_write(supersedes=supersede)
        self.stdout.write(
            self.style.SUCCESS(
                f"Checkpoint written to {checkpoint_dir() / checkpoint.source}: "
                f"{checkpoint.count} entries, newest {checkpoint.last_id}."
            )
        )
