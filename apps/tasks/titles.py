"""A task's title, written when shown, in the reader's language, from its kind and parameters
(references and dates only: the stored row holds no translated text and no personal data)."""

import datetime

from django.utils import formats
from django.utils.translation import gettext as _


def _date(value) -> str:
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def task_title(task) -> str:
    params = task.params or {}
    kind = task.kind
    if kind == "manual":
        return task.title
    if kind == "reflection_ending":
        return _("The reflection period ends on %(date)s (in %(days)s days): plan what follows") % {
            "date": _date(params.get("until")),
            "days": params.get("days"),
        }
    if kind == "stay_ending":
        return _("The legal stay ends on %(date)s") % {"date": _date(params.get("until"))}
    if kind == "permit_ending":
        return _("The permit or contract ends on %(date)s") % {"date": _date(params.get("until"))}
    if kind == "referral_unanswered":
        return _("Referral #%(referral)s has had no answer since %(date)s") % {
            "referral": params.get("referral"),
            "date": _date(params.get("since")),
        }
    if kind == "removal_screening":
        if params.get("screening_until"):
            return _(
                "Screen again: the screening for pending removal #%(removal)s is valid until "
                "%(date)s"
            ) % {"removal": params.get("removal"), "date": _date(params["screening_until"])}
        return _("Screen the person: pending removal #%(removal)s has no valid screening") % {
            "removal": params.get("removal")
        }
    if kind == "identification_due":
        return _("Request formal identification: reasonable grounds since %(date)s") % {
            "date": _date(params.get("grounds_on"))
        }
    if kind == "certification_ending":
        return _("Certification of inspector #%(inspector)s ends on %(date)s") % {
            "inspector": params.get("inspector"),
            "date": _date(params.get("until")),
        }
    if kind == "follow_up":
        from .models import FollowUp

        labels = dict(FollowUp.Kind.choices)
        return _("Follow-up: %(kind)s") % {"kind": labels.get(params.get("follow_up_kind"), "")}
    return str(kind)
