"""The currencies a debt may be recorded in: the app's one ISO 4217 list (apps.core)."""

from apps.core.currencies import ISO_4217, REGIONAL, currency_choices, currency_name

__all__ = ["ISO_4217", "REGIONAL", "currency_choices", "currency_name"]
