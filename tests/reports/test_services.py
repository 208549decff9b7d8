import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from apps.audit.models import AuditEntry
from apps.reports import history, services
from apps.reports.models import ImmutableError, PublishedReport, TierWaiver
from apps.reports.suppression import suppress_report
from tests.cases.factories import CaseFactory
from tests.proceedings.factories import ProceedingFactory
from tests.reports.factories import at, screening

pytestmark = pytest.mark.django_db
D = datetime.date
WATCH = "tier_2_watch_list"


def convictions(plan):
    for year, count in plan.items():
        for _ in range(count):
            ProceedingFactory(
                opened_on=D(year, 1, 5), prosecuted_on=D(year, 2, 1), convicted_on=D(year, 3, 1)
            )


def test_the_trend_covers_every_year_on_record_and_counts_the_run():
    convictions({2021: 9, 2022: 7, 2023: 5, 2024: 3, 2025: 2})
    report = services.report_build(year=2025, language="en")
    assert report["years_on_record"] == [2021, 2022, 2023, 2024, 2025]
    trend = report["trend"]["convictions"]
    assert (trend["value"], trend["previous"], trend["direction"], trend["run"]) == (
        2,
        3,
        "down",
        4,
    )
    assert trend["sentence"] == "Convictions decreased for 4 consecutive years."
    assert report["history"]["2021"]["convictions"] == 9


def test_years_without_activity_are_not_on_record():
    convictions({2019: 1, 2025: 1})
    report = services.report_build(year=2025, language="en")
    assert report["years_on_record"] == [2019, 2025]
    assert report["tier"]["first_year"] is True
    assert report["trend"]["convictions"]["direction"] == "none"


def test_the_report_shows_every_standard_and_effort_and_the_deciding_rule():
    convictions({2025: 1})
    tier = services.report_build(year=2025, language="en")["tier"]
    assert [s["code"] for s in tier["standards"]] == ["S1", "S2", "S3", "S4", "S5"]
    assert [e["code"] for e in tier["efforts"]] == ["E1", "E2", "E3", "E4", "E5"]
    assert all({"value", "threshold", "met"} <= set(s) for s in tier["standards"])
    assert tier["rule"] and tier["rule_label"]
    assert tier["indicative"] is True
    assert "not an official rating" in tier["explanation"][-1]


def test_the_report_follows_the_chosen_language():
    convictions({2025: 1})
    report = services.report_build(year=2025, language="kk")
    assert report["language"] == "kk"
    assert report["tier"]["tier_label"] != "Tier 3"  # translated in the committed catalogue


@pytest.fixture
def watch_list_years(monkeypatch, settings):
    """2022 and 2023 end on the Watch List (no core efforts), 2024 would be downgraded."""
    settings.CASEMGR_TIER_THRESHOLDS = {"significant_standards": 1}
    base = {
        "investigations": 1,
        "convictions": 1,
        "referrals_completed": 1,
        "removals_decided": 0,
        "flagged_persons_removed": 0,
        "presumed_victims": 0,
        "inspectors_trained_pct": None,
        "persons_screened": 5,
    }

    def fake(*, year, region=None):
        return {
            "prosecution": dict(base),
            "protection": {"breakdowns": {}},
            "prevention": {},
            "partnership": {},
        }

    monkeypatch.setattr(services, "annual_metrics", fake)
    monkeypatch.setattr(history, "year_flat_metrics", lambda *, year, region=None: dict(base))
    # Every year from 2021 has the same figures: 2021 is the first year of use (Tier 2), every
    # later one matches the Watch List (no core effort).
    monkeypatch.setattr(services, "candidate_years", lambda *, until: list(range(2021, until + 1)))


PLAN = "National action plan 2024-2026 against trafficking, adopted by government decree 118."
RESOURCES = "Budget line for two state shelters and 12 specialists in the labour inspectorate."


def waive(user, year, **overrides):
    return services.tier_waiver_record(
        user=user,
        year=year,
        **{
            "justification": "The plan funds screening before removal in every region.",
            "plan": PLAN,
            "resources": RESOURCES,
            **overrides,
        },
    )


def test_two_watch_list_years_downgrade_the_third_automatically(watch_list_years):
    report = services.report_build(year=2024, language="en")
    assert report["earlier_tiers"] == {"2021": "tier_2", "2022": WATCH, "2023": WATCH}
    assert report["tier"]["tier"] == "tier_3"
    assert report["tier"]["rule"] == "rule_3_automatic_downgrade"


def test_a_waiver_recorded_by_an_administrator_prevents_the_downgrade(
    watch_list_years, administrator
):
    waive(administrator, 2024)
    report = services.report_build(year=2024, language="en")
    assert report["tier"]["tier"] == WATCH
    assert report["tier"]["waiver_prevented_downgrade"] is True
    assert report["waiver"]["recorded_by"] == "administrator"
    assert (report["waiver"]["plan"], report["waiver"]["resources"]) == (PLAN, RESOURCES)
    applied = [n["key"] for n in report["tier"]["footnotes"] if n["applies"]]
    assert applied == ["waiver"]


def test_a_waiver_needs_an_administrator_a_written_plan_resources_and_a_justification(
    administrator, auditor
):
    with pytest.raises(PermissionDenied):
        waive(auditor, 2024)
    with pytest.raises(ValidationError) as error:
        waive(administrator, 2024, justification="  short ", plan="", resources="  ")
    assert set(error.value.message_dict) == {"justification", "plan", "resources"}
    assert "written plan" in error.value.message_dict["plan"][0]
    assert not TierWaiver.objects.exists()


def test_a_waiver_is_audited_and_recorded_once_per_year(administrator):
    waiver = waive(administrator, 2024)
    entry = AuditEntry.objects.get(action="create", target_type="reports.tierwaiver")
    assert entry.target_id == str(waiver.pk)
    assert entry.details["justification"] == waiver.justification
    assert entry.details["plan"] == PLAN
    with pytest.raises(ValidationError):
        waive(administrator, 2024, justification="A second waiver for the same year.")


def test_the_downgrade_can_be_waived_for_two_consecutive_years_and_no_more(
    watch_list_years, administrator
):
    waive(administrator, 2024)
    waive(administrator, 2025)
    with pytest.raises(ValidationError) as error:
        waive(administrator, 2026)
    assert error.value.message_dict["year"] == [
        "The automatic downgrade was already waived for 2 consecutive years, the most the law "
        "allows (TVPA §110(b)(2)(D)(ii), 22 U.S.C. 7107(b)(2)(D)(ii))."
    ]
    assert sorted(services.waivers_for(region=None)) == [2024, 2025]
    report = services.report_build(year=2026, language="en")
    assert report["earlier_tiers"]["2025"] == WATCH
    assert (report["tier"]["tier"], report["tier"]["rule"]) == (
        "tier_3",
        "rule_3_automatic_downgrade",
    )


def test_a_waiver_beyond_the_limit_on_record_does_not_prevent_the_downgrade(
    watch_list_years, administrator
):
    # Recorded before the limit was checked: the report still applies the law.
    for year in (2024, 2025, 2026):
        TierWaiver.objects.create(
            year=year,
            justification="Recorded before issue 17.",
            plan=PLAN,
            resources=RESOURCES,
            recorded_by=administrator,
        )
    tier = services.report_build(year=2026, language="en")["tier"]
    assert tier["tier"] == "tier_3"
    assert tier["waivers_used"] == 2
    assert tier["notes"] == ["waiver_limit_reached"]


def test_a_waiver_on_record_without_a_plan_does_not_prevent_the_downgrade(
    watch_list_years, administrator
):
    TierWaiver.objects.create(
        year=2024, justification="Recorded before a plan was asked for.", recorded_by=administrator
    )
    report = services.report_build(year=2024, language="en")
    assert report["tier"]["tier"] == "tier_3"
    assert report["tier"]["notes"] == ["waiver_without_plan_or_resources"]
    assert report["waiver"]["plan"] == ""


def test_after_a_post_waiver_tier_3_one_watch_list_year_is_allowed_then_tier_3(
    watch_list_years, administrator
):
    # 2021 Tier 2 (first year), 2022-2023 Watch List, 2024 kept there by a waiver, 2025 Tier 3
    # (no waiver), 2026 Watch List (the one year allowed), 2027 Tier 3 and no waiver applies
    # (TVPA §110(b)(2)(F), Frederick Douglass TVPRA 2018 §203).
    waive(administrator, 2024)
    report = services.report_build(year=2026, language="en")
    assert report["earlier_tiers"]["2024"] == WATCH
    assert report["earlier_tiers"]["2025"] == "tier_3"
    assert (report["tier"]["tier"], report["tier"]["rule"]) == (WATCH, "rule_4_watch_list")

    with time_machine.travel(datetime.datetime(2027, 6, 1, 12, tzinfo=datetime.UTC)):
        with pytest.raises(ValidationError) as error:
            waive(administrator, 2027)
        tier = services.report_build(year=2027, language="en")["tier"]
    assert "no waiver applies" in error.value.message_dict["year"][0]
    assert (tier["tier"], tier["rule"]) == ("tier_3", "rule_3_after_waiver_tier_3")
    assert [n["key"] for n in tier["footnotes"] if n["applies"]] == ["after_waiver_tier_3"]


def test_a_published_report_does_not_change_when_the_data_does(administrator):
    convictions({2025: 2})
    published = services.report_publish(user=administrator, year=2025, region=None, language="ru")
    convictions({2025: 3})
    published.refresh_from_db()
    assert published.data["metrics"]["prosecution"]["convictions"] == 2
    assert published.published_by == administrator
    assert published.data["suppressed"] is True
    assert AuditEntry.objects.filter(
        action="create", target_type="reports.publishedreport", target_id=str(published.pk)
    ).exists()


def test_a_published_report_refuses_updates_and_deletion(administrator):
    published = services.report_publish(user=administrator, year=2025, region=None, language="en")
    published.tier = "tier_1"
    with pytest.raises(ImmutableError):
        published.save()
    with pytest.raises(ImmutableError):
        PublishedReport.objects.filter(pk=published.pk).update(tier="tier_1")
    with pytest.raises(ImmutableError):
        published.delete()
    assert PublishedReport.objects.get().tier != "tier_1"


def test_only_administrators_publish(auditor):
    with pytest.raises(PermissionDenied):
        services.report_publish(user=auditor, year=2025, region=None, language="en")


def test_small_breakdown_counts_are_suppressed_and_others_kept(settings):
    case = CaseFactory()
    screening(case, when=at(2025), trafficking="presumed_victim")
    for _ in range(5):
        screening(CaseFactory(), when=at(2025))
    report = services.report_build(year=2025, language="en")
    suppressed = suppress_report(report)
    sex = suppressed["metrics"]["protection"]["breakdowns"]["presumed_victims"]["sex"]
    # The whole breakdown is one small count: every cell is hidden, not only that one.
    assert sex == {"female": "x", "male": "x", "other": "x", "unknown": "x"}
    # Totals are not breakdown cells.
    assert suppressed["metrics"]["protection"]["presumed_victims"] == 1
    assert suppressed["metrics"]["protection"]["persons_screened"] == 6
    bars = dict(suppressed["charts"]["breakdowns"][0]["bars"])
    assert set(bars.values()) == {"x"}
    # The live report keeps the raw number.
    assert report["metrics"]["protection"]["breakdowns"]["presumed_victims"]["sex"]["male"] == 1


def test_the_suppression_bound_is_a_setting(settings):
    settings.CASEMGR_SUPPRESSION_THRESHOLD = 3
    report = {
        "metrics": {"protection": {"breakdowns": {"g": {"sex": {"a": 2, "b": 1, "c": 3}}}}},
        "charts": {"breakdowns": []},
    }
    cells = suppress_report(report)["metrics"]["protection"]["breakdowns"]["g"]["sex"]
    assert cells == {"a": "<3", "b": "<3", "c": 3}


@pytest.mark.parametrize(
    ("year", "region", "field"),
    [(1999, None, "year"), (2999, None, "year"), (2025, "atlantis", "region")],
)
def test_a_bad_year_or_region_is_refused(year, region, field):
    with pytest.raises(ValidationError) as error:
        services.report_build(year=year, region=region, language="en")
    assert field in error.value.message_dict
