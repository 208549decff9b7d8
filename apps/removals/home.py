"""The home-page panel: removals waiting for a decision or suspended."""

from .models import Removal
from .selectors import removal_list_for_user


def pending_context(request) -> dict:
    removals = removal_list_for_user(request.user).filter(
        status__in=[Removal.Status.PENDING, Removal.Status.SUSPENDED]
    )[:10]
    return {"removals": list(removals)}
