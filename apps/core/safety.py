"""Commands that fill a database with demo or synthetic records refuse production settings."""

from django.conf import settings
from django.core.management.base import CommandError


def refuse_in_production(command: str) -> None:
    """Demo and synthetic people, cases and accounts must never mix with real ones."""
    if getattr(settings, "CASEMGR_PRODUCTION", False):
        raise CommandError(
            f"{command} is not allowed in production (DJANGO_SETTINGS_MODULE="
            f"{settings.SETTINGS_MODULE}): it writes made-up people, cases and accounts into "
            "the database. Run it against a development or benchmark database."
        )
