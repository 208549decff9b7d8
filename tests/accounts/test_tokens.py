"""API tokens with a life (django-rest-knox, apps.accounts.tokens): a new one each time, expiring,
ended by a password, role or activity change, at logout, by the user, and when a second factor
became required after it was made."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from apps.accounts import services
from apps.accounts.models import APIToken, TOTPDevice, User
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-pass-phrase-42"


def _token(api, username="caseworker_a", **extra) -> dict:
    response = api.post(
        "/api/v1/auth/token/", {"username": username, "password": PASSWORD, **extra}
    )
    assert response.status_code == 200, response.content
    return response.json()


def _me(api, token, **extra):
    return api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}", **extra)


def test_every_call_gives_a_new_token_with_its_expiry(api, caseworker_a, settings):
    with time_machine.travel(datetime(2026, 4, 1, 8, 0, tzinfo=UTC), tick=False):
        first, second = _token(api), _token(api)
    assert first["token"] != second["token"]
    assert first["expiry"] == "2026-04-02T01:00:00+05:00"  # 12 hours later, in Almaty time
    assert set(first) == {"token", "expiry"}


def test_both_tokens_work_and_only_hashes_are_stored(api, caseworker_a):
    first, second = _token(api), _token(api)
    assert _me(api, first["token"]).json()["username"] == "caseworker_a"
    assert _me(api, second["token"]).status_code == 200
    stored = list(APIToken.objects.values_list("digest", "token_key"))
    assert len(stored) == 2
    assert all(first["token"] != digest and len(key) == 15 for digest, key in stored)


def test_a_token_expires(api, caseworker_a, settings):
    token = _token(api)["token"]
    later = datetime.now(UTC) + timedelta(seconds=settings.CASEMGR_API_TOKEN_TTL + 1)
    with time_machine.travel(later, tick=False):
        response = _me(api, token, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 401
    assert response.json()["detail"] == "Срок действия этого токена истёк. Запросите новый."
    assert not APIToken.objects.exists()


def test_a_password_change_ends_the_tokens(client, api, caseworker_a):
    token = _token(api)["token"]
    client.force_login(caseworker_a)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert _me(api, token).status_code == 401
    assert not APIToken.objects.filter(user=caseworker_a).exists()


def test_a_password_changed_without_save_still_ends_the_token(api, caseworker_a):
    token = _token(api)["token"]
    caseworker_a.set_password(NEW_PASSWORD)
    User.objects.filter(pk=caseworker_a.pk).update(password=caseworker_a.password)
    assert _me(api, token).status_code == 401


def test_a_role_change_ends_the_tokens(api, caseworker_a):
    token = _token(api)["token"]
    caseworker_a.role = User.Role.INSPECTOR
    caseworker_a.save()
    assert _me(api, token).status_code == 401
    other = _token(api)["token"]
    User.objects.filter(pk=caseworker_a.pk).update(role=User.Role.CASEWORKER)
    assert _me(api, other).status_code == 401


def test_deactivation_ends_the_tokens(api, caseworker_a, administrator):
    token = _token(api)["token"]
    services.user_deactivate(user=caseworker_a, actor=administrator)
    assert _me(api, token).status_code == 401
    assert not APIToken.objects.filter(user=caseworker_a).exists()


def test_logout_ends_the_token_it_was_made_with(api, caseworker_a):
    token, other = _token(api)["token"], _token(api)["token"]
    response = api.post("/api/v1/auth/logout/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 204
    assert _me(api, token).status_code == 401
    assert _me(api, other).status_code == 200


def test_logout_of_everything_ends_every_token(api, caseworker_a):
    token, other = _token(api)["token"], _token(api)["token"]
    response = api.post("/api/v1/auth/logout/", {"all": True}, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 204
    assert _me(api, token).status_code == 401
    assert _me(api, other).status_code == 401


def test_a_token_made_before_a_second_factor_was_required_stops(api, administrator, settings):
    settings.CASEMGR_ADMIN_2FA_REQUIRED = False
    token = _token(api, "administrator")["token"]
    assert _me(api, token).status_code == 200
    settings.CASEMGR_ADMIN_2FA_REQUIRED = True
    response = _me(api, token, HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 401
    assert "екінші факторсыз" in response.json()["detail"]


def test_a_caseworker_made_an_administrator_without_a_second_factor_loses_the_token(
    api, caseworker_a, settings
):
    settings.CASEMGR_ADMIN_2FA_REQUIRED = True
    token = _token(api)["token"]
    # Even when the change bypasses save() (and its revocation), the token stops working.
    User.objects.filter(pk=caseworker_a.pk).update(role=User.Role.ADMINISTRATOR, organization=None)
    assert _me(api, token).status_code == 401


def test_a_token_made_before_the_user_set_up_a_second_factor_stops(api, caseworker_a):
    token = _token(api)["token"]
    secret = pyotp.random_base32()
    TOTPDevice.objects.create(user=caseworker_a, secret=secret, confirmed=True)
    assert _me(api, token).status_code == 401
    with_code = _token(api, otp=pyotp.TOTP(secret).now())["token"]
    assert _me(api, with_code).status_code == 200


def test_the_list_shows_only_ones_own_tokens_and_nothing_secret(api, caseworker_a, caseworker_b):
    mine = _token(api)["token"]
    _token(api)
    _token(api, "caseworker_b")
    response = api.get("/api/v1/auth/tokens/", HTTP_AUTHORIZATION=f"Token {mine}")
    rows = response.json()["results"]
    assert len(rows) == 2
    assert set(rows[0]) == {"id", "prefix", "created", "expiry", "two_factor", "current"}
    assert [row["current"] for row in rows].count(True) == 1
    assert all(len(row["prefix"]) == 8 and row["prefix"] != mine for row in rows)
    assert mine.startswith(next(row["prefix"] for row in rows if row["current"]))
    assert mine not in response.content.decode()


def test_revoking_a_token_of_ones_own(api, caseworker_a):
    mine, spare = _token(api)["token"], _token(api)["token"]
    spare_id = APIToken.objects.get(token_key=spare[:15]).pk
    response = api.delete(f"/api/v1/auth/tokens/{spare_id}/", HTTP_AUTHORIZATION=f"Token {mine}")
    assert response.status_code == 204
    assert _me(api, spare).status_code == 401
    assert _me(api, mine).status_code == 200


def test_another_users_token_is_a_404_and_keeps_working(api, caseworker_a, caseworker_b):
    mine, theirs = _token(api)["token"], _token(api, "caseworker_b")["token"]
    their_id = APIToken.objects.get(token_key=theirs[:15]).pk
    auth = {"HTTP_AUTHORIZATION": f"Token {mine}"}
    assert api.delete(f"/api/v1/auth/tokens/{their_id}/", **auth).status_code == 404
    assert api.delete("/api/v1/auth/tokens/999999/", **auth).json() == (
        api.delete(f"/api/v1/auth/tokens/{their_id}/", **auth).json()
    )
    assert _me(api, theirs).status_code == 200


def test_a_user_keeps_at_most_the_configured_number_of_tokens(api, caseworker_a, settings):
    settings.CASEMGR_API_TOKENS_PER_USER = 3
    first = _token(api)["token"]
    for _ in range(3):
        _token(api)
    assert APIToken.objects.filter(user=caseworker_a).count() == 3
    assert _me(api, first).status_code == 401


def test_drf_tokens_of_before_are_gone_with_their_table():
    assert "authtoken_token" not in connection.introspection.table_names()


def test_a_malformed_token_is_a_401_not_a_500(api, caseworker_a):
    for value in ("Token ", "Token a b", "Token " + "é" * 20, "Token " + "0" * 200):
        response = api.get("/api/v1/me/", HTTP_AUTHORIZATION=value)
        assert response.status_code == 401, value
