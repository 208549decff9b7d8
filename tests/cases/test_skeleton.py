"""The case access rules other apps rely on."""

import pytest
from django.http import Http404

from apps.audit.models import AuditEntry
from apps.cases import guards, selectors, services, timeline
from apps.screening.models import Screening
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_a_caseworker_sees_only_the_organisations_cases(caseworker_a, caseworker_b):
    own = CaseFactory(organization=caseworker_a.organization)
    CaseFactory(organization=caseworker_b.organization)
    assert list(selectors.case_list_for_user(caseworker_a)) == [own]


def test_another_organisations_case_is_a_404(caseworker_a, caseworker_b):
    other = CaseFactory(organization=caseworker_b.organization)
    with pytest.raises(Http404):
        selectors.case_get_for_user(caseworker_a, case_id=other.pk)


def test_an_inspector_also_sees_cases_they_screened(inspector, caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization)
    assert case not in selectors.case_list_for_user(inspector)
    Screening.objects.create(case=case, screened_by=inspector, catalogue_version="v")
    assert case in selectors.case_list_for_user(inspector)


def test_an_inspectors_cases_are_their_organisations_and_the_screened_ones_once_each(
    inspector, caseworker_a
):
    own = CaseFactory(organization=inspector.organization)
    screened = CaseFactory(organization=caseworker_a.organization)
    CaseFactory(organization=caseworker_a.organization)  # neither theirs nor screened
    for case in (screened, screened, own):  # screened twice, and one of their own
        Screening.objects.create(case=case, screened_by=inspector, catalogue_version="v")
    visible = selectors.case_list_for_user(inspector)
    assert sorted(visible.values_list("pk", flat=True)) == sorted([own.pk, screened.pk])
    assert visible.count() == 2


@pytest.mark.parametrize("persona", ["administrator", "auditor"])
def test_global_readers_see_every_case(request, persona, caseworker_a, caseworker_b):
    CaseFactory(organization=caseworker_a.organization)
    CaseFactory(organization=caseworker_b.organization)
    assert selectors.case_list_for_user(request.getfixturevalue(persona)).count() == 2


def test_every_read_of_a_case_is_audited(caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization)
    selectors.case_get_for_user(caseworker_a, case_id=case.pk)
    entry = AuditEntry.objects.get(action="read", target_type="cases.case")
    assert entry.target_id == str(case.pk) and entry.actor == caseworker_a


def test_risk_update_leaves_the_victim_status_to_the_protection_status(caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization, victim_status="identified")
    case = services.case_risk_update(case=case, risk_level="low", actor=caseworker_a)
    assert (case.risk_level, case.victim_status, case.version) == ("low", "identified", 2)


def test_timeline_and_guards_are_extensible(caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization)
    event = services.case_event_record(case=case, actor=caseworker_a, kind="test_kind")
    timeline.register("test_kind", lambda e: "It happened")
    assert timeline.describe(event) == "It happened"
    guard = lambda c: "not yet" if c.pk == case.pk else None  # noqa: E731
    guards.register_close_guard(guard)
    try:
        assert guards.close_refusals(case) == ["not yet"]
    finally:
        guards._close_guards.remove(guard)


def test_an_id_beyond_any_database_integer_is_a_404_not_a_server_error(client, caseworker_a):
    client.force_login(caseworker_a)
    assert client.get(f"/cases/{10**30}/").status_code == 404
    with pytest.raises(Http404):
        selectors.case_get_for_user(caseworker_a, case_id=10**30)
