"""The tasks API: scoped like the case for every role, bad input a translated 400 that changes
nothing, a stale version 409, and lists whose query count does not grow with their length."""

import pytest
from django.db import connection

from apps.cases.models import Case
from apps.tasks.models import FollowUp, Task
from apps.tasks.rules import sync_case_tasks
from apps.tasks.services import task_create
from tests.accounts.factories import UserFactory
from tests.cases.factories import CaseFactory

from .conftest import D, at, days

pytestmark = pytest.mark.django_db

URL = "/api/v1/tasks/"


@pytest.fixture(autouse=True)
def _today():
    with at(D):
        yield


@pytest.fixture
def task_a(case_a, caseworker_a):
    return task_create(actor=caseworker_a, case=case_a, title="Call Aziz's sister", due_on=D)


@pytest.fixture
def task_b(case_b, caseworker_b):
    return task_create(actor=caseworker_b, case=case_b, title="Visit the shelter", due_on=D)


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("persona", "sees_a", "sees_b"),
    [
        ("caseworker_a", True, False),
        ("caseworker_b", False, True),
        ("inspector", False, False),
        ("administrator", True, True),
        ("auditor", True, True),
    ],
)
def test_each_role_lists_and_retrieves_only_the_tasks_of_cases_it_may_see(
    request, api, task_a, task_b, persona, sees_a, sees_b
):
    user = request.getfixturevalue(persona)
    client = api.as_user(user)
    listed = ids(client.get(URL))
    assert (task_a.pk in listed, task_b.pk in listed) == (sees_a, sees_b)
    for task, sees in ((task_a, sees_a), (task_b, sees_b)):
        response = client.get(f"{URL}{task.pk}/")
        assert response.status_code == (200 if sees else 404)


def test_an_inspector_sees_the_tasks_of_a_case_they_screened(api, inspector, task_b, case_b):
    from apps.screening.models import Screening

    assert task_b.pk not in ids(api.as_user(inspector).get(URL))
    Screening.objects.create(case=case_b, screened_by=inspector, catalogue_version="v")
    assert task_b.pk in ids(api.as_user(inspector).get(URL))


def test_another_organisations_task_cannot_be_changed(api, caseworker_b, task_a):
    response = api.as_user(caseworker_b).patch(f"{URL}{task_a.pk}/", {"status": "done"})
    assert response.status_code == 404
    task_a.refresh_from_db()
    assert task_a.status == "open"


def test_the_auditor_reads_but_changes_nothing(api, auditor, task_a):
    response = api.as_user(auditor).patch(f"{URL}{task_a.pk}/", {"status": "done"})
    assert response.status_code == 403
    assert Task.objects.get(pk=task_a.pk).status == "open"


def test_create_a_manual_task_with_an_encrypted_title(api, caseworker_a, case_a):
    response = api.as_user(caseworker_a).post(
        URL, {"case": case_a.pk, "title": "Call Aziz Karimov", "due_on": "2026-12-10"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "Call Aziz Karimov"
    assert (body["source"], body["kind"], body["assigned_to"]) == (
        "manual",
        "manual",
        caseworker_a.pk,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT title FROM tasks_task WHERE id = %s", [body["id"]])
        stored = cursor.fetchone()[0]
    assert "Karimov" not in stored


@pytest.mark.parametrize(
    "payload",
    [
        {"title": "", "due_on": "2026-12-10"},
        {"title": "x", "due_on": "tomorrow"},
        {"title": "x", "due_on": "2099-01-01"},
        {"title": "x" * 201, "due_on": "2026-12-10"},
        {"title": "x", "due_on": "2026-12-10", "assigned_to": 10**30},
        {"title": "x", "due_on": "2026-12-10", "assigned_to": "someone"},
    ],
)
def test_bad_input_is_a_translated_400_and_nothing_is_created(api, caseworker_a, case_a, payload):
    response = api.as_user(caseworker_a).post(
        URL, {"case": case_a.pk, **payload}, format="json", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 400, response.content
    messages = [m for v in response.json().values() for m in (v if isinstance(v, list) else [v])]
    assert messages and all(any("а" <= ch <= "я" for ch in str(m).lower()) for m in messages)
    assert not Task.objects.filter(source="manual").exists()


def test_assigning_to_another_organisation_is_refused(api, caseworker_a, caseworker_b, task_a):
    response = api.as_user(caseworker_a).patch(
        f"{URL}{task_a.pk}/", {"assigned_to": caseworker_b.pk}, format="json"
    )
    assert response.status_code == 400
    assert "assigned_to" in response.json()
    task_a.refresh_from_db()
    assert (task_a.assigned_to_id, task_a.version) == (caseworker_a.pk, 1)


def test_a_task_on_another_organisations_case_cannot_be_created(api, caseworker_a, case_b):
    response = api.as_user(caseworker_a).post(
        URL, {"case": case_b.pk, "title": "x", "due_on": "2026-12-10"}
    )
    assert response.status_code == 400
    assert not Task.objects.exists()


def test_complete_reassign_and_stale_version(api, caseworker_a, ngo_a, task_a):
    colleague = UserFactory(username="colleague", role="caseworker", organization=ngo_a)
    client = api.as_user(caseworker_a)
    response = client.patch(
        f"{URL}{task_a.pk}/", {"assigned_to": colleague.pk, "version": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["assigned_to"], response.json()["version"]) == (colleague.pk, 2)
    stale = client.patch(f"{URL}{task_a.pk}/", {"status": "done", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    assert Task.objects.get(pk=task_a.pk).status == "open"
    done = client.patch(f"{URL}{task_a.pk}/", {"status": "done", "version": 2}, format="json")
    assert done.status_code == 200
    body = done.json()
    assert (body["status"], body["completed_by"]) == ("done", caseworker_a.pk)
    again = client.patch(f"{URL}{task_a.pk}/", {"status": "cancelled"}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"


def test_a_rule_tasks_date_cannot_be_changed_by_hand(api, caseworker_a, case_a):
    Case.objects.filter(pk=case_a.pk).update(legal_stay_until=days(3))
    sync_case_tasks(case_a)
    task = Task.objects.get(case=case_a, kind="stay_ending")
    response = api.as_user(caseworker_a).patch(
        f"{URL}{task.pk}/", {"due_on": "2026-12-30"}, format="json"
    )
    assert response.status_code == 400
    task.refresh_from_db()
    assert (task.due_on, task.version) == (days(3), 1)


def test_filters_and_titles_in_the_readers_language(api, caseworker_a, case_a, task_a):
    Case.objects.filter(pk=case_a.pk).update(legal_stay_until=days(-2))
    sync_case_tasks(case_a)
    client = api.as_user(caseworker_a)
    overdue = client.get(URL, {"due": "overdue"}).json()["results"]
    assert [row["kind"] for row in overdue] == ["stay_ending"]
    assert ids(client.get(URL, {"kind": "manual"})) == {task_a.pk}
    assert ids(client.get(URL, {"assigned_to": "me", "due": "today"})) == {task_a.pk}
    assert ids(client.get(URL, {"case": case_a.pk, "status": "done"})) == set()
    russian = client.get(URL, {"kind": "stay_ending"}, HTTP_ACCEPT_LANGUAGE="ru").json()
    english = client.get(URL, {"kind": "stay_ending"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert russian["results"][0]["title"] != english["results"][0]["title"]
    assert client.get(URL, {"due": "yesterday"}).status_code == 400
    assert client.get(URL, {"assigned_to": "x"}).status_code == 400


def test_list_queries_do_not_grow_with_the_list(
    api, caseworker_a, ngo_a, django_assert_max_num_queries
):
    client = api.as_user(caseworker_a)
    for n in range(3):
        case = CaseFactory(organization=ngo_a, created_by=caseworker_a)
        task_create(actor=caseworker_a, case=case, title=f"Task {n}", due_on=D)
    with django_assert_max_num_queries(6):
        small = client.get(URL)
    for n in range(30):
        case = CaseFactory(organization=ngo_a, created_by=caseworker_a)
        task_create(actor=caseworker_a, case=case, title=f"Task {n}", due_on=D)
    with django_assert_max_num_queries(6):
        large = client.get(URL)
    assert small.json()["count"] < large.json()["count"]


# --- follow-ups -----------------------------------------------------------------------------


def test_a_planned_follow_up_makes_a_task_and_recording_it_plans_the_next(
    api, caseworker_a, case_a
):
    client = api.as_user(caseworker_a)
    response = client.post(
        "/api/v1/followups/",
        {"case": case_a.pk, "kind": "visit", "planned_on": "2026-12-10", "with_whom": "Employer"},
        format="json",
    )
    assert response.status_code == 201, response.content
    follow_up = response.json()
    task = Task.objects.get(follow_up_id=follow_up["id"])
    assert (task.kind, task.due_on, task.status, task.assigned_to) == (
        "follow_up",
        days(2),
        "open",
        caseworker_a,
    )
    recorded = client.post(
        f"/api/v1/followups/{follow_up['id']}/record/",
        {
            "done_on": "2026-12-08",
            "outcome": "Wages paid.",
            "next_on": "2026-12-20",
            "version": follow_up["version"],
        },
        format="json",
    )
    assert recorded.status_code == 200, recorded.content
    task.refresh_from_db()
    assert (task.status, task.completed_by) == ("done", caseworker_a)
    following = FollowUp.objects.get(pk=recorded.json()["next_follow_up"])
    assert (following.status, following.planned_on, following.kind) == (
        "planned",
        days(12),
        "visit",
    )
    assert Task.objects.get(follow_up=following).due_on == days(12)
    again = client.post(f"/api/v1/followups/{follow_up['id']}/record/", {"done_on": "2026-12-08"})
    assert again.status_code == 409


def test_follow_up_bad_input_and_scoping(api, caseworker_a, caseworker_b, case_a):
    client = api.as_user(caseworker_a)
    for payload in (
        {"case": case_a.pk, "kind": "telepathy", "planned_on": "2026-12-10"},
        {"case": case_a.pk, "kind": "phone"},
        {"case": case_a.pk, "kind": "phone", "planned_on": "2026-12-01"},
        {"case": case_a.pk, "kind": "phone", "done_on": "2026-12-20"},
    ):
        assert client.post("/api/v1/followups/", payload, format="json").status_code == 400
    assert not FollowUp.objects.exists()
    planned = client.post(
        "/api/v1/followups/",
        {"case": case_a.pk, "kind": "phone", "planned_on": "2026-12-10"},
        format="json",
    ).json()
    stale = client.post(
        f"/api/v1/followups/{planned['id']}/cancel/", {"version": 99}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    other = api.as_user(caseworker_b)
    assert other.get(f"/api/v1/followups/{planned['id']}/").status_code == 404
    assert planned["id"] not in {r["id"] for r in other.get("/api/v1/followups/").json()["results"]}
    assert other.post(f"/api/v1/followups/{planned['id']}/cancel/", {}).status_code == 404
    assert FollowUp.objects.get(pk=planned["id"]).status == "planned"
