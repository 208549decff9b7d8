"""A fix the benchmark applies in-process until it lands in apps/reports (see docs/benchmarks.md).

On PostgreSQL, `presumed_victims_referred_pct` aggregates over an annotation that Django drops
when it wraps the query in a subquery ("column referred does not exist"): the annual report
fails whenever a year has presumed victims. The fix counts with two filtered counts instead.
"""

from __future__ import annotations

from datetime import timedelta


def apply() -> bool:
    """Patch the reports metric if it still fails; True when the patch was applied."""
    from django.conf import settings
    from django.db import DatabaseError, transaction
    from django.db.models import DateTimeField, Exists, ExpressionWrapper, OuterRef, Subquery, Value

    from apps.reports import metrics

    def fixed(*, period, region, presumed_victims):
        Referral = metrics.optional_model("referrals", "Referral")
        if Referral is None or not presumed_victims:
            return None
        within = timedelta(days=getattr(settings, "CASEMGR_REFERRAL_WITHIN_DAYS", 7))
        flagging = (
            metrics._complete_screenings(period)
            .filter(case=OuterRef("pk"), trafficking="presumed_victim")
            .order_by("completed_at", "id")
            .values("completed_at")[:1]
        )
        referred = Referral.objects.filter(
            case=OuterRef("pk"),
            sent_at__isnull=False,
            sent_at__gte=OuterRef("flag_at"),
            sent_at__lte=ExpressionWrapper(
                OuterRef("flag_at") + Value(within), output_field=DateTimeField()
            ),
        )
        presumed = (
            metrics._screened_cases(period, region)
            .filter(latest_result="presumed_victim")
            .annotate(flag_at=Subquery(flagging, output_field=DateTimeField()))
        )
        return metrics.pct(presumed.filter(Exists(referred)).count(), presumed.count())

    try:
        with transaction.atomic():
            metrics.presumed_victims_referred_pct(
                period=metrics.Period(2000), region=None, presumed_victims=1
            )
            # Empty years pass even with the bug: try a year with data too.
            from django.utils import timezone

            metrics.presumed_victims_referred_pct(
                period=metrics.Period(timezone.localdate().year - 1),
                region=None,
                presumed_victims=1,
            )
        return False
    except DatabaseError:
        metrics.presumed_victims_referred_pct = fixed
        return True
