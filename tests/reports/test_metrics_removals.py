"""Removal metrics, written against the removals contract; they run once apps.removals lands."""

import datetime

import pytest

from apps.reports.metrics import Period, removal_metrics
from tests.cases.factories import CaseFactory
from tests.reports.factories import at, screening

removals = pytest.importorskip("apps.removals.models")
if not hasattr(removals, "Removal"):
    pytest.skip("apps.removals.models.Removal has not landed yet", allow_module_level=True)
Removal = removals.Removal

pytestmark = pytest.mark.django_db


def removal(case, **fields):
    values = {
        "grounds": "overstay",
        "proposed_on": datetime.date(2025, 1, 1),
        "status": "pending",
    }
    values.update(fields)
    return Removal.objects.create(case=case, **values)


def test_removals_decided_screened_and_their_share():
    screened = CaseFactory()
    screening(screened, when=at(2025, 3, 1))
    removal(
        screened,
        status="decided_remove",
        decision="remove",
        decided_at=at(2025, 3, 10),
        screened_before_decision=True,
    )
    unscreened = CaseFactory()
    removal(
        unscreened,
        status="decided_no_removal",
        decision="no_removal",
        decided_at=at(2025, 5, 1),
        screened_before_decision=False,
    )
    removal(CaseFactory(), status="pending")
    removal(CaseFactory(), decision="remove", decided_at=at(2024, 5, 1), status="decided_remove")
    result = removal_metrics(period=Period(2025), region=None)
    assert result["removals_decided"] == 2
    assert result["removals_screened"] == 1
    assert float(result["removals_screened_pct"]) == 50.0


def test_a_flagged_person_removed_by_override_is_counted():
    case = CaseFactory()
    screening(case, when=at(2025, 3, 1), trafficking="presumed_victim")
    removal(
        case,
        status="decided_remove",
        decision="remove",
        decided_at=at(2025, 3, 20),
        suspended_at=at(2025, 3, 1),
        overridden=True,
        screened_before_decision=True,
    )
    cleared = CaseFactory()
    screening(cleared, when=at(2025, 3, 1), trafficking="no_indicators")
    removal(cleared, status="decided_remove", decision="remove", decided_at=at(2025, 3, 20))
    result = removal_metrics(period=Period(2025), region=None)
    assert result["flagged_persons_removed"] == 1
    assert result["reflection_periods"] == 1
