import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from apps.audit.models import AuditEntry
from apps.reports import services
from apps.reports.models import PublishedReport, ReportJob
from apps.reports.tier import TIER_LABELS
from tests.cases.factories import CaseFactory
from tests.proceedings.factories import ProceedingFactory
from tests.reports.factories import at, screening

pytestmark = pytest.mark.django_db
API = "/api/v1/reports/annual/2025/"
WAIVER_FORM = {
    "year": 2025,
    "plan": "National action plan 2025-2027, government decree 118: screening before removal.",
    "resources": "State budget line for two shelters and 12 specialists at the inspectorate.",
    "justification": "New referral mechanism; see ministry order 12 and the plan's budget.",
}


@pytest.fixture
def data():
    ProceedingFactory(
        opened_on=datetime.date(2025, 1, 2),
        prosecuted_on=datetime.date(2025, 2, 1),
        convicted_on=datetime.date(2025, 3, 1),
    )
    screening(CaseFactory(), when=at(2025), trafficking="presumed_victim")


@pytest.mark.parametrize(("persona", "status"), [("administrator", 200), ("auditor", 200)])
def test_administrators_and_auditors_get_the_report_as_json(api, request, data, persona, status):
    response = api.as_user(request.getfixturevalue(persona)).get(API)
    assert response.status_code == status
    body = response.json()
    assert body["metrics"]["prosecution"]["convictions"] == 1
    assert body["tier"]["tier"] in {"tier_1", "tier_2", "tier_2_watch_list", "tier_3"}
    assert body["suppressed"] is True
    assert AuditEntry.objects.filter(action="export", target_type="reports.annual").exists()


@pytest.mark.parametrize("persona", ["caseworker_a", "inspector"])
def test_other_roles_are_refused_the_report(api, client, request, persona):
    user = request.getfixturevalue(persona)
    assert api.as_user(user).get(API).status_code == 403
    client.force_login(user)
    assert client.get(reverse("reports:annual", args=[2025])).status_code == 403
    for fmt in ("pdf", "xlsx", "csv"):
        url = reverse("reports:annual_download", kwargs={"year": 2025, "fmt": fmt})
        assert client.get(url).status_code == 403
    assert client.get(reverse("reports:published_list")).status_code == 403
    assert client.get(reverse("reports:index")).status_code == 403


def test_anonymous_clients_are_refused(api, client):
    assert api.get(API).status_code == 401
    assert client.get(reverse("reports:annual", args=[2025])).status_code == 302


def test_an_unknown_region_is_a_field_error(api, administrator):
    response = api.as_user(administrator).get(API, {"region": "atlantis"})
    assert response.status_code == 400
    assert "region" in response.json()


def test_the_api_answers_in_the_requested_language(api, administrator, data):
    body = api.as_user(administrator).get(API, HTTP_ACCEPT_LANGUAGE="ru").json()
    assert body["language"] == "ru"
    with translation.override("ru"):
        expected = str(TIER_LABELS[body["tier"]["tier"]])
    with translation.override("en"):
        english = str(TIER_LABELS[body["tier"]["tier"]])
    assert body["tier"]["tier_label"] == expected != english


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("pdf", "application/pdf"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("csv", "text/csv; charset=utf-8"),
    ],
)
def test_every_download_is_audited_as_an_export(client, auditor, data, fmt, content_type):
    client.force_login(auditor)
    url = reverse("reports:annual_download", kwargs={"year": 2025, "fmt": fmt})
    response = client.get(url, {"language": "kk"})
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert "annual-report-2025-all-kk" in response["Content-Disposition"]
    entry = AuditEntry.objects.get(action="export")
    assert entry.details == {"year": 2025, "region": "", "format": fmt, "language": "kk"}


def test_the_live_page_shows_raw_counts_to_administrators_only(client, administrator, auditor):
    screening(CaseFactory(), when=at(2025), trafficking="presumed_victim")
    client.force_login(administrator)
    page = client.get(reverse("reports:annual", args=[2025]), {"language": "en"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "not an official rating" in html
    assert "Publish this report" in html
    assert "&lt;5" not in html
    client.force_login(auditor)
    html = client.get(reverse("reports:annual", args=[2025]), {"language": "en"}).content.decode()
    assert "&lt;5" in html
    assert "Publish this report" not in html


def test_an_administrator_publishes_and_everyone_allowed_lists_and_downloads(
    client, administrator, auditor, data
):
    client.force_login(administrator)
    response = client.post(
        reverse("reports:publish"), {"year": 2025, "region": "", "language": "kk"}
    )
    published = PublishedReport.objects.get()
    assert response.url == reverse("reports:published_detail", args=[published.pk])
    client.force_login(auditor)
    assert "2025" in client.get(reverse("reports:published_list")).content.decode()
    assert client.get(reverse("reports:published_detail", args=[published.pk])).status_code == 200
    pdf = client.get(
        reverse("reports:published_download", kwargs={"published_id": published.pk, "fmt": "pdf"})
    )
    assert pdf["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(
        action="export", details__published_report=published.pk
    ).exists()


def test_auditors_cannot_publish_or_waive(client, auditor):
    client.force_login(auditor)
    assert client.post(reverse("reports:publish"), {"year": 2025}).status_code == 403
    # Refused before the form is read: an incomplete form gets 403 too, not a form error.
    for body in ({"year": 2025}, WAIVER_FORM):
        assert client.post(reverse("reports:waiver"), body).status_code == 403
    assert not PublishedReport.objects.exists()


def test_the_waiver_form_records_a_waiver_with_its_plan_and_resources(client, administrator):
    client.force_login(administrator)
    client.post(reverse("reports:waiver"), WAIVER_FORM)
    waiver = services.waivers_for(region=None)[2025]
    assert waiver.recorded_by == administrator
    assert waiver.plan == WAIVER_FORM["plan"]
    page = client.get(reverse("reports:annual", args=[2025]), {"language": "en"})
    html = page.content.decode()
    assert WAIVER_FORM["plan"] in html and WAIVER_FORM["resources"] in html
    assert "Sources of the downgrade rules" in html
    assert "TVPA §110(b)(2)(D)(ii)" in html


def test_the_waiver_form_without_a_plan_records_nothing_and_says_why(client, administrator):
    client.force_login(administrator)
    response = client.post(reverse("reports:waiver"), {**WAIVER_FORM, "plan": ""}, follow=True)
    assert not services.waivers_for(region=None)
    assert "This field is required." in response.content.decode()


def test_a_background_job_builds_every_year_and_region_and_shows_progress(
    client, administrator, django_capture_on_commit_callbacks
):
    ProceedingFactory(opened_on=datetime.date(2024, 1, 2))
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:job_create"),
            {"year_from": 2024, "year_to": 2025, "regions": ["", "astana"], "language": "ru"},
        )
    job = ReportJob.objects.get()
    assert response.url == reverse("reports:job_detail", args=[job.pk])
    assert (job.status, job.done, job.total) == ("done", 4, 4)
    assert [(r["year"], r["region"]) for r in job.results] == [
        (2024, ""),
        (2024, "astana"),
        (2025, ""),
        (2025, "astana"),
    ]
    assert all(r["suppressed"] for r in job.results)
    partial = client.get(reverse("reports:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' not in partial.content.decode()
    download = client.get(
        reverse("reports:job_download", kwargs={"job_id": job.pk, "index": 1, "fmt": "csv"})
    )
    assert download.status_code == 200
    assert b"region,astana" in download.content


def test_a_running_job_page_polls_for_progress(client, administrator):
    job = ReportJob.objects.create(
        requested_by=administrator, years=[2025], regions=[""], language="en", total=1
    )
    client.force_login(administrator)
    html = client.get(reverse("reports:job_detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in html


def test_a_redelivered_job_task_does_no_harm(administrator):
    from apps.reports.tasks import generate_reports

    job = ReportJob.objects.create(
        requested_by=administrator, years=[2025], regions=[""], language="en", total=1
    )
    generate_reports.delay(job.pk)
    generate_reports.delay(job.pk)
    job.refresh_from_db()
    assert (job.status, job.done, len(job.results)) == ("done", 1, 1)


@pytest.mark.broker
def test_a_real_worker_builds_a_report_job(celery_worker, administrator):
    ProceedingFactory(opened_on=datetime.date(2025, 1, 2))
    job = services.report_job_create(user=administrator, years=[2025], regions=[""], language="kk")
    done = celery_worker.wait_for(
        lambda: ReportJob.objects.filter(pk=job.pk, status="done").first(), timeout=120
    )
    assert done.results[0]["metrics"]["prosecution"]["investigations"] == 1
