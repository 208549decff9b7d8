"""Field validators for cases: ISO codes, dates that cannot lie in the future."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.currencies import ISO_4217

from .countries import COUNTRIES
from .languages import LANGUAGE_CODES


def validate_country(value: str) -> None:
    if value and value not in COUNTRIES:
        raise ValidationError(
            _("%(value)s is not an ISO 3166-1 alpha-2 country code (for example UZ, TJ, KG)."),
            code="invalid_country",
            params={"value": value},
        )


def validate_languages(value) -> None:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(
            _('Give the languages as a list of ISO 639-1 codes, for example ["uz", "ru"].'),
            code="invalid_languages",
        )
    unknown = [code for code in value if code not in LANGUAGE_CODES]
    if unknown:
        raise ValidationError(
            _("Not ISO 639-1 language codes: %(codes)s."),
            code="invalid_languages",
            params={"codes": ", ".join(unknown)},
        )


def validate_currency(value: str) -> None:
    if value and value not in ISO_4217:
        raise ValidationError(
            _("%(value)s is not an ISO 4217 currency code (for example KZT, RUB, USD)."),
            code="invalid_currency",
            params={"value": value},
        )


def validate_not_future(value) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(_("This date is in the future."), code="future_date")
