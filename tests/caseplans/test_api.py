import datetime

import pytest
from django.utils import timezone

from apps.caseplans.models import CasePlan, Goal
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/case-plans/"


@pytest.fixture
def case_a(caseworker_a):
    return CaseFactory(organization=caseworker_a.organization, created_by=caseworker_a)


def due(days=10):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_a_plan_is_assessed_planned_and_completed_through_the_api(api, caseworker_a, case_a):
    client = api.as_user(caseworker_a)
    url = f"{URL}{case_a.pk}/"
    assert client.get(url).status_code == 404
    needs = [
        {"area": a, "level": "none"}
        for a in ("safety", "shelter", "legal", "health", "psychosocial", "family", "return_stay")
    ]
    needs.append({"area": "wages_debt", "level": "need", "notes": "Three months unpaid"})
    created = client.put(url, {"needs": needs}, format="json")
    assert created.status_code == 200, created.json()
    version = created.json()["version"]
    goal = client.post(
        f"{url}goals/",
        {"version": version, "area": "wages_debt", "description": "Claim wages", "due_on": due(),
         "responsible": caseworker_a.pk, "actions": ["Complaint to the inspectorate"]},
        format="json",
    )  # fmt: skip
    assert goal.status_code == 200, goal.json()
    body = goal.json()
    action_id = body["goals"][0]["actions"][0]["id"]
    done = client.post(
        f"{url}actions/{action_id}/done/", {"version": body["version"]}, format="json"
    )
    assert done.status_code == 200
    completed = client.post(f"{url}complete/", {"version": done.json()["version"]}, format="json")
    assert completed.status_code == 200, completed.json()
    assert completed.json()["status"] == "completed"
    listed = client.get(URL, {"status": "completed"}).json()
    assert [p["case"] for p in listed["results"]] == [case_a.pk]


def test_an_update_without_version_once_the_plan_exists_is_a_400(api, caseworker_a, case_a):
    client = api.as_user(caseworker_a)
    url = f"{URL}{case_a.pk}/"
    client.put(url, {"needs": [{"area": "shelter", "level": "urgent"}]}, format="json")
    response = client.put(url, {"needs": [{"area": "shelter", "level": "none"}]}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()
    assert CasePlan.objects.get().needs.get(area="shelter").level == "urgent"


@pytest.mark.parametrize(
    "payload",
    [
        {"needs": [{"area": "housing", "level": "need"}]},
        {"needs": [{"area": "shelter", "level": "maybe"}]},
        {"needs": [{"area": "shelter", "level": "need"}, {"area": "shelter", "level": "none"}]},
        {"needs": []},
        {"needs": "shelter"},
        {},
    ],
)
def test_bad_assessments_are_400_and_create_nothing(api, caseworker_a, case_a, payload):
    response = api.as_user(caseworker_a).put(f"{URL}{case_a.pk}/", payload, format="json")
    assert response.status_code == 400
    assert not CasePlan.objects.exists()


def test_stale_version_is_409(api, caseworker_a, case_a):
    client = api.as_user(caseworker_a)
    url = f"{URL}{case_a.pk}/"
    first = client.put(url, {"needs": [{"area": "shelter", "level": "urgent"}]}, format="json")
    version = first.json()["version"]
    client.put(
        url, {"version": version, "needs": [{"area": "health", "level": "need"}]}, format="json"
    )
    stale = client.post(
        f"{url}goals/",
        {"version": version, "area": "shelter", "description": "Shelter", "due_on": due()},
        format="json",
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    assert not Goal.objects.exists()


def test_plans_are_scoped_like_their_cases(api, caseworker_a, caseworker_b, case_a):
    api.as_user(caseworker_a).put(
        f"{URL}{case_a.pk}/", {"needs": [{"area": "shelter", "level": "urgent"}]}, format="json"
    )
    other = api.as_user(caseworker_b)
    assert other.get(URL).json()["results"] == []
    assert other.get(f"{URL}{case_a.pk}/").status_code == 404
    refused = other.put(
        f"{URL}{case_a.pk}/", {"version": 1, "needs": [{"area": "shelter", "level": "none"}]},
        format="json",
    )  # fmt: skip
    assert refused.status_code == 404
    assert CasePlan.objects.get().needs.get(area="shelter").level == "urgent"


def test_an_auditor_reads_but_may_not_write(api, auditor, caseworker_a, case_a):
    api.as_user(caseworker_a).put(
        f"{URL}{case_a.pk}/", {"needs": [{"area": "shelter", "level": "urgent"}]}, format="json"
    )
    reader = api.as_user(auditor)
    assert reader.get(f"{URL}{case_a.pk}/").status_code == 200
    assert (
        reader.post(f"{URL}{case_a.pk}/complete/", {"version": 2}, format="json").status_code == 403
    )


def test_the_list_has_a_bounded_number_of_queries(api, caseworker_a, django_assert_max_num_queries):
    client = api.as_user(caseworker_a)
    for _ in range(4):
        case = CaseFactory(organization=caseworker_a.organization, created_by=caseworker_a)
        client.put(
            f"{URL}{case.pk}/", {"needs": [{"area": "shelter", "level": "urgent"}]}, format="json"
        )
    with django_assert_max_num_queries(12):
        assert len(client.get(URL).json()["results"]) == 4


def test_a_bad_status_filter_is_a_400(api, caseworker_a):
    assert api.as_user(caseworker_a).get(URL, {"status": "archived"}).status_code == 400
