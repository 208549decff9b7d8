from django.core.management.base import BaseCommand

from apps.cases.matching import persons_reindex


class Command(BaseCommand):
    help = (
        "Recompute every person's matching keys (keyed hashes of name skeletons, docs/identity.md) "
        "with the current CASEMGR_SEARCH_KEY. rotate_encryption_keys runs it too."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size: int, **options):
        count = persons_reindex(batch_size=max(batch_size, 1))
        self.stdout.write(self.style.SUCCESS(f"{count} persons keyed."))
