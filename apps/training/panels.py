"""Home-page panels: an inspector's own certification, and who is due for renewal."""

from django.utils import timezone

from . import selectors
from .certification import reminder_days


def my_certification(request) -> dict:
    today = timezone.localdate()
    until = selectors.certified_until(request.user, today)
    return {
        "certified_until": until,
        "trained": selectors.inspector_certified_on(user=request.user, on=today),
        "days_left": (until - today).days if until else None,
        "reminder_days": reminder_days(),
    }


def due_for_renewal(request) -> dict:
    inspectors = selectors.inspectors_due_for_renewal(request.user)
    untrained = selectors.inspector_list_for_user(request.user, filters={"trained": False})
    return {
        "due": selectors.with_certification(inspectors[:10]),
        "due_count": inspectors.count(),
        "untrained_count": untrained.count(),
        "reminder_days": reminder_days(),
    }
