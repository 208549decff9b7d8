from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.training.certification import (
    add_months,
    certification_expiry,
    earliest_qualifying_date,
    is_certified,
)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 2, 29), 24, date(2026, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 8, 31), 1, date(2025, 9, 30)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2026, 1, 10), -24, date(2024, 1, 10)),
    ],
)
def test_adding_months_keeps_the_day_or_takes_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_a_certification_lasts_24_months_by_default():
    assert certification_expiry(date(2025, 6, 10)) == date(2027, 6, 10)


def test_a_certification_earned_on_29_february_ends_on_28_february(settings):
    settings.CASEMGR_CERTIFICATION_MONTHS = 24
    assert certification_expiry(date(2024, 2, 29)) == date(2026, 2, 28)


def test_the_length_of_a_certification_is_a_setting(settings):
    settings.CASEMGR_CERTIFICATION_MONTHS = 36
    assert certification_expiry(date(2025, 6, 10)) == date(2028, 6, 10)


def test_a_certification_is_valid_through_its_last_day_and_not_after():
    passed = date(2024, 5, 31)
    assert is_certified(passed, date(2026, 5, 31))
    assert not is_certified(passed, date(2026, 6, 1))


def test_nobody_is_certified_before_the_session_or_without_one():
    assert not is_certified(date(2025, 6, 10), date(2025, 6, 9))
    assert not is_certified(None, date(2025, 6, 9))


def test_the_earliest_qualifying_date_accounts_for_month_ends():
    # 2024-02-29 + 24 months = 2026-02-28, so a 29 February session still counts on that day.
    assert earliest_qualifying_date(date(2026, 2, 28), months=24) == date(2024, 2, 28)
    # Sessions from 28 to 31 January all end on 28 February a month later.
    assert earliest_qualifying_date(date(2025, 2, 28), months=1) == date(2025, 1, 28)


@given(
    session=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    offset=st.integers(min_value=-40, max_value=1900),
    months=st.integers(min_value=1, max_value=60),
)
def test_the_database_cut_off_agrees_with_the_expiry_rule(session, offset, months):
    on = session + timedelta(days=offset)
    by_cut_off = earliest_qualifying_date(on, months=months) <= session <= on
    assert by_cut_off == is_certified(session, on, months=months)
