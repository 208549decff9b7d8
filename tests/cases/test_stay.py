"""Legal stay and overstay: the rule table, its boundaries, permits and leap years."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from apps.cases import services
from apps.cases.models import Case, StayRule
from apps.cases.stay import Rule, legal_stay_until, overstay_days, rule_for
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


@pytest.mark.django_db
def test_the_seeded_table_gives_eaeu_citizens_90_days_and_others_30():
    services.stay_rules_seed_defaults()
    rules = services.active_stay_rules()
    assert rule_for(rules, citizenship="KZ", stay_basis="unknown").days == 90
    assert rule_for(rules, citizenship="UZ", stay_basis="unknown").days == 30
    assert rule_for(rules, citizenship="FR", stay_basis="unknown").days == 30


@pytest.mark.django_db
def test_a_case_reports_its_overstay_as_of_a_given_day():
    case = CaseFactory(person=PersonFactory(citizenship="KG"), entry_date=date(2025, 1, 1))
    assert case.legal_stay_until == date(2025, 3, 31)
    assert case.overstay_days_on(date(2025, 3, 31)) == 0
    assert case.overstay_days_on(date(2025, 4, 2)) == 2


@pytest.mark.django_db
def test_changing_a_rule_recomputes_every_case(administrator, django_capture_on_commit_callbacks):
    services.stay_rules_seed_defaults()  # a transactional test elsewhere may have flushed it
    case = CaseFactory(person=PersonFactory(citizenship="UZ"), entry_date=date(2025, 1, 1))
    assert case.legal_stay_until == date(2025, 1, 30)
    rule = next(r for r in StayRule.objects.all() if "UZ" in r.citizenships)
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
