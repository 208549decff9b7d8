"""Legal stay and overstay: the rule table, its boundaries, permits and leap years."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from apps.cases import services
from apps.cases.models import Case, StayRule
from apps.cases.stay import (
    Rule,
    assess,
    default_rules,
    host_country_of,
    legal_stay_until,
    overstay_days,
    rule_for,
)
from tests.cases.factories import CaseFactory, PersonFactory

EAEU = Rule(citizenships=frozenset({"AM", "BY", "KZ", "KG", "RU"}), stay_basis="", days=90)
OTHERS = Rule(citizenships=frozenset(), stay_basis="", days=30)
RULES = [EAEU, OTHERS]


def until(citizenship="KG", entry=date(2025, 1, 1), basis="eaeu_90_days", permit=None):
    return legal_stay_until(
        RULES,
        citizenship=citizenship,
        entry_date=entry,
        stay_basis=basis,
        permit_valid_until=permit,
    )


def test_an_eaeu_citizen_may_stay_90_days_counting_the_day_of_entry():
    assert until() == date(2025, 3, 31)


def test_day_90_is_still_legal_and_day_91_is_the_first_day_of_overstay():
    last_day = until()
    assert (last_day - date(2025, 1, 1)).days + 1 == 90
    assert overstay_days(last_day, today=date(2025, 3, 31)) == 0
    assert overstay_days(last_day, today=date(2025, 4, 1)) == 1
    assert overstay_days(last_day, today=date(2025, 4, 30)) == 30


def test_a_leap_year_february_has_29_days_in_the_count():
    assert until(entry=date(2024, 1, 1)) == date(2024, 3, 30)
    assert until(entry=date(2024, 2, 29)) == date(2024, 5, 28)
    assert until(entry=date(2023, 12, 15)) == date(2024, 3, 13)


def test_other_citizenships_follow_their_own_row_of_the_table():
    assert until(citizenship="UZ", basis="visa_free") == date(2025, 1, 30)


def test_a_temporary_residence_permit_extends_the_stay_to_its_end():
    assert until(basis="temporary_residence_permit", permit=date(2026, 6, 30)) == date(2026, 6, 30)


def test_an_expired_permit_does_not_shorten_the_stay_from_entry():
    assert until(basis="temporary_residence_permit", permit=date(2025, 2, 1)) == date(2025, 3, 31)


def test_a_visa_lasts_as_long_as_it_is_valid():
    assert until(citizenship="CN", basis="visa", permit=date(2025, 2, 14)) == date(2025, 2, 14)


def test_without_an_entry_date_the_stay_cannot_be_computed():
    assert until(entry=None) is None
    assert overstay_days(None, today=date(2030, 1, 1)) == 0


def test_a_named_citizenship_outranks_the_default_and_a_named_basis_outranks_any_basis():
    special = Rule(citizenships=frozenset({"KG"}), stay_basis="visa_free", days=60)
    rules = [*RULES, special]
    assert rule_for(rules, citizenship="KG", stay_basis="visa_free") == special
    assert rule_for(rules, citizenship="KG", stay_basis="unknown") == EAEU
    assert rule_for(rules, citizenship="FR", stay_basis="visa_free") == OTHERS


def test_with_no_matching_rule_there_is_no_deadline():
    assert (
        legal_stay_until(
            [EAEU],
            citizenship="FR",
            entry_date=date(2025, 1, 1),
            stay_basis="",
            permit_valid_until=None,
        )
        is None
    )


SEEDED = default_rules()


def seeded(citizenship, region, basis="visa_free", entry=date(2025, 3, 1), permit=None, stays=()):
    return assess(
        SEEDED,
        citizenship=citizenship,
        entry_date=entry,
        stay_basis=basis,
        permit_valid_until=permit,
        host_country=host_country_of(region),
        stays=stays,
    )


def test_the_host_country_follows_the_region():
    assert host_country_of("astana") == "KZ"
    assert host_country_of("ru_omsk") == "RU"
    assert host_country_of("other") == ""


def test_in_kazakhstan_eaeu_citizens_count_90_days_in_any_180():
    found = seeded("KG", "astana")
    assert found.reason == "rolling"
    assert found.until == date(2025, 5, 29)  # day 90 from 1 March
    assert found.registration_until == date(2025, 3, 30)  # EAEU Treaty art. 97(3)


def test_in_kazakhstan_exit_and_re_entry_no_longer_resets_the_count():
    # 60 days from 1 January, out for two weeks, back on 15 March: 30 days remain in the 180.
    earlier = [(date(2025, 1, 1), date(2025, 3, 1))]
    found = seeded("KG", "astana", entry=date(2025, 3, 15), stays=earlier)
    assert found.days_counted == 60
    assert found.until == date(2025, 4, 13)


def test_in_kazakhstan_other_visa_free_foreigners_have_30_days_per_entry_and_90_in_180():
    assert seeded("UZ", "almaty_city").until == date(2025, 3, 30)
    assert seeded("UZ", "almaty_city").reason == "per_entry"
    # 75 days already spent in the 180: only 15 remain of this entry's 30.
    earlier = [(date(2024, 12, 1), date(2025, 2, 13))]
    found = seeded("UZ", "almaty_city", entry=date(2025, 3, 1), stays=earlier)
    assert found.reason == "rolling"
    assert found.until == date(2025, 3, 15)


def test_in_russia_visa_free_foreigners_have_90_days_per_calendar_year():
    found = seeded("UZ", "ru_omsk", entry=date(2025, 1, 10))
    assert found.reason == "calendar_year"
    assert found.until == date(2025, 4, 9)
    # 50 days earlier in the year leave 40.
    earlier = [(date(2025, 1, 1), date(2025, 2, 19))]
    assert seeded("UZ", "ru_omsk", entry=date(2025, 6, 1), stays=earlier).until == date(2025, 7, 10)


def test_in_russia_a_new_calendar_year_starts_a_new_count():
    found = seeded("TJ", "ru_omsk", entry=date(2025, 11, 1))
    # 61 days to 31 December, then a fresh 90 from 1 January.
    assert found.until == date(2026, 3, 31)


def test_a_patent_holder_stays_until_the_patent_ends_outside_the_90_day_cap():
    found = seeded("UZ", "ru_omsk", basis="patent", permit=date(2025, 12, 1))
    assert found.until == date(2025, 12, 1)
    assert found.reason == "permit"
    assert "115-FZ art. 13.3" in found.rule.source


def test_an_eaeu_worker_stays_for_the_contract_and_15_days_after_it():
    found = seeded("KG", "astana", basis="eaeu_employment_contract", permit=date(2025, 12, 31))
    assert found.until == date(2026, 1, 15)
    assert "art. 97" in found.rule.source
    russia = seeded("KG", "ru_omsk", basis="eaeu_employment_contract", permit=date(2025, 12, 31))
    assert russia.until == date(2026, 1, 15)


def test_a_contract_basis_without_its_end_date_gives_no_deadline():
    found = seeded("KG", "astana", basis="eaeu_employment_contract")
    assert found.until is None
    assert found.reason == "no_permit"


def test_a_victim_of_trafficking_stays_for_the_temporary_residence_granted():
    found = seeded("UZ", "astana", basis="victim_residence_permit", permit=date(2026, 6, 1))
    assert found.until == date(2026, 6, 1)
    assert "110-VIII" in found.rule.source


def test_with_an_unknown_host_country_no_visa_free_rule_applies():
    assert seeded("UZ", "other").until is None


def test_every_seeded_rule_cites_its_source():
    assert all(rule.source for rule in SEEDED)


@pytest.mark.django_db
def test_the_seeded_table_is_the_default_table():
    services.stay_rules_seed_defaults()
    assert sorted(r.name for r in services.active_stay_rules()) == sorted(r.name for r in SEEDED)


@pytest.mark.django_db
def test_a_case_reports_its_overstay_as_of_a_given_day():
    case = CaseFactory(person=PersonFactory(citizenship="KG"), entry_date=date(2025, 1, 1))
    assert case.legal_stay_until == date(2025, 3, 31)
    assert case.overstay_days_on(date(2025, 3, 31)) == 0
    assert case.overstay_days_on(date(2025, 4, 2)) == 2


@pytest.mark.django_db
def test_changing_a_rule_recomputes_every_case(administrator, django_capture_on_commit_callbacks):
    services.stay_rules_seed_defaults()  # a transactional test elsewhere may have flushed it
    case = CaseFactory(
        person=PersonFactory(citizenship="UZ"), region="astana", entry_date=date(2025, 1, 1)
    )
    assert case.legal_stay_until == date(2025, 1, 30)
    rule = StayRule.objects.get(host_country="KZ", citizenships=[], stay_basis="")
    rule.days = 90
    with django_capture_on_commit_callbacks(execute=True):
        services.stay_rule_save(rule=rule, actor=administrator)
    assert Case.objects.get(pk=case.pk).legal_stay_until == date(2025, 3, 31)


@pytest.mark.django_db
def test_only_administrators_change_stay_rules(caseworker_a):
    rule = StayRule(name="Longer", days=120)
    with pytest.raises(PermissionDenied):
        services.stay_rule_save(rule=rule, actor=caseworker_a)


@pytest.mark.django_db
def test_a_rule_with_an_unknown_country_code_is_refused(administrator):
    from django.core.exceptions import ValidationError

    rule = StayRule(name="Bad", citizenships=["XX"], days=10)
    with pytest.raises(ValidationError) as exc:
        services.stay_rule_save(rule=rule, actor=administrator)
    assert "citizenships" in exc.value.message_dict
    assert not StayRule.objects.filter(name="Bad").exists()


@pytest.mark.django_db
def test_earlier_stays_are_recorded_on_the_case_and_count(caseworker_a):
    case = CaseFactory(
        person=PersonFactory(citizenship="KG"),
        organization=caseworker_a.organization,
        created_by=caseworker_a,
        region="astana",
        entry_date=date(2025, 3, 15),
    )
    assert case.legal_stay_until == date(2025, 6, 12)
    case = services.case_update(
        case=case,
        actor=caseworker_a,
        version=case.version,
        data={"stays": [{"entered": date(2025, 1, 1), "left": date(2025, 3, 1)}]},
    )
    assert list(case.stays.values_list("entered", "left")) == [(date(2025, 1, 1), date(2025, 3, 1))]
    assert Case.objects.get(pk=case.pk).legal_stay_until == date(2025, 4, 13)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "stays",
    [
        [{"entered": date(2025, 3, 1), "left": date(2025, 2, 1)}],
        [{"entered": date(2025, 1, 1), "left": date(2025, 3, 20)}],
        [
            {"entered": date(2025, 1, 1), "left": date(2025, 2, 1)},
            {"entered": date(2025, 1, 20), "left": date(2025, 2, 10)},
        ],
        [{"entered": "2025-01-01"}],
    ],
)
def test_bad_earlier_stays_are_refused_and_change_nothing(caseworker_a, stays):
    from django.core.exceptions import ValidationError

    case = CaseFactory(
        organization=caseworker_a.organization,
        created_by=caseworker_a,
        region="astana",
        entry_date=date(2025, 3, 15),
    )
    with pytest.raises(ValidationError) as exc:
        services.case_update(
            case=case, actor=caseworker_a, version=case.version, data={"stays": stays}
        )
    assert "stays" in exc.value.message_dict
    assert not case.stays.exists()


@pytest.mark.django_db
def test_a_re_entry_ban_needs_its_country_and_end_date(caseworker_a):
    from django.core.exceptions import ValidationError

    case = CaseFactory(organization=caseworker_a.organization, created_by=caseworker_a)
    with pytest.raises(ValidationError):
        services.case_update(
            case=case,
            actor=caseworker_a,
            version=case.version,
            data={"person": {"entry_ban_until": date(2030, 1, 1)}},
        )
    case = services.case_update(
        case=case,
        actor=caseworker_a,
        version=case.version,
        data={"person": {"entry_ban_country": "RU", "entry_ban_until": date(2030, 1, 1)}},
    )
    assert case.person.entry_ban_until == date(2030, 1, 1)


def test_every_seeded_name_and_source_part_has_a_catalogue_entry():
    from apps.cases.stay import SEEDED_TEXTS

    texts = {rule.name for rule in SEEDED} | {p for r in SEEDED for p in r.source.split("; ")}
    assert texts <= set(SEEDED_TEXTS)


@pytest.mark.django_db
def test_the_upgrade_to_rules_by_host_country_keeps_custom_rules_and_adds_every_seeded_one():
    import importlib

    from django.apps import apps as django_apps

    from apps.cases.models import StayRule

    migration = importlib.import_module(
        "apps.cases.migrations.0021_seed_stay_rules_by_host_country"
    )
    StayRule.objects.all().delete()
    StayRule.objects.create(name=migration.OLD_NAMES[0], citizenships=["KG"], days=90)
    StayRule.objects.create(name="Tajik seasonal workers", citizenships=["TJ"], days=60)
    migration.seed(django_apps, None)
    names = set(StayRule.objects.values_list("name", flat=True))
    assert names == {rule.name for rule in SEEDED} | {"Tajik seasonal workers"}
