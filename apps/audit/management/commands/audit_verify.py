from django.core.management.base import BaseCommand, CommandError

from apps.audit.services import audit_chain_verify


class Command(BaseCommand):
    help = "Check that no audit entry was changed, removed or inserted out of order."

    def handle(self, *args, **options):
        checked, broken = audit_chain_verify()
        if broken is not None:
            raise CommandError(
                f"Audit chain broken at entry {broken} (after {checked} intact entries)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} entries."))
