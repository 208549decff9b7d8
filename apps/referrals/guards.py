"""The rule from screening.md: a presumed victim's case is not closed without a referral."""

from django.utils.translation import gettext as _

from .models import Referral

# A referral counts when it was sent, accepted or completed. A withdrawn or declined referral
# does not: the person has not reached help, so the caseworker must refer elsewhere first.
COUNTING_STATUSES = [Referral.Status.SENT, Referral.Status.ACCEPTED, Referral.Status.COMPLETED]


def presumed_victim_needs_referral(case) -> str | None:
    """Refuse closing a presumed victim's case until a referral to services has been made."""
    if case.victim_status != "presumed":
        return None
    if Referral.objects.filter(case_id=case.pk, status__in=COUNTING_STATUSES).exists():
        return None
    return _(
        "The person is a presumed victim: refer them to at least one service (not withdrawn "
        "or declined) before closing the case."
    )
