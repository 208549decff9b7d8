"""How protection events read on the case's timeline."""

from django.utils.translation import gettext as _

from apps.cases.models import VictimStatus

from .models import ProtectionEvent


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


def protection_changed(event) -> str:
    return _("The person's protection status changed from %(from)s to %(to)s (%(source)s).") % {
        "from": _label(VictimStatus, event.data.get("from", "")),
        "to": _label(VictimStatus, event.data.get("to", "")),
        "source": _label(ProtectionEvent.Source, event.data.get("source", "")),
    }
