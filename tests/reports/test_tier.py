import json
import re
from decimal import Decimal

import pytest
from django.utils.translation import override

from apps.reports.tier import (
    TierThresholds,
    WaiverFacts,
    decide_tier,
    waiver_refusal,
    year_has_activity,
)

DEFAULTS = TierThresholds()
WATCH = "tier_2_watch_list"


def year(**overrides):
    """A year that meets every standard; tests change only what they are about."""
    metrics = {
        "removals_decided": 20,
        "removals_screened_pct": Decimal("100.0"),
        "flagged_persons_removed": 0,
        "presumed_victims": 10,
        "presumed_victims_referred_pct": Decimal("100.0"),
        "investigations": 5,
        "convictions": 3,
        "referrals_sent": 12,
        "referrals_completed": 6,
        "inspectors_trained_pct": Decimal("90.0"),
    }
    metrics.update(overrides)
    return metrics


# Meets S2 and S4 only: two standards, so the efforts decide whether efforts are significant.
TWO_STANDARDS = {
    "removals_screened_pct": Decimal("50.0"),
    "presumed_victims_referred_pct": Decimal("50.0"),
    "inspectors_trained_pct": Decimal("50.0"),
}
# Meets S1, S2 and S4: significant efforts through the standards alone.
THREE_STANDARDS = {
    "presumed_victims_referred_pct": Decimal("50.0"),
    "inspectors_trained_pct": Decimal("50.0"),
}


# A waiver recorded with a written plan and resources (TVPA §110(b)(2)(D)(ii)).
WAIVER = WaiverFacts(written_plan=True, resources=True)


def decide(current, previous=None, *, earlier_tiers=(), waiver=None, thresholds=DEFAULTS):
    return decide_tier(
        current=current,
        previous=previous,
        earlier_tiers=list(earlier_tiers),
        waiver=WAIVER if waiver is True else waiver,
        thresholds=thresholds,
    )


def standard(decision, code):
    return next(s for s in decision.standards if s.code == code)


def effort(decision, code):
    return next(e for e in decision.efforts if e.code == code)


# Standards -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pct", "met"),
    [
        (Decimal("94.9"), False),
        (Decimal("94.99"), False),
        (Decimal("95"), True),
        (Decimal("95.1"), True),
        (94.9, False),
        (95.0, True),
        (0, False),
    ],
)
def test_s1_needs_95_percent_of_removals_screened(pct, met):
    decision = decide(year(removals_screened_pct=pct))

    s1 = standard(decision, "S1")
    assert s1.met is met
    assert (s1.value, s1.comparison, s1.threshold) == (pct, ">=", 95)
    assert s1.not_applicable is False


def test_s1_is_met_when_no_removals_were_decided():
    s1 = standard(decide(year(removals_decided=0, removals_screened_pct=None)), "S1")

    assert s1.met is True
    assert s1.not_applicable is True


def test_s1_is_met_when_the_share_is_none_and_no_removal_count_is_given():
    current = year(removals_screened_pct=None)
    del current["removals_decided"]

    assert standard(decide(current), "S1").met is True


def test_s1_is_not_met_when_removals_were_decided_but_the_share_is_missing():
    s1 = standard(decide(year(removals_decided=4, removals_screened_pct=None)), "S1")

    assert s1.met is False
    assert s1.not_applicable is False


@pytest.mark.parametrize(("removed", "met"), [(0, True), (1, False), (7, False), (None, False)])
def test_s2_allows_no_flagged_person_to_be_removed(removed, met):
    assert standard(decide(year(flagged_persons_removed=removed)), "S2").met is met


@pytest.mark.parametrize(
    ("pct", "met"),
    [(Decimal("89.9"), False), (Decimal("90"), True), (Decimal("90.1"), True), (None, False)],
)
def test_s3_needs_90_percent_of_presumed_victims_referred(pct, met):
    assert standard(decide(year(presumed_victims_referred_pct=pct)), "S3").met is met


def test_s3_is_met_when_there_were_no_presumed_victims():
    s3 = standard(decide(year(presumed_victims=0, presumed_victims_referred_pct=None)), "S3")

    assert s3.met is True
    assert s3.not_applicable is True


@pytest.mark.parametrize(
    ("investigations", "convictions", "met"),
    [(0, 0, False), (1, 0, False), (0, 1, False), (1, 1, True), (12, 4, True), (None, 3, False)],
)
def test_s4_needs_an_investigation_and_a_conviction(investigations, convictions, met):
    s4 = standard(decide(year(investigations=investigations, convictions=convictions)), "S4")

    assert s4.met is met
    assert [(c.metric, c.value, c.threshold) for c in s4.conditions] == [
        ("investigations", investigations, 1),
        ("convictions", convictions, 1),
    ]


@pytest.mark.parametrize(
    ("pct", "met"),
    [(Decimal("79.9"), False), (Decimal("80"), True), (Decimal("80.1"), True), (79.99, False)],
)
def test_s5_needs_80_percent_of_inspectors_trained(pct, met):
    assert standard(decide(year(inspectors_trained_pct=pct)), "S5").met is met


def test_s5_is_not_met_without_active_inspectors():
    s5 = standard(decide(year(inspectors_trained_pct=None)), "S5")

    assert s5.met is False
    assert s5.not_applicable is False


def test_thresholds_from_settings_move_the_standards():
    thresholds = TierThresholds.from_mapping(
        {"removals_screened_pct_min": 90, "flagged_persons_removed_max": 1}
    )
    decision = decide(
        year(removals_screened_pct=Decimal("92"), flagged_persons_removed=1),
        thresholds=thresholds,
    )

    assert standard(decision, "S1").met is True
    assert standard(decision, "S2").met is True
    assert standard(decide(year(removals_screened_pct=Decimal("92"))), "S1").met is False


# Efforts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "metric", "before", "after", "met"),
    [
        ("E1", "investigations", 5, 6, True),
        ("E1", "investigations", 5, 5, False),
        ("E1", "investigations", 5, 4, False),
        ("E2", "convictions", 3, 4, True),
        ("E2", "convictions", 3, 3, False),
        ("E3", "referrals_completed", 6, 7, True),
        ("E3", "referrals_completed", 6, 6, False),
        ("E4", "removals_screened_pct", Decimal("90.0"), Decimal("90.1"), True),
        ("E4", "removals_screened_pct", Decimal("90.0"), Decimal("90.0"), False),
        ("E4", "removals_screened_pct", Decimal("90.0"), Decimal("89.9"), False),
        ("E5", "inspectors_trained_pct", Decimal("70"), Decimal("75"), True),
        ("E5", "inspectors_trained_pct", Decimal("70"), Decimal("70"), False),
    ],
)
def test_an_effort_is_a_strict_rise_against_the_previous_year(code, metric, before, after, met):
    decision = decide(year(**{metric: after}), year(**{metric: before}))

    e = effort(decision, code)
    assert (e.metric, e.current, e.previous, e.met) == (metric, after, before, met)
    assert [x.code for x in decision.efforts if x.met] == ([code] if met else [])


@pytest.mark.parametrize("metric", ["removals_screened_pct", "inspectors_trained_pct"])
@pytest.mark.parametrize(("before", "after"), [(None, Decimal("50")), (Decimal("50"), None)])
def test_a_share_missing_in_either_year_shows_no_effort(metric, before, after):
    decision = decide(year(**{metric: after}), year(**{metric: before}))

    assert decision.efforts_shown == 0


# Significant efforts ---------------------------------------------------------------------------


def test_three_standards_are_significant_efforts_without_any_effort():
    decision = decide(year(**THREE_STANDARDS), year())

    assert decision.standards_met == 3
    assert decision.efforts_shown == 0
    assert decision.significant_efforts is True


def test_three_efforts_are_significant_efforts_with_only_two_standards():
    previous = year(**TWO_STANDARDS)
    current = year(**TWO_STANDARDS, investigations=6, convictions=4, referrals_completed=7)

    decision = decide(current, previous)

    assert decision.standards_met == 2
    assert decision.efforts_shown == 3
    assert decision.significant_efforts is True


def test_two_standards_and_two_efforts_are_not_significant_efforts():
    previous = year(**TWO_STANDARDS)
    current = year(**TWO_STANDARDS, investigations=6, convictions=4)

    decision = decide(current, previous)

    assert decision.significant_efforts is False
    assert (decision.tier, decision.rule) == ("tier_3", "rule_2_no_significant_efforts")


# Rules -----------------------------------------------------------------------------------------


def test_rule_1_all_standards_give_tier_1_even_without_efforts():
    decision = decide(year(), year())

    assert decision.efforts_shown == 0
    assert (decision.tier, decision.rule) == ("tier_1", "rule_1_all_standards")


@pytest.mark.parametrize(
    "failing",
    [
        {"removals_screened_pct": Decimal("94.9")},
        {"flagged_persons_removed": 1},
        {"presumed_victims_referred_pct": Decimal("89.9")},
        {"convictions": 0},
        {"inspectors_trained_pct": Decimal("79.9")},
    ],
)
def test_four_standards_are_not_enough_for_tier_1(failing):
    decision = decide(year(**failing, investigations=6), year())

    assert decision.standards_met == 4
    assert (decision.tier, decision.rule) == ("tier_2", "rule_5_default")


def test_rule_1_comes_before_rule_2():
    # With a bar above five standards and no effort, rule 2 would match; rule 1 is checked first.
    thresholds = TierThresholds(significant_standards=6)

    decision = decide(year(), year(), thresholds=thresholds)

    assert decision.significant_efforts is False
    assert (decision.tier, decision.rule) == ("tier_1", "rule_1_all_standards")


def test_rule_1_comes_before_the_downgrade_and_the_watch_list():
    previous = year(presumed_victims=10)
    current = year(presumed_victims=20)

    decision = decide(current, previous, earlier_tiers=[WATCH, WATCH])

    assert (decision.tier, decision.rule) == ("tier_1", "rule_1_all_standards")
    assert decision.watch_list_reasons == ()


def test_rule_2_no_significant_efforts_gives_tier_3():
    decision = decide(year(**TWO_STANDARDS, investigations=6), year(**TWO_STANDARDS))

    assert (decision.tier, decision.rule) == ("tier_3", "rule_2_no_significant_efforts")


def test_a_waiver_does_not_prevent_rule_2():
    decision = decide(year(**TWO_STANDARDS), year(**TWO_STANDARDS), waiver=True)

    assert (decision.tier, decision.rule) == ("tier_3", "rule_2_no_significant_efforts")
    assert decision.waiver_prevented_downgrade is False


# Rule 3: TVPA §110(b)(2)(D) and (F). A year "on the Watch List" below is one whose figures
# match rule 4 (no core effort against year()); a year "meeting Tier 2" shows E1.


def watch_list_year():
    return year(**THREE_STANDARDS)


def tier_2_year():
    return year(**THREE_STANDARDS, investigations=6)


def test_rule_3_upgrade_beats_the_downgrade_when_the_figures_meet_tier_2():
    # §110(b)(2)(D): the downgrade applies to a country that "has not been upgraded". The old
    # rules downgraded this year to Tier 3 before looking at its figures.
    decision = decide(tier_2_year(), year(), earlier_tiers=[WATCH, WATCH, "tier_1"])

    assert (decision.tier, decision.rule) == ("tier_2", "rule_5_default")
    assert decision.upgraded is True
    assert "upgraded_no_downgrade" in decision.notes
    assert decision.waiver_prevented_downgrade is False


def test_rule_3_an_upgrade_to_tier_1_also_ends_the_watch_list_run():
    decision = decide(year(), year(), earlier_tiers=[WATCH, WATCH])

    assert (decision.tier, decision.upgraded) == ("tier_1", True)


def test_rule_3_downgrades_a_third_watch_list_year_that_is_not_upgraded():
    decision = decide(watch_list_year(), year(), earlier_tiers=[WATCH, WATCH, "tier_1"])

    assert decision.significant_efforts is True
    assert (decision.tier, decision.rule) == ("tier_3", "rule_3_automatic_downgrade")
    # The year would be on the Watch List: that is why it is downgraded.
    assert decision.watch_list_reasons == ("no_core_efforts",)
    assert decision.upgraded is False


@pytest.mark.parametrize(
    "earlier_tiers",
    [
        [WATCH],
        [WATCH, "tier_2"],
        ["tier_2", WATCH],
        ["tier_2", WATCH, WATCH],
        ["tier_3", WATCH],
        [],
    ],
)
def test_rule_3_needs_the_two_most_recent_years_on_the_watch_list(earlier_tiers):
    decision = decide(watch_list_year(), year(), earlier_tiers=earlier_tiers)

    assert (decision.tier, decision.rule) == (WATCH, "rule_4_watch_list")


def test_a_waiver_with_a_plan_and_resources_keeps_the_country_on_the_watch_list():
    decision = decide(watch_list_year(), year(), earlier_tiers=[WATCH, WATCH], waiver=True)

    assert (decision.tier, decision.rule) == (WATCH, "rule_4_watch_list")
    assert decision.waiver_prevented_downgrade is True
    assert "waiver_prevented_downgrade" in decision.to_dict()["notes"]


@pytest.mark.parametrize(
    "waiver",
    [
        WaiverFacts(written_plan=False, resources=True),
        WaiverFacts(written_plan=True, resources=False),
        WaiverFacts(written_plan=False, resources=False),
    ],
)
def test_a_waiver_without_a_written_plan_or_resources_does_not_prevent_the_downgrade(waiver):
    decision = decide(watch_list_year(), year(), earlier_tiers=[WATCH, WATCH], waiver=waiver)

    assert (decision.tier, decision.rule) == ("tier_3", "rule_3_automatic_downgrade")
    assert decision.waiver is True
    assert decision.waiver_prevented_downgrade is False
    assert decision.notes == ("waiver_without_plan_or_resources",)


def test_the_downgrade_can_be_waived_for_two_consecutive_years():
    # Years 1-2 on the Watch List; year 3 kept there by a first waiver, year 4 by a second.
    third = decide(watch_list_year(), year(), earlier_tiers=[WATCH, WATCH], waiver=True)
    fourth = decide(watch_list_year(), year(), earlier_tiers=[WATCH] * 3, waiver=True)

    assert (third.tier, third.waivers_used) == (WATCH, 0)
    assert (fourth.tier, fourth.waivers_used) == (WATCH, 1)
    assert fourth.waiver_prevented_downgrade is True


def test_a_third_consecutive_waiver_is_beyond_what_the_law_allows():
    # §110(b)(2)(D)(ii): "for up to 2 years". Two Watch List years and two waived years before.
    decision = decide(watch_list_year(), year(), earlier_tiers=[WATCH] * 4, waiver=True)

    assert (decision.tier, decision.rule) == ("tier_3", "rule_3_automatic_downgrade")
    assert decision.waivers_used == 2
    assert decision.waiver_prevented_downgrade is False
    assert decision.notes == ("waiver_limit_reached",)
    assert waiver_refusal([WATCH] * 4) == "waiver_limit_reached"
    assert waiver_refusal([WATCH] * 3) == ""


def test_the_waiver_limit_counts_only_the_current_watch_list_run():
    # An earlier run used both waivers, then a Tier 2 year: the new run may be waived again.
    earlier = [WATCH, WATCH, "tier_2", WATCH, WATCH, WATCH, WATCH]

    decision = decide(watch_list_year(), year(), earlier_tiers=earlier, waiver=True)

    assert (decision.tier, decision.waiver_prevented_downgrade) == (WATCH, True)


def test_after_a_tier_3_that_followed_a_waiver_one_watch_list_year_is_allowed():
    # Two Watch List years, a waived one, then Tier 3: the next Watch List year is allowed.
    decision = decide(watch_list_year(), year(), earlier_tiers=["tier_3", WATCH, WATCH, WATCH])

    assert (decision.tier, decision.rule) == (WATCH, "rule_4_watch_list")


def test_after_a_tier_3_that_followed_a_waiver_a_second_watch_list_year_is_tier_3():
    # Frederick Douglass TVPRA 2018 §203, TVPA §110(b)(2)(F): more than one Watch List year
    # after a post-waiver Tier 3 is Tier 3, and no waiver applies.
    earlier = [WATCH, "tier_3", WATCH, WATCH, WATCH]

    plain = decide(watch_list_year(), year(), earlier_tiers=earlier)
    waived = decide(watch_list_year(), year(), earlier_tiers=earlier, waiver=True)

    assert (plain.tier, plain.rule) == ("tier_3", "rule_3_after_waiver_tier_3")
    assert (waived.tier, waived.rule) == ("tier_3", "rule_3_after_waiver_tier_3")
    assert waived.notes == ("waiver_not_available_after_tier_3",)
    assert waiver_refusal(earlier) == "waiver_not_available_after_tier_3"


def test_after_a_post_waiver_tier_3_an_upgrade_still_beats_the_downgrade():
    decision = decide(tier_2_year(), year(), earlier_tiers=[WATCH, "tier_3", WATCH, WATCH, WATCH])

    assert (decision.tier, decision.rule) == ("tier_2", "rule_5_default")
    assert decision.upgraded is True


def test_a_tier_3_without_a_waiver_before_it_leaves_the_ordinary_two_year_rule():
    # Watch List, Watch List, Tier 3 (no waiver): the special rule is read as issue 17 states it,
    # for a Tier 3 that followed a waiver; one Watch List year since is not yet two.
    decision = decide(watch_list_year(), year(), earlier_tiers=[WATCH, "tier_3", WATCH, WATCH])

    assert (decision.tier, decision.rule) == (WATCH, "rule_4_watch_list")


def test_a_waiver_without_two_watch_list_years_prevents_nothing():
    decision = decide(watch_list_year(), year(), earlier_tiers=[WATCH], waiver=True)

    assert decision.rule == "rule_4_watch_list"
    assert decision.waiver_prevented_downgrade is False
    assert decision.notes == ()


def test_a_waiver_is_not_needed_when_the_year_is_upgraded():
    decision = decide(tier_2_year(), year(), earlier_tiers=[WATCH, WATCH], waiver=True)

    assert decision.rule == "rule_5_default"
    assert decision.waiver_prevented_downgrade is False
    assert decision.notes == ("upgraded_no_downgrade",)


def test_the_first_year_of_use_is_not_on_the_watch_list_so_it_is_not_downgraded():
    # With no year to compare with, rule 4 is skipped: the year is Tier 2, not on the Watch List.
    decision = decide(watch_list_year(), None, earlier_tiers=[WATCH, WATCH])

    assert (decision.tier, decision.upgraded) == ("tier_2", True)


def test_unknown_earlier_tiers_are_refused():
    with pytest.raises(ValueError):
        decide(year(), year(), earlier_tiers=["tier_4"])


@pytest.mark.parametrize(
    ("before", "after", "watch_list"),
    [
        (100, 125, True),  # exactly 25%
        (1000, 1250, True),
        (1000, 1249, False),  # 24.9%
        (100, 124, False),
        (0, 3, True),  # any rise from none
        (10, 10, False),
        (10, 8, False),
    ],
)
def test_rule_4_presumed_victims_rising_by_a_quarter_without_response(before, after, watch_list):
    # Convictions rose, so E2 holds and only the first branch of rule 4 can match.
    previous = year(**THREE_STANDARDS, presumed_victims=before)
    current = year(**THREE_STANDARDS, presumed_victims=after, convictions=4)

    decision = decide(current, previous)

    if watch_list:
        assert (decision.tier, decision.rule) == (WATCH, "rule_4_watch_list")
        assert decision.watch_list_reasons == ("presumed_victims_rose_without_response",)
    else:
        assert (decision.tier, decision.rule) == ("tier_2", "rule_5_default")
        assert decision.watch_list_reasons == ()


@pytest.mark.parametrize(
    "response", [{"referrals_sent": 13}, {"investigations": 6}, {"referrals_sent": 20}]
)
def test_rule_4_does_not_apply_when_referrals_or_investigations_rose(response):
    previous = year(**THREE_STANDARDS, presumed_victims=100)
    current = year(**THREE_STANDARDS, presumed_victims=200, convictions=4, **response)

    assert decide(current, previous).rule == "rule_5_default"


def test_rule_4_none_of_the_core_efforts_gives_the_watch_list():
    # E4 and E5 rise, but neither counts for the second branch of rule 4.
    previous = year(
        **{**THREE_STANDARDS, "inspectors_trained_pct": Decimal("10")},
        removals_screened_pct=Decimal("96"),
    )
    current = year(**THREE_STANDARDS, removals_screened_pct=Decimal("99"))

    decision = decide(current, previous)

    assert [e.code for e in decision.efforts if e.met] == ["E4", "E5"]
    assert (decision.tier, decision.rule) == (WATCH, "rule_4_watch_list")
    assert decision.watch_list_reasons == ("no_core_efforts",)


def test_rule_4_reports_both_branches_when_both_match():
    previous = year(**THREE_STANDARDS, presumed_victims=8)
    current = year(**THREE_STANDARDS, presumed_victims=10)

    decision = decide(current, previous)

    assert decision.watch_list_reasons == (
        "presumed_victims_rose_without_response",
        "no_core_efforts",
    )


@pytest.mark.parametrize("code_metric", ["investigations", "convictions", "referrals_completed"])
def test_rule_5_any_core_effort_keeps_tier_2(code_metric):
    previous = year(**THREE_STANDARDS)
    current = year(**THREE_STANDARDS, **{code_metric: previous[code_metric] + 1})

    decision = decide(current, previous)

    assert (decision.tier, decision.rule) == ("tier_2", "rule_5_default")
    assert decision.watch_list_reasons == ()


# First year of use -----------------------------------------------------------------------------

NO_ACTIVITY = {
    "investigations": 0,
    "convictions": 0,
    "referrals_completed": 0,
    "presumed_victims": 0,
    "removals_decided": 0,
    "removals_screened_pct": None,
    "presumed_victims_referred_pct": None,
    # A stock at year end, not activity: inspectors can exist before anyone uses the system.
    "inspectors_active": 4,
    "inspectors_trained_pct": Decimal("0"),
}


@pytest.mark.parametrize("previous", [None, {}, NO_ACTIVITY])
def test_first_year_of_use_has_no_efforts_and_skips_the_watch_list(previous):
    # Without the first-year rule this year would show E5 and fail rule 4 (no E1-E3).
    decision = decide(year(**THREE_STANDARDS, presumed_victims=50), previous)

    assert decision.first_year is True
    assert decision.efforts_shown == 0
    assert all(e.previous is None for e in decision.efforts)
    assert (decision.tier, decision.rule) == ("tier_2", "rule_5_default")
    assert "first_year" in decision.notes


def test_first_year_of_use_without_three_standards_is_tier_3():
    decision = decide(year(**TWO_STANDARDS), None)

    assert (decision.tier, decision.rule) == ("tier_3", "rule_2_no_significant_efforts")


def test_first_year_of_use_still_meets_all_standards_for_tier_1():
    assert decide(year(), None).tier == "tier_1"


@pytest.mark.parametrize(
    ("metrics", "active"),
    [
        (None, False),
        ({}, False),
        (NO_ACTIVITY, False),
        ({"investigations": None, "training_sessions": None}, False),
        ({"removals_screened_pct": Decimal("100"), "inspectors_trained": 3}, False),
        ({"investigations": 1}, True),
        ({"training_sessions": 2}, True),
        ({**NO_ACTIVITY, "persons_screened": 1}, True),
        ({**NO_ACTIVITY, "referrals_sent": 1}, True),
    ],
)
def test_year_has_activity_when_any_event_was_counted(metrics, active):
    assert year_has_activity(metrics) is active


def test_a_previous_year_with_activity_is_not_a_first_year():
    previous = {**NO_ACTIVITY, "persons_screened": 3}

    decision = decide(year(**THREE_STANDARDS), previous)

    assert decision.first_year is False
    assert [e.code for e in decision.efforts if e.met] == ["E1", "E2", "E3", "E5"]


# Thresholds ------------------------------------------------------------------------------------


def test_default_thresholds_are_those_of_the_spec():
    t = TierThresholds()

    assert (
        t.removals_screened_pct_min,
        t.flagged_persons_removed_max,
        t.presumed_victims_referred_pct_min,
        t.investigations_min,
        t.convictions_min,
        t.inspectors_trained_pct_min,
        t.presumed_victims_rise_pct,
        t.significant_standards,
        t.significant_efforts,
    ) == (95, 0, 90, 1, 1, 80, 25, 3, 3)
    assert TierThresholds.from_mapping(None) == t
    assert TierThresholds.from_mapping({}) == t


def test_thresholds_from_a_mapping_override_only_what_is_given():
    t = TierThresholds.from_mapping({"presumed_victims_rise_pct": 50, "significant_efforts": 2})

    assert t.presumed_victims_rise_pct == 50
    assert t.significant_efforts == 2
    assert t.removals_screened_pct_min == 95


@pytest.mark.parametrize(
    "mapping",
    [
        {"removals_screened_pct": 95},  # misspelt
        {"significant_efforts": "3"},
        {"significant_efforts": True},
        {"inspectors_trained_pct_min": 101},
        {"convictions_min": -1},
    ],
)
def test_bad_threshold_settings_are_refused(mapping):
    with pytest.raises(ValueError):
        TierThresholds.from_mapping(mapping)


def test_a_lower_rise_threshold_moves_rule_4():
    previous = year(**THREE_STANDARDS, presumed_victims=100)
    current = year(**THREE_STANDARDS, presumed_victims=110, convictions=4)

    assert decide(current, previous).rule == "rule_5_default"
    thresholds = TierThresholds(presumed_victims_rise_pct=10)
    assert decide(current, previous, thresholds=thresholds).rule == "rule_4_watch_list"


# Output ----------------------------------------------------------------------------------------


def test_to_dict_is_json_with_every_standard_and_effort():
    previous = year(**THREE_STANDARDS)
    current = year(**THREE_STANDARDS, investigations=6, flagged_persons_removed=0)

    with override("en"):
        result = decide(current, previous).to_dict()

    json.dumps(result)
    assert result["tier"] == "tier_2"
    assert result["tier_label"] == "Tier 2"
    assert result["rule"] == "rule_5_default"
    assert result["indicative"] is True
    assert [s["code"] for s in result["standards"]] == ["S1", "S2", "S3", "S4", "S5"]
    assert [e["code"] for e in result["efforts"]] == ["E1", "E2", "E3", "E4", "E5"]
    s3 = result["standards"][2]
    assert s3["met"] is False
    assert (s3["value"], s3["comparison"], s3["threshold"]) == (50, ">=", 90)
    assert s3["label"] == "Referral for assistance"
    assert s3["explanation"] == (
        "50% of presumed victims were referred for assistance within 7 days "
        "(required: at least 90%)."
    )
    e1 = result["efforts"][0]
    assert (e1["metric"], e1["current"], e1["previous"], e1["met"]) == (
        "investigations",
        6,
        5,
        True,
    )
    assert e1["explanation"] == "Investigations: 6 this year, 5 the year before."
    assert result["standards_met"] == 3
    assert result["efforts_shown"] == 1
    assert result["significant_efforts"] is True
    assert result["thresholds"]["removals_screened_pct_min"] == 95


def test_explain_names_the_tier_the_rule_and_the_disclaimer():
    with override("en"):
        sentences = decide(year(**TWO_STANDARDS), year(**TWO_STANDARDS)).explain()

    assert sentences[0] == "Indicative tier: Tier 3."
    assert sentences[1] == (
        "No significant efforts: fewer than 3 standards are met and fewer than 3 efforts are shown."
    )
    assert "Standards met: 2 of 5." in sentences
    assert "Efforts shown: 0 of 5." in sentences
    assert sentences[-1] == (
        "This tier is an internal indicator computed by fixed rules, not an official rating."
    )


def test_explain_mentions_a_waiver_and_the_watch_list_reasons():
    with override("en"):
        sentences = decide(
            year(**THREE_STANDARDS, presumed_victims=20),
            year(**THREE_STANDARDS, presumed_victims=10),
            earlier_tiers=[WATCH, WATCH],
            waiver=True,
        ).explain()

    assert sentences[0] == "Indicative tier: Tier 2 Watch List."
    assert (
        "Presumed victims rose by at least 25% while referrals sent and investigations did not "
        "rise." in sentences
    )
    assert "Investigations, convictions and completed referrals all failed to rise." in sentences
    assert any("waiver" in sentence for sentence in sentences)


@pytest.mark.parametrize(
    ("earlier_tiers", "waiver", "cited"),
    [
        ([WATCH, WATCH], None, "(TVPA §110(b)(2)(D)(i), 22 U.S.C. 7107(b)(2)(D)(i))."),
        ([WATCH, WATCH], True, "TVPA §110(b)(2)(D)(ii), 22 U.S.C. 7107(b)(2)(D)(ii))."),
        ([WATCH] * 4, True, "(TVPA §110(b)(2)(D)(ii), 22 U.S.C. 7107(b)(2)(D)(ii))."),
        (
            [WATCH, "tier_3", WATCH, WATCH, WATCH],
            None,
            "Frederick Douglass Trafficking Victims Prevention and Protection Reauthorization Act "
            "of 2018, §203).",
        ),
    ],
)
def test_the_explanation_cites_the_rule_of_law_that_decided(earlier_tiers, waiver, cited):
    with override("en"):
        sentences = decide(
            watch_list_year(), year(), earlier_tiers=earlier_tiers, waiver=waiver
        ).explain()

    assert any(sentence.endswith(cited) for sentence in sentences), sentences


def test_the_explanation_says_why_an_upgrade_is_not_downgraded():
    with override("en"):
        sentences = decide(tier_2_year(), year(), earlier_tiers=[WATCH, WATCH]).explain()

    assert (
        "The Watch List years before would have led to an automatic downgrade, but this year's "
        "figures meet Tier 2: the country is upgraded, and the downgrade applies only to a "
        "country that has not been upgraded (TVPA §110(b)(2)(D)(i), 22 U.S.C. 7107(b)(2)(D)(i))."
    ) in sentences


def test_the_footnotes_cite_every_downgrade_rule_and_mark_the_one_applied():
    with override("en"):
        downgraded = decide(watch_list_year(), year(), earlier_tiers=[WATCH, WATCH]).to_dict()
        waived = decide(watch_list_year(), year(), earlier_tiers=[WATCH, WATCH], waiver=True)
        plain = decide(tier_2_year(), year()).to_dict()

    notes = {note["key"]: note for note in downgraded["footnotes"]}
    assert list(notes) == ["automatic_downgrade", "waiver", "after_waiver_tier_3"]
    assert notes["automatic_downgrade"]["source"] == (
        "TVPA §110(b)(2)(D)(i), 22 U.S.C. 7107(b)(2)(D)(i)"
    )
    assert "has not been upgraded" in notes["automatic_downgrade"]["text"]
    assert "written plan" in notes["waiver"]["text"]
    assert "at most 2 consecutive years" in notes["waiver"]["text"]
    assert "§203" in notes["after_waiver_tier_3"]["source"]
    assert [n["applies"] for n in downgraded["footnotes"]] == [True, False, False]
    assert [n["applies"] for n in waived.footnotes()] == [False, True, False]
    assert [n["applies"] for n in plain["footnotes"]] == [False, False, False]


@pytest.mark.parametrize(
    ("removed", "sentence"),
    [
        (0, "0 persons flagged as presumed or possible victims were removed (allowed: 0)."),
        (1, "1 person flagged as a presumed or possible victim was removed (allowed: 0)."),
    ],
)
def test_standard_explanations_use_plurals(removed, sentence):
    with override("en"):
        s2 = standard(decide(year(flagged_persons_removed=removed)), "S2")

        assert s2.explanation() == sentence


def test_every_standard_explains_itself_in_every_path():
    decisions = [
        decide(year()),
        decide(
            year(
                removals_decided=0,
                removals_screened_pct=None,
                presumed_victims=0,
                presumed_victims_referred_pct=None,
                inspectors_trained_pct=None,
                flagged_persons_removed=None,
            )
        ),
        decide(
            year(removals_decided=3, removals_screened_pct=None, presumed_victims_referred_pct=None)
        ),
    ]
    with override("en"):
        for decision in decisions:
            for check in (*decision.standards, *decision.efforts):
                assert check.explanation()
                assert "%(" not in check.explanation()


# Translations ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_translated_sentence_fills_its_placeholders(lang):
    decisions = [
        decide(year(), None),
        decide(year(**TWO_STANDARDS), year(**TWO_STANDARDS)),
        decide(year(**THREE_STANDARDS, investigations=6), year(), earlier_tiers=[WATCH, WATCH]),
        decide(
            year(**THREE_STANDARDS, presumed_victims=20, flagged_persons_removed=2),
            year(**THREE_STANDARDS, presumed_victims=10),
            earlier_tiers=[WATCH, WATCH],
            waiver=True,
        ),
        decide(
            year(
                removals_decided=0,
                removals_screened_pct=None,
                presumed_victims=0,
                presumed_victims_referred_pct=None,
                inspectors_trained_pct=None,
                flagged_persons_removed=None,
            ),
            None,
        ),
        decide(year(removals_decided=3, removals_screened_pct=None, flagged_persons_removed=21)),
        # Every path of rule 3 (TVPA §110(b)(2)(D), (F)).
        decide(watch_list_year(), year(), earlier_tiers=[WATCH, WATCH]),
        decide(
            watch_list_year(),
            year(),
            earlier_tiers=[WATCH, WATCH],
            waiver=WaiverFacts(written_plan=True, resources=False),
        ),
        decide(watch_list_year(), year(), earlier_tiers=[WATCH] * 4, waiver=True),
        decide(watch_list_year(), year(), earlier_tiers=[WATCH, "tier_3", WATCH, WATCH, WATCH]),
        decide(
            watch_list_year(),
            year(),
            earlier_tiers=[WATCH, "tier_3", WATCH, WATCH, WATCH],
            waiver=True,
        ),
        decide(tier_2_year(), year(), earlier_tiers=[WATCH, WATCH]),
    ]

    sentences = []
    with override(lang):
        for decision in decisions:
            sentences += decision.explain()
            sentences += [check.explanation() for check in (*decision.standards, *decision.efforts)]
            sentences += [note["text"] for note in decision.footnotes()]
            sentences.append(decision.to_dict()["rule_label"])

    for sentence in sentences:
        assert "%(" not in sentence
        assert re.search("[а-яА-ЯәғқңөұүһіӘҒҚҢӨҰҮҺІ]", sentence), sentence
    if lang == "ru":
        assert "Выдворено 21 лицо, отмеченное как предполагаемая или возможная жертва" in (
            " ".join(sentences)
        )
