"""The close rule of docs/referrals.md: a flagged person's case is not closed until the person
has reached help (a referral accepted by a service) or has refused it, told of their rights."""

from django.utils.translation import gettext as _

from apps.cases.models import VictimStatus

from .models import AssistanceRefusal, Referral

# The statuses that give reasonable grounds or more (as apps/removals/protection.py's
# FLAGGED_STATUSES; not imported, so that referrals does not depend on removals).
FLAGGED_STATUSES = (VictimStatus.POSSIBLE, VictimStatus.PRESUMED, VictimStatus.IDENTIFIED)

# A referral counts once a service has taken the person on. A sent referral may still be
# declined; a declined or withdrawn one means the person has not reached help.
COUNTING_STATUSES = (Referral.Status.ACCEPTED, Referral.Status.COMPLETED)


def victim_needs_assistance_or_refusal(case) -> str | None:
    """Refuse closing a flagged person's case without an accepted referral or a refusal."""
    if case.victim_status not in FLAGGED_STATUSES:
        return None
    if Referral.objects.filter(case_id=case.pk, status__in=COUNTING_STATUSES).exists():
        return None
    if AssistanceRefusal.objects.filter(case_id=case.pk).exists():
        return None
    return _(
        "The person is a possible, presumed or identified victim of trafficking. Before the case "
        "is closed, a service must accept a referral of the person, or you record that the "
        "person refuses assistance after being told of their rights and the services available."
    )
