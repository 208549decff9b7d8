"""The pages: "My tasks", "Team tasks", the home page's work of the day, and the case page's
tasks and follow-ups."""

import pytest
from django.test import Client

from apps.cases.models import Case
from apps.tasks.models import FollowUp, Task
from apps.tasks.rules import sync_case_tasks
from apps.tasks.services import follow_up_plan, task_create

from .conftest import D, at, days

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with at(D):
        yield


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_home_opens_on_overdue_and_todays_tasks_and_the_next_deadlines(caseworker_a, case_a):
    Case.objects.filter(pk=case_a.pk).update(legal_stay_until=days(-1))
    sync_case_tasks(case_a)
    task_create(actor=caseworker_a, case=case_a, title="Bring the wage slips", due_on=D)
    task_create(actor=caseworker_a, case=case_a, title="Court hearing prep", due_on=days(5))
    task_create(actor=caseworker_a, case=case_a, title="Far away", due_on=days(40))
    html = client_for(caseworker_a).get("/").content.decode()
    assert html.index('id="home-tasks"') < html.index("</main>") if "</main>" in html else True
    assert "Bring the wage slips" in html and "Court hearing prep" in html
    assert "Far away" not in html
    assert "The legal stay ends on" in html


def test_inspector_home_has_the_tasks_panel(inspector):
    assert 'id="home-tasks"' in client_for(inspector).get("/").content.decode()


def test_my_tasks_and_team_tasks(caseworker_a, case_a, ngo_a, caseworker_b, case_b):
    from tests.accounts.factories import UserFactory

    colleague = UserFactory(username="colleague", role="caseworker", organization=ngo_a)
    mine = task_create(actor=caseworker_a, case=case_a, title="Mine", due_on=D)
    theirs = task_create(
        actor=caseworker_a, case=case_a, title="Colleague's", due_on=D, assigned_to=colleague.pk
    )
    task_create(actor=caseworker_b, case=case_b, title="Other NGO", due_on=D)
    client = client_for(caseworker_a)
    mine_page = client.get("/tasks/").content.decode()
    assert f"task-{mine.pk}" in mine_page and f"task-{theirs.pk}" not in mine_page
    team = client.get("/tasks/team/").content.decode()
    assert f"task-{mine.pk}" in team and f"task-{theirs.pk}" in team
    assert "Other NGO" not in team
    assert client.get("/tasks/team/", {"kind": "nonsense"}).status_code == 200


def test_team_page_is_refused_to_auditors(auditor):
    assert client_for(auditor).get("/tasks/team/").status_code == 403


def test_done_from_the_list_closes_the_task(caseworker_a, case_a):
    task = task_create(actor=caseworker_a, case=case_a, title="Mine", due_on=D)
    client = client_for(caseworker_a)
    response = client.post(f"/tasks/{task.pk}/done/", {"version": task.version, "next": "mine"})
    assert response.status_code == 302 and response["Location"] == "/tasks/"
    task.refresh_from_db()
    assert (task.status, task.completed_by) == ("done", caseworker_a)


def test_done_on_another_organisations_task_is_404(caseworker_b, caseworker_a, case_a):
    task = task_create(actor=caseworker_a, case=case_a, title="Mine", due_on=D)
    assert client_for(caseworker_b).post(f"/tasks/{task.pk}/done/").status_code == 404
    assert Task.objects.get(pk=task.pk).status == "open"


def test_case_page_adds_tasks_and_plans_and_records_follow_ups(caseworker_a, case_a):
    client = client_for(caseworker_a)
    page = client.get(f"/cases/{case_a.pk}/").content.decode()
    assert 'id="case-tasks"' in page and 'id="case-follow-ups"' in page
    bad = client.post(f"/tasks/cases/{case_a.pk}/add/", {"title": "", "due_on": "2026-12-10"})
    assert bad.status_code == 400 and not Task.objects.filter(source="manual").exists()
    added = client.post(
        f"/tasks/cases/{case_a.pk}/add/", {"title": "Phone the lawyer", "due_on": "2026-12-10"}
    )
    assert added.status_code == 302
    assert Task.objects.get(source="manual").assigned_to == caseworker_a
    planned = client.post(
        f"/tasks/cases/{case_a.pk}/follow-ups/plan/",
        {"followup-kind": "phone", "followup-planned_on": "2026-12-09"},
    )
    assert planned.status_code == 302
    follow_up = FollowUp.objects.get()
    assert Task.objects.get(follow_up=follow_up).due_on == days(1)
    assert client.get(f"/tasks/follow-ups/{follow_up.pk}/record/").status_code == 200
    recorded = client.post(
        f"/tasks/follow-ups/{follow_up.pk}/record/",
        {"version": follow_up.version, "done_on": "2026-12-08", "outcome": "Reached him."},
    )
    assert recorded.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "done" and follow_up.next_follow_up is None
    assert Task.objects.get(follow_up=follow_up).status == "done"
    page = client.get(f"/cases/{case_a.pk}/").content.decode()
    assert "Reached him." in page and "Phone the lawyer" in page


def test_a_follow_up_of_another_organisation_is_404(caseworker_a, caseworker_b, case_a):
    follow_up = follow_up_plan(actor=caseworker_a, case=case_a, kind="visit", planned_on=days(2))
    assert (
        client_for(caseworker_b).get(f"/tasks/follow-ups/{follow_up.pk}/record/").status_code == 404
    )
