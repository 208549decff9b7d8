import pytest
from django.urls import reverse

from apps.proceedings.models import Proceeding
from tests.cases.factories import CaseFactory
from tests.proceedings.factories import ProceedingFactory
from tests.proceedings.translations import translated

pytestmark = pytest.mark.django_db


def test_a_caseworker_records_a_proceeding_through_the_form(client, caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization, created_by=caseworker_a)
    client.force_login(caseworker_a)
    page = client.get(reverse("proceedings:create"), {"case": case.pk})
    assert page.status_code == 200
    response = client.post(
        reverse("proceedings:create"),
        {"cases": [case.pk], "exploitation": "labour", "opened_on": "2025-03-01"},
    )
    proceeding = Proceeding.objects.get()
    assert response.url == reverse("proceedings:detail", args=[proceeding.pk])
    assert list(proceeding.cases.all()) == [case]


def test_the_form_shows_a_translated_error_for_dates_out_of_order(client, caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization, created_by=caseworker_a)
    client.force_login(caseworker_a)
    response = client.post(
        reverse("proceedings:create"),
        {
            "cases": [case.pk],
            "exploitation": "labour",
            "opened_on": "2025-03-01",
            "prosecuted_on": "2025-02-01",
        },
        HTTP_ACCEPT_LANGUAGE="kk",
    )
    assert response.status_code == 200
    assert not Proceeding.objects.exists()
    expected = translated("The prosecution cannot start before the investigation.", "kk")
    assert expected in response.content.decode()


def test_editing_changes_the_dates_and_bumps_the_version(client, caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization, created_by=caseworker_a)
    proceeding = ProceedingFactory(created_by=caseworker_a, cases=[case])
    client.force_login(caseworker_a)
    response = client.post(
        reverse("proceedings:edit", args=[proceeding.pk]),
        {
            "cases": [case.pk],
            "exploitation": "labour",
            "opened_on": "2025-03-01",
            "prosecuted_on": "2025-06-01",
            "version": 1,
        },
    )
    assert response.status_code == 302
    proceeding.refresh_from_db()
    assert str(proceeding.prosecuted_on) == "2025-06-01"
    assert proceeding.version == 2


def test_the_list_page_shows_only_what_the_user_may_see(client, caseworker_a, caseworker_b):
    case = CaseFactory(organization=caseworker_a.organization, created_by=caseworker_a)
    ProceedingFactory(created_by=caseworker_a, cases=[case], reference="CR-A-1")
    client.force_login(caseworker_b)
    assert "CR-A-1" not in client.get(reverse("proceedings:list")).content.decode()
    client.force_login(caseworker_a)
    assert "CR-A-1" in client.get(reverse("proceedings:list")).content.decode()


def test_auditors_cannot_open_the_form(client, auditor):
    client.force_login(auditor)
    assert client.get(reverse("proceedings:create")).status_code == 403


def test_the_case_page_panel_lists_the_case_proceedings(rf, caseworker_a):
    from django.template.loader import render_to_string

    from apps.cases import panels

    case = CaseFactory(organization=caseworker_a.organization, created_by=caseworker_a)
    ProceedingFactory(created_by=caseworker_a, cases=[case], reference="CR-PANEL")
    request = rf.get("/")
    request.user = caseworker_a
    [panel] = [p for p in panels.panels_for(request, case) if "proceedings" in p["template"]]
    html = render_to_string(panel["template"], {"panel": panel["context"]}, request=request)
    assert "CR-PANEL" in html
