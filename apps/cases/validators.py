"""Field validators for cases: ISO codes, dates that cannot lie in the future."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .countries import COUNTRIES
from .languages import LANGUAGE_CODES

# ISO 4217 currency codes (from Debian iso-codes).
CURRENCY_CODES: frozenset[str] = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL
    BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF
    DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG
    HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP
    LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN
    NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG
    SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS
    UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD
    XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWL
    """.split()
)


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
            _("Give the languages as a list of ISO 639-1 codes, for example [\"uz\", \"ru\"]."),
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
    if value and value not in CURRENCY_CODES:
        raise ValidationError(
            _("%(value)s is not an ISO 4217 currency code (for example KZT, RUB, USD)."),
            code="invalid_currency",
            params={"value": value},
        )


def validate_not_future(value) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(_("This date is in the future."), code="future_date")
