import datetime

import pytest
import time_machine

from tests.cases.factories import CaseFactory

# "Today" of the tests: every clock is frozen relative to it.
D = datetime.date(2026, 12, 8)


def at(day: datetime.date, hour: int = 12):
    """Freeze the clock at `hour` UTC on `day` (the same local day in Kazakhstan)."""
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC), tick=False
    )


def days(n: int) -> datetime.date:
    return D + datetime.timedelta(days=n)


@pytest.fixture
def case_a(ngo_a, caseworker_a):
    with at(D):
        return CaseFactory(organization=ngo_a, created_by=caseworker_a, assigned_to=caseworker_a)


@pytest.fixture
def case_b(ngo_b, caseworker_b):
    with at(D):
        return CaseFactory(organization=ngo_b, created_by=caseworker_b, assigned_to=caseworker_b)


@pytest.fixture
def inspector_case(inspectorate, inspector):
    with at(D):
        return CaseFactory(organization=inspectorate, created_by=inspector, assigned_to=inspector)
