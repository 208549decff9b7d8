"""`manage.py outbox_dispatch`: hand every due outbox message over now (docs/operations.md).

Beat does this every minute; the embedded set-up (tasks in-process, no beat) runs this command
from cron to retry messages that failed."""

from django.core.management.base import BaseCommand

from apps.core.outbox import outbox_dispatch


class Command(BaseCommand):
    help = "Hand every outbox message that is due to Celery (in-process without a broker)."

    def handle(self, *args, **options):
        handed = outbox_dispatch()
        self.stdout.write(f"{handed} outbox message(s) handed over.")
