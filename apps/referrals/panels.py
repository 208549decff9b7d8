"""Context for the referral sections of the home page and the case page."""

from apps.core.access import has_role

from . import selectors, services
from .forms import AssistanceRefusalForm
from .guards import victim_needs_assistance_or_refusal


def home_incoming(request) -> dict:
    """Incoming referrals waiting for the caseworker's organisation to answer."""
    awaiting = selectors.referral_incoming_awaiting(request.user)
    items = list(awaiting.order_by("-urgency", "sent_at")[:5])
    return {"referrals": items, "count": awaiting.count()}


def case_referrals(request, case) -> dict:
    """The case's referrals, the services that match it best and the refusals of assistance."""
    user = request.user
    is_open = case.status == "open"
    may_refer = (
        has_role(user, ["caseworker", "inspector"]) and user.organization_id is not None and is_open
    )
    may_record_refusal = services.assistance_refusal_role_allowed(user) and is_open
    return {
        "case": case,
        "referrals": list(selectors.referral_list_for_case(user, case=case)),
        "matches": selectors.service_matches_for_case(user, case=case, limit=5)
        if may_refer
        else [],
        "may_refer": may_refer,
        "close_rule": victim_needs_assistance_or_refusal(case) if is_open else None,
        "refusals": list(selectors.assistance_refusals_of_case(case)),
        "refusal_form": AssistanceRefusalForm(prefix="refusal") if may_record_refusal else None,
    }
