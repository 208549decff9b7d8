"""Context for the referral sections of the home page and the case page."""

from apps.core.access import has_role

from . import selectors


def home_incoming(request) -> dict:
    """Incoming referrals waiting for the caseworker's organisation to answer."""
    awaiting = selectors.referral_incoming_awaiting(request.user)
    items = list(awaiting.order_by("-urgency", "sent_at")[:5])
    return {"referrals": items, "count": awaiting.count()}


def case_referrals(request, case) -> dict:
    """The case's referrals and the services that match it best."""
    user = request.user
    may_refer = (
        has_role(user, ["caseworker", "inspector"])
        and user.organization_id is not None
        and case.status == "open"
    )
    return {
        "case": case,
        "referrals": list(selectors.referral_list_for_case(user, case=case)),
        "matches": selectors.service_matches_for_case(user, case=case, limit=5)
        if may_refer
        else [],
        "may_refer": may_refer,
    }
