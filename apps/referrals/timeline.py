"""How the referral events on a case's timeline read, in the active language."""

import datetime

from django.utils import formats
from django.utils.translation import gettext as _


def _names(event) -> dict:
    return {
        "service": event.data.get("service", ""),
        "organization": event.data.get("organization", ""),
    }


def referral_sent(event) -> str:
    if event.data.get("urgency") == "urgent":
        return _("Urgent referral sent to %(service)s (%(organization)s)") % _names(event)
    return _("Referral sent to %(service)s (%(organization)s)") % _names(event)


def referral_accepted(event) -> str:
    return _("%(organization)s accepted the referral to %(service)s") % _names(event)


def referral_declined(event) -> str:
    return _("%(organization)s declined the referral to %(service)s") % _names(event)


def referral_completed(event) -> str:
    return _("%(organization)s completed the referral to %(service)s") % _names(event)


def referral_withdrawn(event) -> str:
    return _("Referral to %(service)s (%(organization)s) withdrawn") % _names(event)


def referral_escalated(event) -> str:
    return _(
        "Referral to %(service)s (%(organization)s) not accepted in time: escalated to the "
        "administrators"
    ) % _names(event)


def assistance_refused(event) -> str:
    try:
        day = datetime.date.fromisoformat(event.data.get("refused_on") or "")
    except ValueError:
        # An anonymised case's events keep no data.
        return _("The person refused assistance, told of their rights and the services available")
    return _(
        "The person refused assistance on %(date)s, told of their rights and the services available"
    ) % {"date": formats.date_format(day, "DATE_FORMAT")}


RENDERERS = {
    "referral_sent": referral_sent,
    "referral_accepted": referral_accepted,
    "referral_declined": referral_declined,
    "referral_completed": referral_completed,
    "referral_withdrawn": referral_withdrawn,
    "referral_escalated": referral_escalated,
    "assistance_refused": assistance_refused,
}
