"""Catalogue versions shown by name, never as their code (`delphi-2009-labour+debt-1`)."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

CATALOGUE_LABELS = {
    "delphi-2009-labour+debt-1": _("ILO/EC Delphi indicators (2009), labour and debt, version 1"),
    "delphi-2009+debt-2": _(
        "ILO/EC Delphi indicators (2009), adult and child lists for labour, sexual exploitation "
        "and begging, and debt, version 2"
    ),
}


@register.filter
def catalogue_label(version: str) -> str:
    return str(CATALOGUE_LABELS.get(version, version or "—"))
