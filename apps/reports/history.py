"""The scalar metrics of earlier years, kept between reports (docs/reports.md, "Earlier years").

A report needs every earlier year on record: the trend counts runs over the years and each
year's tier depends on the tiers before it. Recomputing ten years of a national database for
every report is what made it slow (docs/benchmarks.md), so the scalar metrics of a *closed*
year (before the current one) are kept in YearMetrics once computed. They stay true because:

- a change that can alter a closed year drops what is kept for it (signals.py: proceedings,
  training, organisations and inspectors drop every year; screenings, removals, referrals and
  identifications drop the years of their dates; a case moved to another region drops every
  year);
- whatever else happens (a fix in the database by hand, say), nothing kept is used once older
  than CASEMGR_REPORT_HISTORY_MAX_AGE (default a day).

The requested year itself is always computed from the data.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from .metrics import year_flat_metrics
from .models import YearMetrics


def max_age() -> timedelta:
    return timedelta(seconds=getattr(settings, "CASEMGR_REPORT_HISTORY_MAX_AGE", 86400))


def history_flat(
    *, years: Iterable[int], region: str | None, renew: bool = False
) -> dict[int, dict[str, Any]]:
    """The scalar metrics of each of `years`: kept ones when fresh, the others computed.

    Closed years computed here are kept for the next report (one statement, safe when two
    reports compute the same year at once). `renew` computes every year again (the nightly
    refresh, so that kept years never reach the maximum age in front of a user).
    """
    region = region or ""
    years = sorted(set(years))
    this_year = timezone.localdate().year
    fresh = {}
    if not renew:
        fresh = {
            kept.year: _decode(kept.metrics)
            for kept in YearMetrics.objects.filter(
                region=region, year__in=years, computed_at__gte=timezone.now() - max_age()
            )
        }
    result: dict[int, dict[str, Any]] = {}
    computed: list[YearMetrics] = []
    now = timezone.now()
    for year in years:
        if year in fresh:
            result[year] = fresh[year]
            continue
        result[year] = year_flat_metrics(year=year, region=region or None)
        if year < this_year:
            computed.append(
                YearMetrics(
                    year=year, region=region, metrics=_encode(result[year]), computed_at=now
                )
            )
    if computed:
        YearMetrics.objects.bulk_create(
            computed,
            update_conflicts=True,
            unique_fields=["year", "region"],
            update_fields=["metrics", "computed_at"],
        )
    return result


def history_invalidate(years: Iterable[int] | None = None) -> None:
    """Drop what is kept for these years (every region), or for every year.

    The current year and later ones are never kept, so a change dated now (the usual case)
    costs no query.
    """
    kept = YearMetrics.objects.all()
    if years is not None:
        this_year = timezone.localdate().year
        years = {int(y) for y in years if int(y) < this_year}
        if not years:
            return
        kept = kept.filter(year__in=years)
    kept.delete()


def _encode(metrics: dict[str, Any]) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in metrics.items()}


def _decode(metrics: dict[str, Any]) -> dict[str, Any]:
    # Every scalar metric is a number or None; strings are the decimals _encode wrote.
    return {k: Decimal(v) if isinstance(v, str) else v for k, v in metrics.items()}
