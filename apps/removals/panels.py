"""The removals section of the case page."""

import datetime

from django.utils import timezone

from apps.screening.selectors import latest_valid_screening

from . import selectors, services
from .forms import ProposeForm


def _needs_screening(case) -> bool:
    """No complete screening recent enough for a decision: the proposer is sent to screen first."""
    latest = latest_valid_screening(case)
    cutoff = timezone.now() - datetime.timedelta(days=services.screening_validity_days())
    return latest is None or latest.completed_at is None or latest.completed_at < cutoff


def case_panel_context(request, case) -> dict:
    may_propose = request.user.role in services.PROPOSE_ROLES and case.status == case.Status.OPEN
    return {
        "case": case,
        "removals": list(selectors.removals_of_case(case)),
        "propose_form": ProposeForm(case=case) if may_propose else None,
        "needs_screening": may_propose and _needs_screening(case),
        "validity_days": services.screening_validity_days(),
    }
