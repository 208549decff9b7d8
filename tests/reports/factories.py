import datetime

from django.utils import timezone

from apps.screening.models import Screening
from tests.accounts.factories import UserFactory


def at(year, month=6, day=15, hour=12):
    """An aware datetime in the project's time zone."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def screening(case, *, when, trafficking="no_indicators", status="complete", **extra):
    """A screening of the case completed at `when` with the given result."""
    return Screening.objects.create(
        case=case,
        screened_by=extra.pop("screened_by", None) or UserFactory(role="inspector"),
        status=status,
        catalogue_version="test",
        trafficking=trafficking,
        forced_labour=extra.pop("forced_labour", False),
        debt_coercion=extra.pop("debt_coercion", False),
        completed_at=when if status == "complete" else None,
        **extra,
    )
