import pytest
from django.test import RequestFactory
from django.urls import reverse

from apps.cases import panels, timeline
from apps.cases.models import CaseEvent
from apps.referrals.models import Referral, Service

from .factories import ReferralFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(case_a, shelter_b, caseworker_a):
    return ReferralFactory(
        case=case_a, service=shelter_b, sent_by=caseworker_a, shared_fields=["name"]
    )


def test_navigation_offers_referrals_and_services(client, caseworker_a, inspector):
    client.force_login(caseworker_a)
    body = client.get(reverse("core:home")).content.decode()
    assert reverse("referrals:list") in body and reverse("referrals:services") in body
    client.force_login(inspector)
    body = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("referrals:list")}"' not in body
    assert reverse("referrals:services") in body


def test_the_home_page_shows_incoming_referrals_awaiting_an_answer(client, caseworker_b, referral):
    client.force_login(caseworker_b)
    body = client.get(reverse("core:home")).content.decode()
    assert "Incoming referrals" in body
    assert "1 referral is waiting for your organisation" in body
    assert reverse("referrals:detail", args=[referral.pk]) in body


def test_incoming_and_outgoing_lists_are_scoped(
    client, caseworker_a, caseworker_b, caseworker_c, referral
):
    url = reverse("referrals:list")
    client.force_login(caseworker_b)
    assert "Almaty shelter" in client.get(url, {"box": "incoming"}).content.decode()
    assert "Almaty shelter" not in client.get(url, {"box": "outgoing"}).content.decode()
    client.force_login(caseworker_a)
    assert "Almaty shelter" in client.get(url, {"box": "outgoing"}).content.decode()
    client.force_login(caseworker_c)
    for box in ["incoming", "outgoing"]:
        assert "Almaty shelter" not in client.get(url, {"box": box}).content.decode()
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404


def test_the_receiving_side_page_shows_only_shared_data(client, caseworker_b, referral, case_a):
    client.force_login(caseworker_b)
    body = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Aziz Karimov" in body
    assert case_a.reference not in body
    assert "Date of birth" not in body and "Citizenship" not in body


def test_the_receiving_organisation_accepts_and_declines_on_the_page(
    client, caseworker_b, referral
):
    client.force_login(caseworker_b)
    response = client.post(reverse("referrals:decline", args=[referral.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "Give the reason for declining." in response.content.decode()
    response = client.post(reverse("referrals:accept", args=[referral.pk]), {"version": 1})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "accepted"
    again = client.post(reverse("referrals:accept", args=[referral.pk]), follow=True)
    assert "Only a referral waiting for an answer can be accepted." in again.content.decode()


def test_the_sender_cannot_accept_on_the_page(client, caseworker_a, referral):
    client.force_login(caseworker_a)
    assert client.post(reverse("referrals:accept", args=[referral.pk])).status_code == 403


def test_the_refer_page_suggests_services_and_refuses_without_consent(
    client, caseworker_a, case_a, shelter_b
):
    client.force_login(caseworker_a)
    url = reverse("referrals:case_refer", args=[case_a.pk])
    page = client.get(url).content.decode()
    assert "Almaty shelter" in page and f"?service={shelter_b.pk}" in page
    form = client.get(url, {"service": shelter_b.pk}).content.decode()
    assert "informed consent" in form
    body = {"service": shelter_b.pk, "consent_given_by": "person", "shared_fields": ["name"],
            "reason": "Needs shelter", "urgency": "urgent"}  # fmt: skip
    refused = client.post(url, body)
    assert refused.status_code == 400
    assert "Record the person&#x27;s informed consent" in refused.content.decode()
    assert not Referral.objects.exists()
    sent = client.post(url, body | {"consent_given": "on"})
    referral = Referral.objects.get()
    assert sent.status_code == 302 and sent["Location"] == reverse(
        "referrals:detail", args=[referral.pk]
    )
    assert referral.urgency == "urgent" and referral.shared_fields == ["name"]


def test_the_refer_page_is_a_404_for_cases_of_other_organisations(client, caseworker_b, case_a):
    client.force_login(caseworker_b)
    assert client.get(reverse("referrals:case_refer", args=[case_a.pk])).status_code == 404


def test_the_case_page_panel_lists_referrals_and_suggestions(caseworker_a, case_a, referral, ngo_c):
    other = ServiceFactory(organization=ngo_c, name="Legal clinic", regions=["almaty_city"])
    request = RequestFactory().get("/")
    request.user = caseworker_a
    [panel] = [p for p in panels.panels_for(request, case_a) if "referrals" in p["template"]]
    context = panel["context"]
    assert context["referrals"] == [referral]
    suggested = {m.service: m.already_referred for m in context["matches"]}
    assert suggested == {referral.service: True, other: False}
    from django.template.loader import render_to_string

    html = render_to_string(panel["template"], {"panel": context, "request": request})
    assert "Legal clinic" in html and "Almaty shelter" in html


def test_timeline_events_read_as_sentences(caseworker_a, case_a):
    event = CaseEvent(case=case_a, kind="referral_accepted",
                      data={"service": "Almaty shelter", "organization": "NGO B"})  # fmt: skip
    assert timeline.describe(event) == "NGO B accepted the referral to Almaty shelter"


def test_the_directory_page_filters_and_offers_editing_to_the_offering_organisation(
    client, caseworker_a, caseworker_b, shelter_b
):
    url = reverse("referrals:services")
    edit = reverse("referrals:service_edit", args=[shelter_b.pk])
    client.force_login(caseworker_b)
    body = client.get(url, {"region": "almaty_city"}).content.decode()
    assert "Almaty shelter" in body and edit in body
    assert "Almaty shelter" not in client.get(url, {"region": "astana"}).content.decode()
    client.force_login(caseworker_a)
    assert edit not in client.get(url).content.decode()
    assert client.get(edit).status_code == 403


def test_a_member_edits_their_service_on_the_page(client, caseworker_b, shelter_b):
    client.force_login(caseworker_b)
    url = reverse("referrals:service_edit", args=[shelter_b.pk])
    assert client.get(url).status_code == 200
    body = {"service_type": "shelter", "name": "Almaty shelter", "regions": ["almaty_city"],
            "languages": "ru, uz, tg", "capacity": 0, "accepts_adults": "on", "version": 1}  # fmt: skip
    response = client.post(url, body)
    assert response.status_code == 302
    service = Service.objects.get(pk=shelter_b.pk)
    assert service.languages == ["ru", "tg", "uz"] and service.accepting is False
    stale = client.post(url, body | {"capacity": 3})
    assert stale.status_code == 400 and "Someone else changed this record" in stale.content.decode()


def test_a_member_adds_a_service_on_the_page(client, caseworker_a, ngo_a):
    client.force_login(caseworker_a)
    body = {"service_type": "hotline", "name": "24h hotline", "regions": ["astana"],
            "languages": "ru,kk", "capacity": 1, "accepting": "on", "accepts_adults": "on"}  # fmt: skip
    response = client.post(reverse("referrals:service_create"), body)
    assert response.status_code == 302
    assert Service.objects.get(name="24h hotline").organization == ngo_a


def test_auditors_cannot_add_services(client, auditor):
    client.force_login(auditor)
    assert client.get(reverse("referrals:service_create")).status_code == 403
