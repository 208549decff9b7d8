import time

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q

from apps.core import crypto
from apps.core.fields import EncryptedTextField
from apps.core.migration_utils import write_rows


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the first key of CASEMGR_ENCRYPTION_KEYS (in the "
        "current format) and recompute the search hashes with CASEMGR_SEARCH_KEY. Put the new "
        "key first, keep the old ones after it until this has run, then remove them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="Rows read and rewritten per transaction (default 500).",
        )

    def handle(self, *args, batch_size: int, **options):
        crypto.reset_keys()
        for model in apps.get_models():
            fields = [
                f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
            ]
            if fields:
                started = time.perf_counter()
                count = self._rotate(model, fields, max(batch_size, 1))
                self.stdout.write(
                    f"{model._meta.label}: {count} rows re-encrypted "
                    f"in {time.perf_counter() - started:.1f} s"
                )
        # The matcher's keys are keyed hashes too (apps/cases/matching.py).
        from apps.cases.matching import persons_reindex

        started = time.perf_counter()
        count = persons_reindex(batch_size=max(batch_size, 1))
        self.stdout.write(
            f"cases.PersonMatchKey: {count} persons keyed in {time.perf_counter() - started:.1f} s"
        )
        self.stdout.write(self.style.SUCCESS("Done. The old keys can now be removed."))

    def _rotate(self, model, fields: list[str], batch_size: int) -> int:
        """Rows in primary-key order, a batch per transaction: each batch is read (decrypting
        with whichever key fits) and written back in one statement, encrypted with the first
        key; derived columns (search hashes) are recomputed with the current search key. A run
        that stops part-way leaves every row readable, and running it again finishes the job."""
        derive = getattr(model, "derived_update_fields", None)
        rows = model._base_manager.order_by("pk").only("pk", *fields)
        if derive is None:
            # Nothing to rewrite in a row whose encrypted fields are all empty (most cases'
            # outcome, most events' data at first): skip those rows in the query.
            empty = Q()
            for name in fields:
                empty &= Q(**{f"{name}__isnull": True}) | Q(**{name: ""})
            rows = rows.exclude(empty)
        count, last_pk = 0, None
        while True:
            page = rows if last_pk is None else rows.filter(pk__gt=last_pk)
            with transaction.atomic():
                batch = list(page.select_for_update()[:batch_size])
                if not batch:
                    return count
                written = fields
                if derive is not None:
                    # What save() would write with these fields: them and their search hashes.
                    for obj in batch:
                        written = derive(obj, list(fields))
                # Saving the values as read encrypts them again with the first key.
                write_rows(model, batch, written)
            count += len(batch)
            last_pk = batch[-1].pk
