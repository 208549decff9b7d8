"""Filters shared by the API's filter sets."""

import django_filters
from django import forms


class YearFilter(django_filters.NumberFilter):
    """A calendar year: a whole number in a sensible range, else a clear 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "year")
        kwargs.setdefault("min_value", 1990)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)
