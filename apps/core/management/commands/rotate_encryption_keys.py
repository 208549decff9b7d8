from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from apps.core import crypto
from apps.core.fields import EncryptedTextField


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the first key of CASEMGR_ENCRYPTION_KEYS and "
        "recompute the search hashes with CASEMGR_SEARCH_KEY. Put the new key first, keep the "
        "old ones after it until this has run, then remove them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options):
        crypto.reset_keys()
        for model in apps.get_models():
            fields = [
                f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
            ]
            if not fields:
                continue
            count = 0
            for obj in model._default_manager.all().iterator(chunk_size=batch_size):
                # Read decrypts with whichever key fits; the update encrypts with the first key,
                # and derived columns (search hashes) are recomputed with the current search key.
                values = {name: getattr(obj, name) for name in fields}
                derive = getattr(obj, "derived_update_fields", None)
                if derive is not None:
                    for name in derive(list(fields)) or []:
                        values[name] = getattr(obj, name)
                with transaction.atomic():
                    model._default_manager.filter(pk=obj.pk).update(**values)
                count += 1
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
        self.stdout.write(self.style.SUCCESS("Done. The old keys can now be removed."))
