from django import template

from apps.reports.exports import display

register = template.Library()


@register.filter
def report_value(value):
    """A report cell for people: localised number, "<5" as it is, or "no data"."""
    return display(value)


@register.filter
def tier_label(code):
    """The translated name of a tier code."""
    from apps.reports.tier import TIER_LABELS

    return TIER_LABELS.get(code, code)
