"""Audit records name the kind of record in words ("Case"), never as `cases.case`."""

from django import template
from django.apps import apps
from django.utils.text import capfirst

register = template.Library()


@register.filter
def record_type(label: str) -> str:
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label or "—"
    return capfirst(model._meta.verbose_name)
