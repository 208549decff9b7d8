import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("caseworker_a", "Caseworker desk"),
        ("inspector", "Inspector desk"),
        ("administrator", "Administration"),
        ("auditor", "Oversight"),
    ],
)
def test_each_role_has_its_home_page(client, request, persona, heading):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.content.decode()


def test_navigation_follows_the_role(client, caseworker_a, administrator):
    client.force_login(caseworker_a)
    body = client.get(reverse("core:home")).content.decode()
    assert reverse("audit:list") not in body
    assert "/admin/" not in body
    client.force_login(administrator)
    body = client.get(reverse("core:home")).content.decode()
    assert reverse("audit:list") in body
    assert "/admin/" in body


def test_pages_load_only_local_assets(client, caseworker_a):
    client.force_login(caseworker_a)
    body = client.get(reverse("core:home")).content.decode()
    assert "/static/vendor/htmx.min.js" in body
    assert "https://" not in body and "http://" not in body


def test_health_answers_without_signing_in(client):
    assert client.get(reverse("core:health")).json() == {"status": "ok"}


@pytest.mark.parametrize("persona", ["caseworker_a", "inspector"])
def test_open_a_case_is_a_primary_button_on_the_home_page(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    html = client.get(reverse("core:home")).content.decode()
    assert f'<a class="button primary" href="{reverse("cases:create")}">Open a case</a>' in html
