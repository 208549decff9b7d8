"""The annual report counts persons, not cases, where it counts victims (issue 15 item 6): the
cases of one person record (a merge) and of linked records count once."""

import pytest

from apps.cases.linking import person_link, person_link_undo, person_merge
from apps.reports.metrics import Period, protection_metrics
from tests.accounts.factories import UserFactory
from tests.cases.factories import CaseFactory, PersonFactory
from tests.reports.factories import at, screening

pytestmark = pytest.mark.django_db
REASON = "Same passport number on both files, confirmed by phone."


def _flagged(org, result, *, person=None, age=30, referred=False):
    case = CaseFactory(organization=org, person=person or PersonFactory(sex="male"))
    screening(case, when=at(2025, 3), trafficking=result, person_age=age)
    return case


def _metrics():
    return protection_metrics(period=Period(2025), region=None)


def test_linked_cases_of_one_person_count_once_and_as_the_strongest_flag(caseworker_a):
    org = caseworker_a.organization
    first = _flagged(org, "presumed_victim")
    second = _flagged(org, "possible_victim")
    _flagged(org, "presumed_victim")  # someone else
    before = _metrics()
    assert (before["presumed_victims"], before["possible_victims"]) == (2, 1)
    assert sum(before["breakdowns"]["presumed_victims"]["sex"].values()) == 2

    link = person_link(actor=caseworker_a, case=first, other=second, reason=REASON)
    linked = _metrics()
    # One person, presumed in one case and possible in the other: one presumed victim.
    assert (linked["presumed_victims"], linked["possible_victims"]) == (2, 0)

    person_link_undo(actor=caseworker_a, link=link)
    assert _metrics()["possible_victims"] == 1


def test_two_presumed_cases_of_a_merged_person_are_one_victim_in_every_breakdown(caseworker_a):
    admin = UserFactory(role="administrator")
    org = caseworker_a.organization
    one = _flagged(org, "presumed_victim", age=30)
    other = _flagged(org, "presumed_victim", age=31)
    assert _metrics()["presumed_victims"] == 2
    person_merge(actor=admin, case=one, other=other, reason=REASON)
    merged = _metrics()
    assert merged["presumed_victims"] == 1
    for dimension, counts in merged["breakdowns"]["presumed_victims"].items():
        assert sum(counts.values()) == 1, dimension


def test_the_same_person_record_in_two_cases_is_counted_once(caseworker_a):
    person = PersonFactory()
    _flagged(caseworker_a.organization, "presumed_victim", person=person)
    _flagged(caseworker_a.organization, "presumed_victim", person=person)
    assert _metrics()["presumed_victims"] == 1
