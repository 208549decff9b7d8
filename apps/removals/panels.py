"""The removals section of the case page."""

from . import selectors, services
from .forms import ProposeForm


def case_panel_context(request, case) -> dict:
    may_propose = request.user.role in services.PROPOSE_ROLES and case.status == case.Status.OPEN
    return {
        "case": case,
        "removals": list(selectors.removals_of_case(case)),
        "propose_form": ProposeForm() if may_propose else None,
    }
