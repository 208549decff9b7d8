"""Display names of the report's keys (sections, breakdown dimensions and their values)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from apps.cases.countries import COUNTRIES
from apps.cases.models import Sector, Sex
from apps.core.regions import Region
from apps.proceedings.models import Exploitation

from .trends import metric_label

SECTION_LABELS = {
    "prosecution": gettext_lazy("Prosecution"),
    "protection": gettext_lazy("Protection"),
    "prevention": gettext_lazy("Prevention"),
    "partnership": gettext_lazy("Partnership"),
    "trend": gettext_lazy("Trend"),
    "tier": gettext_lazy("Indicative tier"),
}

EXTRA_METRIC_LABELS = {
    "acquittals": gettext_lazy("Acquittals"),
    "median_days_to_accept": gettext_lazy("Median days from referral sent to accepted"),
    "median_days_flag_to_accepted": gettext_lazy(
        "Median days from a presumed victim's flagging screening to a referral accepted"
    ),
    "investigations_by_exploitation": gettext_lazy("Investigations by type of exploitation"),
    "prosecutions_by_exploitation": gettext_lazy("Prosecutions by type of exploitation"),
    "convictions_by_exploitation": gettext_lazy("Convictions by type of exploitation"),
    "acquittals_by_exploitation": gettext_lazy("Acquittals by type of exploitation"),
    "referrals_by_service_type": gettext_lazy("Referrals by service type"),
}

DIMENSION_LABELS = {
    "sex": gettext_lazy("Sex"),
    "age_group": gettext_lazy("Age group"),
    "citizenship": gettext_lazy("Citizenship"),
    "sector": gettext_lazy("Sector"),
    "region": gettext_lazy("Region"),
}

SERVICE_TYPE_LABELS = {
    "shelter": gettext_lazy("Shelter"),
    "legal_aid": gettext_lazy("Legal aid"),
    "medical": gettext_lazy("Medical care"),
    "psychosocial": gettext_lazy("Psychosocial support"),
    "interpretation": gettext_lazy("Interpretation"),
    "return_assistance": gettext_lazy("Return assistance"),
    "reintegration": gettext_lazy("Reintegration"),
    "hotline": gettext_lazy("Hotline"),
}

UNKNOWN = pgettext_lazy("breakdown value", "unknown")


def label(key: str) -> str:
    """The display name of any metric key of the report."""
    if key in EXTRA_METRIC_LABELS:
        return str(EXTRA_METRIC_LABELS[key])
    return metric_label(key)


def value_label(dimension: str, value: str) -> str:
    """The display name of a breakdown value (a sex, sector, region, service type ...)."""
    choices = {
        "sex": dict(Sex.choices),
        "sector": dict(Sector.choices),
        "region": dict(Region.choices),
        "exploitation": dict(Exploitation.choices),
        "service_type": SERVICE_TYPE_LABELS,
        "citizenship": COUNTRIES,
    }.get(dimension)
    if choices and value in choices:
        return str(choices[value])
    if value == "unknown":
        return str(UNKNOWN)
    return value


def region_label(region: str | None) -> str:
    if not region:
        return _("All regions")
    return str(dict(Region.choices).get(region, region))
