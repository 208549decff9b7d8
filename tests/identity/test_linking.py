"""Linking and merging one migrant's records (issue 15 item 6)."""

from datetime import date

import pytest

from apps.audit.models import AuditEntry
from apps.cases.linking import linked_person_ids, person_groups, person_link, person_merge
from apps.cases.models import Case, CaseEvent, Person, PersonLink
from apps.referrals.models import Referral
from apps.removals.models import Removal
from apps.removals.protection import protection_for
from apps.screening.models import Screening
from apps.screening.services import screening_create
from tests.cases.factories import (
    CaseFactory,
    CaseNoteFactory,
    IdentityDocumentFactory,
    PersonFactory,
)
from tests.screening.patterns import PRESUMED

pytestmark = pytest.mark.django_db
REASON = "The same passport number, confirmed with the person at the shelter."


def test_a_caseworker_links_two_cases_of_their_organisation_and_undoes_it(api, caseworker_a):
    org = caseworker_a.organization
    first = CaseFactory(organization=org, person=PersonFactory(given_name="Aziz"))
    second = CaseFactory(organization=org, person=PersonFactory(given_name="Азиз"))
    client = api.as_user(caseworker_a)
    url = f"/api/v1/cases/{first.pk}/same-person/"

    short = client.post(url, {"other_case": second.pk, "reason": "same"}, format="json")
    assert short.status_code == 400 and "reason" in short.json()
    created = client.post(url, {"other_case": second.pk, "reason": REASON}, format="json")
    assert created.status_code == 201 and created.json()["kind"] == "link"
    assert linked_person_ids(first.person_id) == {first.person_id, second.person_id}
    assert CaseEvent.objects.filter(case=second, kind="person_linked").exists()
    assert AuditEntry.objects.filter(target_type="cases.personlink").exists()
    again = client.post(url, {"other_case": second.pk, "reason": REASON}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_linked"
    assert [row["id"] for row in client.get(url).json()] == [created.json()["id"]]

    undone = client.post(f"/api/v1/person-links/{created.json()['id']}/undo/")
    assert undone.status_code == 200 and undone.json()["undone_at"]
    assert linked_person_ids(first.person_id) == {first.person_id}


def test_a_caseworker_cannot_link_another_organisations_case(api, caseworker_a, caseworker_b):
    own = CaseFactory(organization=caseworker_a.organization)
    theirs = CaseFactory(organization=caseworker_b.organization)
    response = api.as_user(caseworker_a).post(
        f"/api/v1/cases/{own.pk}/same-person/",
        {"other_case": theirs.pk, "reason": REASON},
        format="json",
    )
    assert response.status_code == 400 and "other_case" in response.json()
    assert not PersonLink.objects.exists()
    merge = api.as_user(caseworker_a).post(
        f"/api/v1/cases/{own.pk}/same-person/",
        {"other_case": own.pk, "kind": "merge", "reason": REASON},
        format="json",
    )
    assert merge.status_code == 403


def test_an_administrator_merges_across_organisations_keeping_everything_and_undoes_it(
    administrator, caseworker_a, caseworker_b, inspector
):
    kept = CaseFactory(organization=caseworker_a.organization)
    moved = CaseFactory(organization=caseworker_b.organization)
    IdentityDocumentFactory(case=moved, number="AB1234567")
    CaseNoteFactory(case=moved)
    screening_create(actor=caseworker_b, case=moved, answers=PRESUMED, interview_language="ru")
    Removal.objects.create(
        case=moved, grounds="overstay", proposed_on=date.today(), proposed_by=inspector
    )
    Referral.objects.none()  # referrals and proceedings hang off the case as well
    before = {
        "documents": list(moved.documents.values_list("pk", flat=True)),
        "notes": list(moved.notes.values_list("pk", flat=True)),
        "screenings": list(Screening.objects.filter(case=moved).values_list("pk", flat=True)),
        "removals": list(Removal.objects.filter(case=moved).values_list("pk", flat=True)),
        "events": CaseEvent.objects.filter(case=moved)
        .exclude(kind__in=["protection_changed", "removal_suspended"])
        .count(),
    }
    old_person = moved.person_id

    link = person_merge(actor=administrator, case=moved, other=kept, reason=REASON)
    moved.refresh_from_db()
    assert moved.person_id == kept.person_id and link.moved_cases == [moved.pk]
    assert list(moved.documents.values_list("pk", flat=True)) == before["documents"]
    assert list(moved.notes.values_list("pk", flat=True)) == before["notes"]
    assert (
        list(Screening.objects.filter(case=moved).values_list("pk", flat=True))
        == (before["screenings"])
    )
    assert (
        list(Removal.objects.filter(case=moved).values_list("pk", flat=True))
        == (before["removals"])
    )
    # The merge, and the kept record taking the moved record's flag (issue 16: the higher flag
    # of the two holds, and the removals it now binds are suspended).
    protection = {"protection_changed", "removal_suspended"}
    merged = CaseEvent.objects.filter(case=moved).exclude(kind__in=protection)
    assert merged.count() == before["events"] + 1
    assert Person.objects.get(pk=kept.person_id).protection_status == "presumed"

    from apps.cases.linking import person_link_undo

    person_link_undo(actor=administrator, link=link)
    moved.refresh_from_db()
    assert moved.person_id == old_person
    assert Case.objects.filter(person_id=kept.person_id).count() == 1


def test_a_link_carries_protection_across_records_whatever_the_names(caseworker_a, inspector):
    org = caseworker_a.organization
    flagged = CaseFactory(organization=org, person=PersonFactory(given_name="Aziz"))
    screening_create(actor=caseworker_a, case=flagged, answers=PRESUMED, interview_language="ru")
    other = CaseFactory(
        organization=org,
        person=PersonFactory(
            given_name="Bobur", family_name="Ergashev", date_of_birth=date(1980, 1, 1)
        ),
    )
    assert not protection_for(other).elsewhere
    person_link(actor=caseworker_a, case=other, other=flagged, reason=REASON)
    assert [c.pk for c in protection_for(other).cases] == [flagged.pk]


def test_linked_records_form_one_person_group(caseworker_a):
    org = caseworker_a.organization
    a, b, c = (CaseFactory(organization=org) for _ in range(3))
    person_link(actor=caseworker_a, case=a, other=b, reason=REASON)
    groups = person_groups([a.person_id, b.person_id, c.person_id])
    assert len(set(groups.values())) == 2


def test_an_administrators_reason_for_a_cross_organisation_merge_is_not_shown_to_caseworkers(
    api, administrator, caseworker_a, caseworker_b
):
    own = CaseFactory(organization=caseworker_a.organization)
    theirs = CaseFactory(organization=caseworker_b.organization)
    secret = "Confirmed by the Omsk shelter, where the person told of the employer's threats."
    person_link(actor=administrator, case=own, other=theirs, reason=secret)

    listed = api.as_user(caseworker_a).get(f"/api/v1/cases/{own.pk}/same-person/").json()
    assert listed[0]["reason"] is None and listed[0]["created_by"] is None
    assert (
        api.as_user(administrator).get(f"/api/v1/cases/{own.pk}/same-person/").json()[0]["reason"]
        == secret
    )
    # The case page's panel says the same.
    from django.test import Client

    page = Client()
    page.force_login(caseworker_a)
    html = page.get(f"/cases/{own.pk}/").content.decode()
    assert secret not in html and theirs.reference not in html
