"""Removal metrics against apps.removals: rows as its service records them, and the service."""

import datetime

import pytest
from django.utils import timezone

from apps.protection.services import protection_raise_for_screening
from apps.removals.models import Removal
from apps.removals.services import (
    removal_decide,
    removal_enforce,
    removal_override,
    removal_propose,
)
from apps.reports.metrics import Period, removal_metrics
from tests.accounts.factories import UserFactory
from tests.cases.factories import CaseFactory
from tests.reports.factories import at, screening

pytestmark = pytest.mark.django_db


def removal(case, **fields):
    """A removal row with the fields the removals service sets (its workflow is tested there)."""
    values = {
        "grounds": "overstay",
        "proposed_on": datetime.date(2025, 1, 1),
        "proposed_by": UserFactory(role="inspector"),
        "status": "pending",
    }
    if fields.get("overridden"):
        values["override_justification"] = "The court ordered the removal after a hearing."
    values.update(fields)
    return Removal.objects.create(case=case, **values)


def test_removals_decided_screened_and_their_share():
    screened = CaseFactory()
    recent = screening(screened, when=at(2025, 3, 1))
    removal(
        screened,
        status="decided_remove",
        decision="remove",
        decided_at=at(2025, 3, 10),
        screening_at_decision=recent,
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
    flagging = screening(case, when=at(2025, 3, 1), trafficking="presumed_victim")
    removal(
        case,
        status="decided_remove",
        decision="remove",
        decided_at=at(2025, 3, 20),
        suspended_at=at(2025, 3, 1),
        overridden=True,
        override_grounds="public_order",
        override_justification="A court order of public order requires the removal now.",
        protected_at_decision=True,
        screening_at_decision=flagging,
        screened_before_decision=True,
    )
    # Formally found not to be a victim after a flagging screening: an ordinary removal, not
    # a flagged person removed (issue 16).
    found = CaseFactory()
    earlier = screening(found, when=at(2025, 3, 1), trafficking="possible_victim")
    removal(
        found,
        status="decided_remove",
        decision="remove",
        decided_at=at(2025, 3, 25),
        screening_at_decision=earlier,
        screened_before_decision=True,
    )
    cleared = CaseFactory()
    negative = screening(cleared, when=at(2025, 3, 1), trafficking="no_indicators")
    removal(
        cleared,
        status="decided_remove",
        decision="remove",
        decided_at=at(2025, 3, 20),
        screening_at_decision=negative,
        screened_before_decision=True,
    )
    result = removal_metrics(period=Period(2025), region=None)
    assert result["flagged_persons_removed"] == 1
    assert result["removal_overrides"] == result["removal_overrides_public_order"] == 1
    assert result["removal_overrides_improper_claim"] == 0
    assert result["reflection_periods"] == 1


def test_a_region_limits_removals_to_its_cases():
    for region in ("astana", "shymkent"):
        removal(
            CaseFactory(region=region),
            status="decided_no_removal",
            decision="no_removal",
            decided_at=at(2025, 5, 1),
            screened_before_decision=False,
        )
    assert removal_metrics(period=Period(2025), region="astana")["removals_decided"] == 1


def test_removals_decided_and_overridden_through_the_removals_service_are_counted(
    inspector, administrator
):
    year = Period(timezone.localdate().year)
    cleared = CaseFactory()
    screening(cleared, when=timezone.now(), trafficking="no_indicators")
    removal_decide(
        actor=inspector,
        removal=removal_propose(actor=inspector, case=cleared, grounds="overstay"),
        decision="remove",
    )
    flagged = CaseFactory()
    flagging = screening(flagged, when=timezone.now(), trafficking="possible_victim")
    protection_raise_for_screening(screening=flagging, actor=inspector)
    suspended = removal_propose(actor=inspector, case=flagged, grounds="overstay")
    assert suspended.status == "suspended"
    removal_override(
        actor=administrator,
        removal=suspended,
        decision="remove",
        grounds="improper_claim",
        justification="A court order requires the removal; the person was referred first.",
    )
    removal_enforce(actor=administrator, removal=suspended)
    result = removal_metrics(period=year, region=None)
    assert result["removals_decided"] == 2
    assert result["removals_screened"] == 2
    assert result["flagged_persons_removed"] == 1
    assert result["removal_overrides_improper_claim"] == 1
    assert result["removals_enforced"] == 1 and result["enforced_then_flagged"] == 0
    assert result["reflection_periods"] == 1
