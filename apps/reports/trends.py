"""Year-on-year trends of the annual report metrics (reports.md, "trend"); pure Python, no database.

Definitions used throughout:

- A series maps calendar years to a number, or to ``None`` when the year has no value.
- The *step* into year Y compares Y with the calendar year Y - 1. It is ``up`` when the value
  is larger, ``down`` when smaller, ``flat`` when equal (exact comparison, no tolerance) and
  ``none`` when either year is missing from the series or has the value ``None``. We never
  compare across a missing year, because such a change would span more than one year.
- The *run* at year Y is the number of consecutive steps, ending with the step into Y, that all
  go in the direction of that step. Only ``up`` and ``down`` steps make a run: a ``flat`` or
  ``none`` step has a run of 0 and ends any run before it, so a run never spans an unchanged
  year or a gap. Convictions 9, 7, 5, 3, 2 in 2020..2024 give a run of 4 in 2024: they
  decreased for the fourth consecutive year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any, Literal

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

Number = int | float | Decimal
Direction = Literal["up", "down", "flat", "none"]

UP: Direction = "up"
DOWN: Direction = "down"
FLAT: Direction = "flat"
NONE: Direction = "none"

# Display names of every metric the trend table and the indicative tier talk about.
METRIC_LABELS: dict[str, Promise] = {
    # prosecution
    "investigations": gettext_lazy("Investigations"),
    "prosecutions": gettext_lazy("Prosecutions"),
    "convictions": gettext_lazy("Convictions"),
    "official_complicity": gettext_lazy("Investigations of official complicity"),
    # protection
    "persons_screened": gettext_lazy("Persons screened"),
    "presumed_victims": gettext_lazy("Presumed victims"),
    "possible_victims": gettext_lazy("Possible victims"),
    "identified_victims": gettext_lazy("Identified victims"),
    "forced_labour_flags": gettext_lazy("Persons flagged for forced labour"),
    "debt_coercion_flags": gettext_lazy("Persons flagged for debt coercion"),
    "removals_decided": gettext_lazy("Removals decided"),
    "removals_screened": gettext_lazy("Removals preceded by a screening"),
    "removals_screened_pct": gettext_lazy("Share of removals preceded by a screening"),
    "flagged_persons_removed": gettext_lazy("Flagged persons removed"),
    "removal_overrides": gettext_lazy("Overrides deciding to remove a flagged person"),
    "removal_overrides_public_order": gettext_lazy("Overrides on grounds of public order"),
    "removal_overrides_improper_claim": gettext_lazy(
        "Overrides because victim status was claimed improperly"
    ),
    "removals_enforced": gettext_lazy("Removals enforced"),
    "enforced_then_flagged": gettext_lazy("Removals enforced of persons flagged afterwards"),
    "reflection_periods": gettext_lazy("Reflection periods granted"),
    "removals_held_elsewhere": gettext_lazy(
        "Removals suspended by a protection flag on the same person elsewhere"
    ),
    "identity_checks": gettext_lazy(
        "Possible matches with a flagged person checked as another person"
    ),
    "referrals_sent": gettext_lazy("Referrals sent"),
    "referrals_accepted": gettext_lazy("Referrals accepted"),
    "referrals_completed": gettext_lazy("Referrals completed"),
    "presumed_victims_referred_pct": gettext_lazy(
        "Share of presumed victims referred within 7 days"
    ),
    "presumed_victims_planned_pct": gettext_lazy(
        "Share of presumed victims with a case plan within 7 days"
    ),
    # prevention
    "inspectors_active": gettext_lazy("Active inspectors"),
    "inspectors_trained": gettext_lazy("Trained inspectors"),
    "inspectors_trained_pct": gettext_lazy("Share of inspectors trained"),
    "training_sessions": gettext_lazy("Training sessions"),
    "training_hours": gettext_lazy("Training hours"),
    "training_participants": gettext_lazy("Training participants"),
    # partnership
    "ngos_receiving_referrals": gettext_lazy("NGOs receiving referrals"),
}

# The key metrics whose trend the annual report shows (reports.md, "trend").
TREND_KEYS: tuple[str, ...] = (
    "investigations",
    "prosecutions",
    "convictions",
    "persons_screened",
    "presumed_victims",
    "identified_victims",
    "referrals_sent",
    "referrals_completed",
    "removals_screened_pct",
    "flagged_persons_removed",
    "inspectors_trained_pct",
    "training_sessions",
)

DIRECTION_LABELS: dict[Direction, Promise] = {
    UP: pgettext_lazy("trend direction", "increase"),
    DOWN: pgettext_lazy("trend direction", "decrease"),
    FLAT: pgettext_lazy("trend direction", "no change"),
    NONE: pgettext_lazy("trend direction", "no comparison"),
}


@dataclass(frozen=True)
class Trend:
    """One metric in one year against the calendar year before it."""

    year: int
    value: Number | None
    previous_year: int
    previous: Number | None
    change: Number | None
    # Relative change in percent, rounded to one decimal; None when the previous value is 0.
    change_pct: float | None
    direction: Direction
    run: int

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types (Decimals become floats)."""
        return {
            "year": self.year,
            "value": json_number(self.value),
            "previous_year": self.previous_year,
            "previous": json_number(self.previous),
            "change": json_number(self.change),
            "change_pct": self.change_pct,
            "direction": self.direction,
            "run": self.run,
        }


def step_direction(*, value: Number | None, previous: Number | None) -> Direction:
    """Direction of the change from previous to value; none when either is missing."""
    if value is None or previous is None:
        return NONE
    if value > previous:
        return UP
    if value < previous:
        return DOWN
    return FLAT


def trend(series: Mapping[int, Number | None], *, year: int | None = None) -> Trend:
    """The trend of a series at year (default: the latest year in the series)."""
    if year is None:
        if not series:
            raise ValueError("an empty series has no latest year")
        year = max(series)
    value = series.get(year)
    previous = series.get(year - 1)
    direction = step_direction(value=value, previous=previous)
    change: Number | None = None
    change_pct: float | None = None
    if value is not None and previous is not None:
        change = _subtract(value, previous)
        # A change from zero has no meaningful percentage.
        if previous != 0:
            change_pct = round(float(_decimal(change) / abs(_decimal(previous)) * 100), 1)
    return Trend(
        year=year,
        value=value,
        previous_year=year - 1,
        previous=previous,
        change=change,
        change_pct=change_pct,
        direction=direction,
        run=_run_length(series, year=year, direction=direction),
    )


def trend_table(
    metrics_by_year: Mapping[int, Mapping[str, Number | None]],
    keys: Iterable[str] = TREND_KEYS,
    *,
    year: int | None = None,
) -> dict[str, Trend]:
    """The trend of each key metric at year (default: the latest year on record)."""
    if year is None:
        if not metrics_by_year:
            raise ValueError("no years on record")
        year = max(metrics_by_year)
    return {
        key: trend(
            {y: metrics.get(key) for y, metrics in metrics_by_year.items()},
            year=year,
        )
        for key in keys
    }


def trend_sentence(*, metric: str, trend: Trend) -> str | None:
    """The trend as a translated sentence, or None when there is nothing to compare."""
    label = metric_label(metric)
    if trend.direction == FLAT:
        return _("%(metric)s did not change compared with the previous year.") % {"metric": label}
    if trend.direction == UP:
        if trend.run == 1:
            return _("%(metric)s increased compared with the previous year.") % {"metric": label}
        return ngettext(
            "%(metric)s increased for %(count)d consecutive year.",
            "%(metric)s increased for %(count)d consecutive years.",
            trend.run,
        ) % {"metric": label, "count": trend.run}
    if trend.direction == DOWN:
        if trend.run == 1:
            return _("%(metric)s decreased compared with the previous year.") % {"metric": label}
        return ngettext(
            "%(metric)s decreased for %(count)d consecutive year.",
            "%(metric)s decreased for %(count)d consecutive years.",
            trend.run,
        ) % {"metric": label, "count": trend.run}
    return None


def metric_label(metric: str) -> str:
    """The translated display name of a metric key (the key itself when unknown)."""
    label = METRIC_LABELS.get(metric)
    return str(label) if label is not None else metric


def format_number(value: Number | None, *, decimals: int = 1) -> str:
    """A number for display in the active language; fractions are truncated, never rounded up.

    Truncating means a share just under a threshold (94.96 against 95) never displays as if it
    met it.
    """
    if value is None:
        return _("no data")
    if isinstance(value, int):
        return number_format(value)
    exact = _decimal(value)
    if exact == exact.to_integral_value():
        return number_format(int(exact))
    return number_format(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_DOWN))


def json_number(value: Number | None) -> int | float | None:
    """A number as a plain JSON type; Decimals become floats (or ints when whole)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _run_length(series: Mapping[int, Number | None], *, year: int, direction: Direction) -> int:
    if direction not in (UP, DOWN):
        return 0
    run = 0
    while step_direction(value=series.get(year), previous=series.get(year - 1)) == direction:
        run += 1
        year -= 1
    return run


def _decimal(value: Number) -> Decimal:
    # str() keeps floats such as 0.1 exact as written, not as their binary expansion.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _subtract(value: Number, previous: Number) -> Number:
    # Decimal and float do not mix in arithmetic; a float on either side makes the change a float.
    if isinstance(value, float) or isinstance(previous, float):
        return float(value) - float(previous)
    return value - previous
