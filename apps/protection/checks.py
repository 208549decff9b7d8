"""The reflection period cannot be set below the Convention's minimum (art. 13(1): 30 days)."""

from django.conf import settings
from django.core import checks

MINIMUM_REFLECTION_DAYS = 30


@checks.register(checks.Tags.compatibility)
def reflection_days_check(app_configs=None, **kwargs):
    days = getattr(settings, "CASEMGR_REFLECTION_DAYS", MINIMUM_REFLECTION_DAYS)
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = -1
    if days < MINIMUM_REFLECTION_DAYS:
        return [
            checks.Error(
                "CASEMGR_REFLECTION_DAYS must be at least 30 (Council of Europe Convention on "
                "Action against Trafficking in Human Beings, art. 13(1)).",
                id="protection.E001",
            )
        ]
    return []
