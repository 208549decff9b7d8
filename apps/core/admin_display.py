"""Read-only admin pages show values in the reader's language, never Python's or a raw code."""

from django.contrib import admin
from django.utils.translation import gettext as _


def yes_no_unknown(value) -> str:
    # Django's admin gives a boolean with no value an icon whose alt text is the English "None".
    if value is None:
        return _("Unknown")
    return _("Yes") if value else _("No")


def boolean_display(field: str, description):
    """An admin column showing a nullable boolean as Yes, No or Unknown, translated."""

    @admin.display(description=description)
    def shown(modeladmin, obj):
        return yes_no_unknown(getattr(obj, field))

    shown.__name__ = f"{field}_shown"
    return shown
