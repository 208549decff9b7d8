from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from apps.accounts.models import User
from apps.training import services
from apps.training.models import TrainingSession


class Command(BaseCommand):
    help = "Import an attendance sheet (CSV or XLSX: username, passed, score) into a session."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--session", type=int, required=True, help="Training session id.")
        parser.add_argument("--dry-run", action="store_true", help="Check only; save nothing.")
        parser.add_argument("--as", dest="actor", help="Administrator's username, for the log.")
        parser.add_argument("--language", default="en", choices=["en", "ru", "kk"])

    def handle(self, *args, **options):
        translation.activate(options["language"])
        try:
            session = TrainingSession.objects.get(pk=options["session"])
        except TrainingSession.DoesNotExist as exc:
            raise CommandError(f"No training session with id {options['session']}.") from exc
        actor = None
        if options["actor"]:
            actor = User.objects.filter(
                username=options["actor"], role="administrator", is_active=True
            ).first()
            if actor is None:
                raise CommandError(f"No active administrator {options['actor']!r}.")
        try:
            content = options["file"].read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        result = services.attendance_import(
            session=session, actor=actor, content=content, dry_run=options["dry_run"]
        )
        for row in result.rows:
            status = "ERROR" if row.errors else ("update" if row.update else "new")
            self.stdout.write(f"{row.row:>5}  {row.username:<24} {status}")
        if result.errors:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing was saved: {len(result.errors)} problem(s).")
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {len(result.rows)} row(s) would be saved.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Saved {len(result.rows)} row(s)."))
