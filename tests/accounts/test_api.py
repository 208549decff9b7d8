import pytest
from django.urls import reverse

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_token_is_issued_for_good_credentials_and_authenticates(api, caseworker_a):
    response = api.post(
        "/api/v1/auth/token/", {"username": "caseworker_a", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200
    assert me.json()["username"] == "caseworker_a"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Unable to sign in with the username and password given."),
        ("ru", "Не удалось войти с этим именем пользователя и паролем."),
        ("kk", "Берілген пайдаланушы аты мен құпиясөзбен кіру мүмкін болмады."),
    ],
)
def test_bad_credentials_get_a_translated_400(api, caseworker_a, language, message):
    response = api.post(
        "/api/v1/auth/token/",
        {"username": "caseworker_a", "password": "nope"},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [message]}


def test_missing_fields_get_field_errors(api):
    response = api.post("/api/v1/auth/token/", {}, format="json", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert response.json()["username"] == ["Обязательное поле."]
    assert set(response.json()) == {"username", "password"}


def test_me_describes_the_user(api, caseworker_a):
    data = api.as_user(caseworker_a).get("/api/v1/me/").json()
    assert data == {
        "id": caseworker_a.id,
        "username": "caseworker_a",
        "role": "caseworker",
        "organization": {
            "id": caseworker_a.organization_id,
            "name": "NGO A",
            "kind": "ngo",
            "region": "astana",
            "languages": ["ru", "kk"],
        },
        "language": "en",
    }


def test_anonymous_requests_are_refused(api):
    assert api.get("/api/v1/me/").status_code in {401, 403}


def test_invalid_token_is_401(api):
    response = api.get("/api/v1/me/", HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401


def test_users_list_is_scoped_to_the_organisation(api, caseworker_a, caseworker_b):
    data = api.as_user(caseworker_a).get("/api/v1/users/").json()
    assert [u["username"] for u in data["results"]] == ["caseworker_a"]


def test_another_organisations_user_is_a_404(api, caseworker_a, caseworker_b):
    response = api.as_user(caseworker_a).get(f"/api/v1/users/{caseworker_b.id}/")
    assert response.status_code == 404


def test_auditors_and_administrators_see_all_users(api, auditor, caseworker_a, caseworker_b):
    data = api.as_user(auditor).get("/api/v1/users/").json()
    assert {"caseworker_a", "caseworker_b", "auditor"} <= {u["username"] for u in data["results"]}


def test_lists_are_paginated_with_page_size_capped_at_200(api, ngo_a, caseworker_a):
    UserFactory.create_batch(205, organization=ngo_a)
    client = api.as_user(caseworker_a)
    data = client.get("/api/v1/users/", {"page_size": 500}).json()
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["count"] == 206
    assert len(data["results"]) == 200
    assert len(client.get("/api/v1/users/", {"page_size": 10, "page": 2}).json()["results"]) == 10


def test_users_list_query_count_does_not_grow_with_page_size(
    api, ngo_a, caseworker_a, django_assert_max_num_queries
):
    UserFactory.create_batch(60, organization=ngo_a)
    client = api.as_user(caseworker_a)
    with django_assert_max_num_queries(4):
        assert len(client.get("/api/v1/users/", {"page_size": 5}).json()["results"]) == 5
    with django_assert_max_num_queries(4):
        assert len(client.get("/api/v1/users/", {"page_size": 60}).json()["results"]) == 60


def test_schema_and_docs_are_served(client, caseworker_a):
    client.force_login(caseworker_a)
    schema = client.get(reverse("api-schema"), {"format": "json"})
    assert schema.status_code == 200
    assert "/api/v1/me/" in schema.json()["paths"]
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()


def test_an_id_too_large_for_the_database_is_a_400(api, caseworker_a):
    response = api.as_user(caseworker_a).get(f"/api/v1/users/{10**30}/")
    assert response.status_code in {400, 404}
    response = api.as_user(caseworker_a).get("/api/v1/referrals/", {"case": 10**30})
    assert response.status_code in {200, 400}
