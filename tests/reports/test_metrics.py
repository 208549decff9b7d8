import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.reports.metrics import (
    Period,
    annual_metrics,
    prosecution_metrics,
    protection_metrics,
    victim_breakdowns,
)
from tests.accounts.factories import UserFactory
from tests.cases.factories import CaseFactory, PersonFactory
from tests.proceedings.factories import ProceedingFactory
from tests.reports.factories import at, screening

pytestmark = pytest.mark.django_db
D = datetime.date


def test_prosecution_counts_each_stage_by_its_own_date_and_exploitation():
    ProceedingFactory(opened_on=D(2024, 11, 1), prosecuted_on=D(2025, 2, 1))
    ProceedingFactory(
        opened_on=D(2025, 1, 5),
        prosecuted_on=D(2025, 3, 1),
        convicted_on=D(2025, 9, 1),
        exploitation="sexual",
        official_complicity=True,
    )
    ProceedingFactory(opened_on=D(2025, 4, 1))
    ProceedingFactory(opened_on=D(2026, 1, 1))
    result = prosecution_metrics(period=Period(2025), region=None)
    assert result["investigations"] == 2
    assert result["prosecutions"] == 2
    assert result["convictions"] == 1
    assert result["official_complicity"] == 1
    assert result["investigations_by_exploitation"] == {"labour": 1, "sexual": 1, "other": 0}
    assert result["prosecutions_by_exploitation"] == {"labour": 1, "sexual": 1, "other": 0}
    assert result["convictions_by_exploitation"] == {"labour": 0, "sexual": 1, "other": 0}


def test_a_region_counts_a_proceeding_once_when_several_of_its_cases_are_there():
    astana = [CaseFactory(region="astana") for _ in range(2)]
    almaty = CaseFactory(region="almaty_city")
    ProceedingFactory(opened_on=D(2025, 1, 1), cases=astana)
    ProceedingFactory(opened_on=D(2025, 1, 1), cases=[almaty])
    assert prosecution_metrics(period=Period(2025), region="astana")["investigations"] == 1
    assert prosecution_metrics(period=Period(2025), region=None)["investigations"] == 2


def test_persons_screened_counts_distinct_cases_with_a_complete_screening_in_the_year():
    case, other, draft_only = CaseFactory(), CaseFactory(), CaseFactory()
    screening(case, when=at(2025, 2))
    screening(case, when=at(2025, 8))
    screening(other, when=at(2024, 12, 31, 23))
    screening(draft_only, when=None, status="draft")
    result = protection_metrics(period=Period(2025), region=None)
    assert result["persons_screened"] == 1


def test_the_year_follows_the_project_time_zone():
    case = CaseFactory()
    # 2025-01-01 00:30 in Almaty is still 2024 in UTC.
    screening(case, when=at(2025, 1, 1, 0))
    assert protection_metrics(period=Period(2025), region=None)["persons_screened"] == 1
    assert protection_metrics(period=Period(2024), region=None)["persons_screened"] == 0


def test_presumed_and_possible_victims_follow_the_latest_screening_in_the_year():
    presumed_then_cleared = CaseFactory()
    screening(presumed_then_cleared, when=at(2025, 2), trafficking="presumed_victim")
    screening(presumed_then_cleared, when=at(2025, 9), trafficking="no_indicators")
    possible_then_presumed = CaseFactory()
    screening(possible_then_presumed, when=at(2025, 2), trafficking="possible_victim")
    screening(possible_then_presumed, when=at(2025, 3), trafficking="presumed_victim")
    possible = CaseFactory()
    screening(possible, when=at(2025, 5), trafficking="possible_victim")
    # A later screening in the next year does not change this year's result.
    screening(possible, when=at(2026, 1, 10), trafficking="no_indicators")
    result = protection_metrics(period=Period(2025), region=None)
    assert result["presumed_victims"] == 1
    assert result["possible_victims"] == 1


def identification(case, on, outcome="identified"):
    from apps.accounts.models import User
    from apps.protection.models import Identification

    recorder = User.objects.filter(role="administrator").first() or UserFactory(
        role="administrator", organization=None
    )
    return Identification.objects.create(
        person=case.person,
        case=case,
        authority="Interagency commission",
        decision_number=f"IC-{case.pk}-{on.isoformat()}",
        decided_on=on,
        outcome=outcome,
        recorded_by=recorder,
    )


def test_identified_victims_count_formal_identifications_in_the_year():
    identification(CaseFactory(), D(2025, 6, 1))
    identification(CaseFactory(), D(2024, 6, 1))
    identification(CaseFactory(), D(2025, 7, 1), outcome="not_a_victim")
    # Set by hand without a competent authority's record (before issue 16): not counted.
    CaseFactory(victim_status="identified", identified_on=D(2025, 6, 1))
    CaseFactory(victim_status="presumed")
    assert protection_metrics(period=Period(2025), region=None)["identified_victims"] == 1


def test_a_person_identified_twice_counts_once():
    case = CaseFactory()
    identification(case, D(2025, 3, 1))
    identification(CaseFactory(person=case.person), D(2025, 9, 1))
    assert protection_metrics(period=Period(2025), region=None)["identified_victims"] == 1


def test_forced_labour_and_debt_coercion_flags_count_distinct_cases():
    case = CaseFactory()
    screening(case, when=at(2025, 2), forced_labour=True, debt_coercion=True)
    screening(case, when=at(2025, 3), forced_labour=True)
    other = CaseFactory()
    screening(other, when=at(2025, 3), forced_labour=False, debt_coercion=True)
    result = protection_metrics(period=Period(2025), region=None)
    assert result["forced_labour_flags"] == 1
    assert result["debt_coercion_flags"] == 2


def test_a_region_limits_protection_metrics_to_its_cases():
    screening(CaseFactory(region="astana"), when=at(2025), trafficking="presumed_victim")
    screening(CaseFactory(region="shymkent"), when=at(2025), trafficking="presumed_victim")
    result = protection_metrics(period=Period(2025), region="astana")
    assert result["persons_screened"] == 1
    assert result["presumed_victims"] == 1


# The screening records the person's age when it is completed (issue 8: the date of birth is
# encrypted at rest, so the database cannot compute ages).


def _presumed(person=None, *, age, when=None):
    case = CaseFactory(person=person or PersonFactory(), region="astana", sector="agriculture")
    screening(case, when=when or at(2025, 3, 1), trafficking="presumed_victim", person_age=age)
    return case


def test_breakdowns_group_presumed_victims_by_the_age_recorded_at_the_screening():
    for age in (17, 18, 25, 26, 35, 36, 50, 51):
        _presumed(age=age)
    _presumed(PersonFactory(sex="female"), age=0)
    _presumed(PersonFactory(citizenship="TJ"), age=None)
    breakdowns = victim_breakdowns(period=Period(2025), region=None)["presumed_victims"]
    assert breakdowns["age_group"] == {
        "0-17": 2,
        "18-25": 2,
        "26-35": 2,
        "36-50": 2,
        "51+": 1,
        "unknown": 1,
    }
    assert breakdowns["sex"] == {"female": 1, "male": 9, "other": 0, "unknown": 0}
    assert breakdowns["citizenship"] == {"TJ": 1, "UZ": 9}
    assert breakdowns["sector"] == {"agriculture": 10}
    assert breakdowns["region"] == {"astana": 10}


def test_presumed_victims_take_the_age_of_their_latest_screening_in_the_year():
    case = _presumed(age=17, when=at(2025, 2, 1))
    screening(case, when=at(2025, 11, 1), trafficking="presumed_victim", person_age=18)
    screening(case, when=at(2026, 2, 1), trafficking="presumed_victim", person_age=19)
    breakdowns = victim_breakdowns(period=Period(2025), region=None)["presumed_victims"]
    assert breakdowns["age_group"]["18-25"] == 1
    assert breakdowns["age_group"]["0-17"] == 0


def test_identified_victims_are_broken_down_by_age_at_their_latest_screening():
    case = CaseFactory(victim_status="identified", identified_on=D(2025, 5, 1))
    identification(case, D(2025, 5, 1))
    screening(case, when=at(2024, 6, 1), trafficking="presumed_victim", person_age=25)
    screening(case, when=at(2024, 12, 1), trafficking="presumed_victim", person_age=26)
    # After the end of the year: not the age the report uses.
    screening(case, when=at(2026, 1, 10), trafficking="presumed_victim", person_age=51)
    identification(CaseFactory(), D(2025, 5, 1))  # never screened
    # Without a formal record: not in the breakdown.
    CaseFactory(victim_status="identified", identified_on=D(2025, 5, 1))
    breakdowns = victim_breakdowns(period=Period(2025), region=None)["identified_victims"]
    assert breakdowns["age_group"]["26-35"] == 1
    assert breakdowns["age_group"]["unknown"] == 1
    assert sum(breakdowns["age_group"].values()) == 2


def test_a_screening_completed_through_the_service_gives_the_age_group(ngo_a, caseworker_a):
    from apps.screening.services import screening_create
    from tests.screening.patterns import PRESUMED

    today = timezone.localdate()
    person = PersonFactory(date_of_birth=D(today.year - 30, 1, 1))  # 30 all this year
    case = CaseFactory(person=person, organization=ngo_a, created_by=caseworker_a)
    screening_create(actor=caseworker_a, case=case, answers=PRESUMED, interview_language="ru")
    breakdowns = victim_breakdowns(period=Period(today.year), region=None)["presumed_victims"]
    assert breakdowns["age_group"]["26-35"] == 1
    assert sum(breakdowns["age_group"].values()) == 1


def test_the_age_breakdown_never_reads_the_date_of_birth():
    # Encrypted at rest (issue 8): the database cannot compute ages from it.
    person = PersonFactory(date_of_birth=D(1990, 1, 1))
    case = CaseFactory(person=person, region="astana", sector="agriculture")
    screening(case, when=at(2025, 3, 1), trafficking="presumed_victim")
    with CaptureQueriesContext(connection) as captured:
        victim_breakdowns(period=Period(2025), region=None)
    assert not any("date_of_birth" in query["sql"] for query in captured)


def _activity(n):
    from apps.removals.models import Removal
    from tests.referrals.factories import ReferralFactory

    for i in range(n):
        case = CaseFactory(
            region=["astana", "shymkent"][i % 2],
            victim_status="identified",
            identified_on=D(2025, 4, 1),
        )
        flagging = screening(case, when=at(2025, 1 + i % 12), trafficking="presumed_victim")
        ProceedingFactory(
            opened_on=D(2025, 1, 2),
            prosecuted_on=D(2025, 2, 1),
            convicted_on=D(2025, 3, 1),
            cases=[case],
        )
        ReferralFactory(
            case=case,
            status="accepted",
            sent_at=at(2025, 1 + i % 12, 16),
            accepted_at=at(2025, 1 + i % 12, 18),
        )
        Removal.objects.create(
            case=case,
            grounds="overstay",
            proposed_on=D(2025, 1, 1),
            proposed_by=flagging.screened_by,
            status="decided_remove",
            suspended_at=at(2025, 1 + i % 12, 15),
            decision="remove",
            decided_at=at(2025, 1 + i % 12, 20),
            overridden=True,
            override_justification="A court order requires the removal of the person.",
            screening_at_decision=flagging,
            screened_before_decision=True,
        )


def _queries():
    with CaptureQueriesContext(connection) as captured:
        annual_metrics(year=2025)
    return len(captured)


def test_the_number_of_queries_does_not_depend_on_the_amount_of_data():
    _activity(2)
    few = _queries()
    _activity(20)
    assert _queries() == few
    assert few < 60


def test_the_median_days_between_two_dates_is_computed_by_the_database():
    from apps.reports.metrics import median_days_between
    from apps.screening.models import Screening

    for days in (1, 2, 4, 10):
        s = screening(CaseFactory(), when=at(2025, 5, 1) + datetime.timedelta(days=days))
        Screening.objects.filter(pk=s.pk).update(created_at=at(2025, 5, 1))
    qs = Screening.objects.all()
    assert float(median_days_between(qs, start="created_at", end="completed_at")) == 3.0
    assert median_days_between(qs.none(), start="created_at", end="completed_at") is None


def test_the_latest_screening_of_the_year_breaks_a_tie_in_time_by_id():
    case = CaseFactory()
    when = at(2025, 6, 1)
    screening(case, when=when, trafficking="presumed_victim")
    screening(case, when=when, trafficking="possible_victim")  # the later id wins the tie
    screening(case, when=at(2026, 1, 2), trafficking="presumed_victim")  # another year
    result = protection_metrics(period=Period(2025), region=None)
    assert (result["presumed_victims"], result["possible_victims"]) == (0, 1)


@pytest.mark.parametrize("region", [None, "astana"])
def test_an_earlier_years_scalar_metrics_are_the_full_metrics_flattened(region):
    from apps.reports.metrics import flat_metrics, year_flat_metrics

    _activity(6)
    for n, case in enumerate(CaseFactory.create_batch(4, region="astana")):
        screening(case, when=at(2024, 3 + n), trafficking="presumed_victim")
        screening(
            case, when=at(2025, 2 + n), trafficking=["no_indicators", "presumed_victim"][n % 2]
        )
    for year in (2024, 2025, 2026):
        expected = flat_metrics(annual_metrics(year=year, region=region))
        assert year_flat_metrics(year=year, region=region) == expected
    assert year_flat_metrics(year=2025, region=region)["presumed_victims"] > 0
