"""The certification rule, as pure functions of dates: no database, no clock."""

import calendar
from datetime import date, timedelta

from django.conf import settings

# A passed session on one of these topics certifies an inspector to identify victims.
QUALIFYING_TOPICS = ("victim_identification", "forced_labour_indicators")


def certification_months() -> int:
    """How long a certification lasts (CASEMGR_CERTIFICATION_MONTHS, default 24)."""
    return int(getattr(settings, "CASEMGR_CERTIFICATION_MONTHS", 24))


def reminder_days() -> int:
    """How many days before expiry the reminder goes out (CASEMGR_CERTIFICATION_REMINDER_DAYS)."""
    return int(getattr(settings, "CASEMGR_CERTIFICATION_REMINDER_DAYS", 30))


def add_months(day: date, months: int) -> date:
    """`day` moved by `months` calendar months; a day missing in the target month (29 Feb,
    31 Apr) becomes that month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def certification_expiry(passed_on: date, *, months: int | None = None) -> date:
    """The last day a certification earned at a session held on `passed_on` is valid."""
    return add_months(passed_on, certification_months() if months is None else months)


def earliest_qualifying_date(on: date, *, months: int | None = None) -> date:
    """The earliest session date whose certification is still valid on `on`.

    Selectors filter the database with `session.date >= earliest_qualifying_date(on)`, which
    holds exactly when `certification_expiry(session.date) >= on`: one rule, in Python and SQL.
    """
    months = certification_months() if months is None else months
    # add_months clamps month ends, so it is monotonic but not invertible: start from the
    # naive inverse and step to the smallest date that still reaches `on`.
    candidate = add_months(on, -months)
    while certification_expiry(candidate - timedelta(days=1), months=months) >= on:
        candidate -= timedelta(days=1)
    while certification_expiry(candidate, months=months) < on:
        candidate += timedelta(days=1)
    return candidate


def is_certified(latest_passed_on: date | None, on: date, *, months: int | None = None) -> bool:
    """Certified on `on` after a qualifying session passed on `latest_passed_on`."""
    if latest_passed_on is None or latest_passed_on > on:
        return False
    return certification_expiry(latest_passed_on, months=months) >= on
