"""Earlier years' metrics are kept between reports and dropped when a change could alter them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.reports import services
from apps.reports.history import history_flat
from apps.reports.metrics import year_flat_metrics
from apps.reports.models import YearMetrics
from tests.cases.factories import CaseFactory
from tests.proceedings.factories import ProceedingFactory
from tests.reports.factories import at, screening
from tests.training.factories import InspectorFactory, passed_session

pytestmark = pytest.mark.django_db
D = datetime.date
YEARS = (2023, 2024, 2025)


def kept_years(region=""):
    return set(YearMetrics.objects.filter(region=region).values_list("year", flat=True))


def assert_history_is_true(region=None):
    """What the report reads for each year equals the year computed from the data now."""
    kept = history_flat(years=YEARS, region=region)
    for year in YEARS:
        assert kept[year] == year_flat_metrics(year=year, region=region), year


@pytest.fixture
def history():
    for n, year in enumerate(YEARS):
        case = CaseFactory(region="astana")
        screening(case, when=at(year, 3), trafficking="presumed_victim")
        ProceedingFactory(opened_on=D(year, 2, 1), cases=[case])
        screening(CaseFactory(region="shymkent"), when=at(year, 4 + n))
    history_flat(years=YEARS, region=None)
    history_flat(years=YEARS, region="astana")
    assert kept_years() == kept_years("astana") == set(YEARS)


def test_a_closed_year_is_computed_once_then_read(history):
    with CaptureQueriesContext(connection) as captured:
        kept = history_flat(years=YEARS, region=None)
    assert len(captured) == 1  # the kept rows, nothing recomputed
    assert kept[2024]["persons_screened"] == 2
    assert kept[2024]["investigations"] == 1
    assert_history_is_true()


def test_a_change_dated_this_year_costs_no_query(history):
    with CaptureQueriesContext(connection) as captured:
        from apps.reports.history import history_invalidate

        history_invalidate([timezone.localdate().year])
    assert len(captured) == 0
    assert kept_years() == set(YEARS)


def test_the_current_year_is_never_kept():
    this_year = timezone.localdate().year
    screening(CaseFactory(), when=timezone.now())
    history_flat(years=[this_year], region=None)
    assert not YearMetrics.objects.exists()


def test_a_screening_completed_in_a_closed_year_drops_that_year_only(history):
    screening(CaseFactory(region="astana"), when=at(2024, 9), trafficking="presumed_victim")
    assert kept_years() == {2023, 2025}
    assert_history_is_true()
    assert_history_is_true(region="astana")


def test_a_proceeding_added_changed_or_linked_drops_every_year(history):
    proceeding = ProceedingFactory(opened_on=D(2023, 5, 1))
    assert not YearMetrics.objects.exists()
    history_flat(years=YEARS, region="astana")
    proceeding.cases.add(CaseFactory(region="astana"))
    assert not YearMetrics.objects.exists()
    assert_history_is_true(region="astana")


def test_moving_a_case_to_another_region_drops_every_year(history, ngo_a, caseworker_a):
    from apps.cases.services import case_update

    case = CaseFactory(region="astana", organization=ngo_a, created_by=caseworker_a)
    screening(case, when=at(2023, 7))
    history_flat(years=YEARS, region="astana")
    assert 2023 in kept_years("astana")
    case_update(case=case, actor=caseworker_a, version=case.version, data={"region": "shymkent"})
    assert not YearMetrics.objects.exists()
    assert_history_is_true(region="astana")


def test_an_identification_dated_in_a_closed_year_drops_that_year(history):
    from apps.cases.services import case_identified_on_set

    case_identified_on_set(case=CaseFactory(), on=D(2023, 12, 31))
    assert kept_years() == {2024, 2025}
    assert_history_is_true()


def test_training_drops_its_year_and_the_later_ones_and_inspectors_every_year(history):
    inspector = InspectorFactory(date_joined=at(2020, 1, 1))
    assert not YearMetrics.objects.exists()  # a new inspector counts in every year after
    history_flat(years=YEARS, region=None)
    passed_session(inspector, D(2024, 3, 1))
    assert kept_years() == {2023}
    assert_history_is_true()
    history_flat(years=YEARS, region=None)
    inspector.is_active = False
    inspector.save()
    assert not YearMetrics.objects.exists()
    assert_history_is_true()


def test_signing_in_keeps_what_is_kept(history, caseworker_a):
    caseworker_a.last_login = timezone.now()
    caseworker_a.save(update_fields=["last_login"])
    assert kept_years() == set(YEARS)


def test_a_kept_year_is_not_used_after_the_maximum_age(history, settings):
    from apps.screening.models import Screening

    # A change the signals cannot see (a queryset update, as a fix by hand would be).
    Screening.objects.filter(completed_at__year=2024).update(trafficking="possible_victim")
    assert history_flat(years=[2024], region=None)[2024]["possible_victims"] == 0  # kept
    settings.CASEMGR_REPORT_HISTORY_MAX_AGE = 0
    assert history_flat(years=[2024], region=None)[2024]["possible_victims"] == 2


def test_a_report_built_from_kept_years_equals_one_built_from_scratch(history):
    kept = services.report_build(year=2025, language="en")
    YearMetrics.objects.all().delete()
    fresh = services.report_build(year=2025, language="en")
    for report in (kept, fresh):
        report.pop("generated_at")
    assert kept == fresh
    assert kept["years_on_record"] == [2023, 2024, 2025]


def test_the_nightly_refresh_keeps_every_closed_year_for_the_country_and_each_region(history):
    from apps.core.regions import Region
    from apps.reports.tasks import refresh_history

    closed = set(range(min(YEARS), timezone.localdate().year))
    YearMetrics.objects.filter(year=2024).delete()
    YearMetrics.objects.filter(year=2023).update(computed_at=at(2020, 1, 1))
    assert refresh_history.delay().get() == len(closed) * (1 + len(Region.values))
    for region in ["", *Region.values]:
        assert kept_years(region) == closed
    assert not YearMetrics.objects.filter(computed_at__year=2020).exists()
    assert_history_is_true(region="astana")
    with CaptureQueriesContext(connection) as captured:
        history_flat(years=YEARS, region="shymkent")
    assert len(captured) == 1


def test_the_nightly_refresh_is_scheduled():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["reports-refresh-history"]
    assert entry["task"] == "reports.refresh_history"
