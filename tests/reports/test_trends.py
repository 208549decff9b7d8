import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils.translation import override

from apps.reports import trends
from apps.reports.trends import (
    METRIC_LABELS,
    TREND_KEYS,
    format_number,
    json_number,
    trend,
    trend_sentence,
    trend_table,
)


def test_convictions_falling_five_years_decrease_for_the_fourth_consecutive_year():
    result = trend({2020: 9, 2021: 7, 2022: 5, 2023: 3, 2024: 2})

    assert result.year == 2024
    assert result.value == 2
    assert result.previous == 3
    assert result.change == -1
    assert result.change_pct == -33.3
    assert result.direction == "down"
    assert result.run == 4


def test_a_run_of_increases_counts_every_rising_step():
    result = trend({2021: 1, 2022: 2, 2023: 4})

    assert result.direction == "up"
    assert result.run == 2
    assert result.change == 2
    assert result.change_pct == 100.0


def test_a_change_of_direction_starts_a_new_run():
    result = trend({2020: 1, 2021: 5, 2022: 9, 2023: 4, 2024: 2})

    assert (result.direction, result.run) == ("down", 2)


def test_a_flat_year_has_no_run_and_breaks_the_run_before_it():
    assert trend({2020: 9, 2021: 7, 2022: 7}).direction == "flat"
    assert trend({2020: 9, 2021: 7, 2022: 7}).run == 0
    # 9 -> 7 -> 7 -> 5: the unchanged year ends the earlier decrease, so the run starts again.
    result = trend({2020: 9, 2021: 7, 2022: 7, 2023: 5})
    assert (result.direction, result.run) == ("down", 1)


def test_a_missing_year_breaks_the_run():
    # 2022 is absent: 2023 cannot be compared with it, and the run does not reach back over it.
    result = trend({2019: 20, 2020: 15, 2021: 10, 2023: 8, 2024: 6})
    assert (result.direction, result.run) == ("down", 1)

    # A year on record with no value breaks it in the same way.
    result = trend({2020: 15, 2021: 10, 2022: None, 2023: 8, 2024: 6})
    assert (result.direction, result.run) == ("down", 1)


def test_the_year_after_a_gap_has_nothing_to_compare_with():
    result = trend({2020: 15, 2021: 10, 2023: 8})

    assert result.previous_year == 2022
    assert result.previous is None
    assert result.change is None
    assert result.change_pct is None
    assert (result.direction, result.run) == ("none", 0)


def test_a_missing_value_in_the_chosen_year_has_no_direction():
    result = trend({2022: 3, 2023: None})

    assert result.value is None
    assert (result.direction, result.run) == ("none", 0)


def test_a_single_year_has_no_direction():
    result = trend({2024: 5})

    assert result.previous is None
    assert result.change is None
    assert (result.direction, result.run) == ("none", 0)


def test_an_empty_series_has_no_latest_year():
    with pytest.raises(ValueError):
        trend({})


def test_a_rise_from_zero_has_a_change_but_no_percentage():
    result = trend({2023: 0, 2024: 4})

    assert result.change == 4
    assert result.change_pct is None
    assert (result.direction, result.run) == ("up", 1)


def test_a_fall_to_zero_is_minus_one_hundred_percent():
    assert trend({2023: 4, 2024: 0}).change_pct == -100.0


def test_an_earlier_year_can_be_chosen():
    result = trend({2020: 1, 2021: 2, 2022: 3, 2023: 1}, year=2022)

    assert (result.year, result.value, result.direction, result.run) == (2022, 3, "up", 2)


def test_shares_as_decimals_keep_exact_changes():
    result = trend({2023: Decimal("80.0"), 2024: Decimal("90.5")})

    assert result.change == Decimal("10.5")
    assert result.change_pct == 13.1
    assert result.to_dict()["change"] == 10.5


def test_mixed_float_and_decimal_values_do_not_fail():
    result = trend({2023: Decimal("80"), 2024: 90.5})

    assert result.change == pytest.approx(10.5)


def test_trend_table_gives_each_key_metric_at_the_latest_year():
    metrics_by_year = {
        2022: {"convictions": 5, "investigations": 10},
        2023: {"convictions": 3, "investigations": 10},
        2024: {"convictions": 2, "investigations": 12},
    }

    table = trend_table(metrics_by_year, ["convictions", "investigations", "prosecutions"])

    assert set(table) == {"convictions", "investigations", "prosecutions"}
    assert (table["convictions"].direction, table["convictions"].run) == ("down", 2)
    assert (table["investigations"].direction, table["investigations"].run) == ("up", 1)
    # A metric absent from every year has no value and no direction.
    assert table["prosecutions"].value is None
    assert table["prosecutions"].direction == "none"


def test_trend_table_defaults_to_the_key_metrics():
    table = trend_table({2024: {}})

    assert tuple(table) == TREND_KEYS


def test_trend_to_dict_is_plain_json():
    result = trend({2023: 3, 2024: 2}).to_dict()

    assert result == {
        "year": 2024,
        "value": 2,
        "previous_year": 2023,
        "previous": 3,
        "change": -1,
        "change_pct": -33.3,
        "direction": "down",
        "run": 1,
    }


def test_every_key_metric_and_tier_metric_has_a_label():
    tier_metrics = {
        "removals_decided",
        "removals_screened_pct",
        "flagged_persons_removed",
        "presumed_victims",
        "presumed_victims_referred_pct",
        "investigations",
        "convictions",
        "referrals_completed",
        "referrals_sent",
        "inspectors_trained_pct",
    }

    assert set(TREND_KEYS) | tier_metrics <= set(METRIC_LABELS)


@pytest.mark.parametrize(
    ("series", "sentence"),
    [
        (
            {2020: 9, 2021: 7, 2022: 5, 2023: 3, 2024: 2},
            "Convictions decreased for 4 consecutive years.",
        ),
        ({2023: 3, 2024: 2}, "Convictions decreased compared with the previous year."),
        ({2022: 1, 2023: 2, 2024: 3}, "Convictions increased for 2 consecutive years."),
        ({2023: 1, 2024: 2}, "Convictions increased compared with the previous year."),
        ({2023: 2, 2024: 2}, "Convictions did not change compared with the previous year."),
    ],
)
def test_trend_sentence(series, sentence):
    with override("en"):
        assert trend_sentence(metric="convictions", trend=trend(series)) == sentence


def test_no_sentence_without_a_comparison():
    assert trend_sentence(metric="convictions", trend=trend({2024: 2})) is None


def test_numbers_are_truncated_so_a_share_under_a_threshold_never_shows_as_meeting_it():
    with override("en"):
        assert format_number(94.96) == "94.9"
        assert format_number(Decimal("95.00")) == "95"
        assert format_number(12) == "12"
    with override("ru"):
        assert format_number(Decimal("80.55")) == "80,5"


def test_json_number_turns_decimals_into_plain_numbers():
    assert json_number(Decimal("95.00")) == 95
    assert isinstance(json_number(Decimal("95.00")), int)
    assert json_number(Decimal("94.5")) == 94.5
    assert json_number(None) is None


# Translations ----------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
FRAGMENTS = {lang: ROOT / f"locale-fragments/reports-tier.{lang}.po" for lang in ("ru", "kk")}
needs_gettext_tools = pytest.mark.skipif(
    not (shutil.which("msgfmt") and shutil.which("xgettext") and shutil.which("msgcmp")),
    reason="needs GNU gettext (msgfmt, xgettext, msgcmp)",
)


@pytest.mark.parametrize(
    ("lang", "run", "sentence"),
    [
        ("ru", 2, "снижение 2 года подряд."),
        ("ru", 4, "снижение 4 года подряд."),
        ("ru", 5, "снижение 5 лет подряд."),
        ("ru", 11, "снижение 11 лет подряд."),
        ("ru", 21, "снижение 21 год подряд."),
        ("ru", 22, "снижение 22 года подряд."),
        ("kk", 4, "қатарынан 4 жыл азайды."),
        ("kk", 21, "қатарынан 21 жыл азайды."),
    ],
)
def test_run_sentences_take_the_right_plural_form(lang, run, sentence):
    series = {2000 + i: 100 - i for i in range(run + 1)}
    with override(lang):
        label = str(trends.metric_label("convictions"))
        assert label != "Convictions"
        assert trend_sentence(metric="convictions", trend=trend(series)) == f"{label}: {sentence}"
