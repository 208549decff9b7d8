"""How the screening app's timeline events read."""

from django.utils.translation import gettext as _

from .models import Screening


def _result_label(value: str) -> str:
    try:
        return str(Screening.Trafficking(value).label)
    except ValueError:
        return value


def screening_completed(event) -> str:
    data = event.data
    text = _("Screening completed: %(result)s (catalogue %(version)s).") % {
        "result": _result_label(data.get("trafficking", "")),
        "version": data.get("catalogue_version", ""),
    }
    parts = [text]
    if data.get("forced_labour"):
        parts.append(_("Forced labour indicated."))
    if data.get("debt_coercion"):
        parts.append(_("Debt coercion indicated."))
    return " ".join(parts)
