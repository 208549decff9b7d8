"""The attacks on signing in of issue 18, kept fixed: codes guessed by the hundred, the admin's
own sign-in page, and an attacker trying to keep a real user out (docs/security.md)."""

from datetime import UTC, datetime

import pyotp
import pytest
import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse

from apps.accounts import throttle
from apps.accounts.models import APIToken, TOTPDevice
from apps.core.throttling import TokenRateThrottle
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, 5, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _device(user) -> str:
    secret = pyotp.random_base32()
    TOTPDevice.objects.create(user=user, secret=secret, confirmed=True)
    return secret


def _wrong_codes(secret, count):
    """Codes that are not valid now (nor a step either side), as a guesser would send them."""
    totp = pyotp.TOTP(secret)
    now = datetime.now(UTC)
    valid = {totp.at(now.timestamp() + 30 * offset) for offset in (-1, 0, 1)}
    codes, n = [], 0
    while len(codes) < count:
        code = f"{(n * 7919) % 1_000_000:06d}"
        n += 1
        if code not in valid:
            codes.append(code)
    return codes


def _signed_in(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


@pytest.mark.parametrize("who", ["caseworker_a", "administrator"])
def test_two_hundred_wrong_codes_then_the_right_one_does_not_sign_in(request, who, clock, settings):
    settings.CASEMGR_ADMIN_2FA_REQUIRED = True
    user = request.getfixturevalue(who)
    secret = _device(user)
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": who, "password": PASSWORD})
    assert response.url == reverse("accounts:otp_verify")
    for code in _wrong_codes(secret, 200):
        client.post(reverse("accounts:otp_verify"), {"code": code})
        clock.shift(1 / 17)  # 17 a second, as in the report
    right = client.post(
        reverse("accounts:otp_verify"),
        {"code": pyotp.TOTP(secret).now()},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert not _signed_in(client, user)
    assert "Слишком много неудачных попыток входа" in right.content.decode()
    # Honest: the same right code a moment after the wait signs in.
    clock.shift(throttle.wait_for(RequestFactory().get("/"), username=who))
    client.post(reverse("accounts:otp_verify"), {"code": pyotp.TOTP(secret).now()})
    assert _signed_in(client, user)


def test_two_hundred_wrong_codes_on_the_token_endpoint_then_the_right_one_get_no_token(
    api, caseworker_a, clock, monkeypatch
):
    # The endpoint's own rate limit aside (tests/accounts/test_tokens.py): the sign-in throttle.
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"auth_token": "100000/minute"})
    secret = _device(caseworker_a)
    body = {"username": "caseworker_a", "password": PASSWORD}
    statuses = set()
    for code in _wrong_codes(secret, 200):
        statuses.add(api.post("/api/v1/auth/token/", {**body, "otp": code}).status_code)
        clock.shift(1 / 17)
    right = api.post("/api/v1/auth/token/", {**body, "otp": pyotp.TOTP(secret).now()})
    assert statuses == {400, 429}
    assert right.status_code == 429
    assert right.json()["code"] == "sign_in_throttled"
    assert not APIToken.objects.exists()


def test_the_admins_own_sign_in_page_sends_everyone_to_the_sign_in_form(client, administrator):
    response = client.get("/admin/login/", {"next": "/admin/accounts/user/"})
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=%2Fadmin%2Faccounts%2Fuser%2F"
    # Nothing signs in there: the form that skipped the second factor and the throttle is gone.
    posted = client.post("/admin/login/", {"username": "administrator", "password": PASSWORD})
    assert posted.status_code == 405
    assert not _signed_in(client, administrator)
    assert client.get("/admin/").url.startswith("/admin/login/")


def test_signing_in_to_the_admin_needs_the_second_factor(client, administrator, settings, clock):
    settings.CASEMGR_ADMIN_2FA_REQUIRED = True
    secret = _device(administrator)
    response = client.post(
        "/accounts/login/?next=/admin/", {"username": "administrator", "password": PASSWORD}
    )
    assert response.url == reverse("accounts:otp_verify")
    assert not _signed_in(client, administrator)
    assert client.get("/admin/").status_code == 302
    done = client.post(reverse("accounts:otp_verify"), {"code": pyotp.TOTP(secret).now()})
    assert done.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_an_administrator_without_a_second_factor_must_set_one_up_before_the_admin(
    client, administrator, settings
):
    settings.CASEMGR_ADMIN_2FA_REQUIRED = True
    client.post(
        "/accounts/login/?next=/admin/", {"username": "administrator", "password": PASSWORD}
    )
    assert client.get("/admin/").url == reverse("accounts:otp_setup")
    assert client.get("/admin/accounts/user/").url == reverse("accounts:otp_setup")


def test_signing_in_to_the_admin_is_throttled(client, administrator, clock):
    for _ in range(5):
        client.post(
            "/accounts/login/?next=/admin/", {"username": "administrator", "password": "guess"}
        )
    client.post(
        "/accounts/login/?next=/admin/", {"username": "administrator", "password": PASSWORD}
    )
    assert not _signed_in(client, administrator)
    assert client.get("/admin/").status_code == 302


def test_a_signed_in_user_who_may_not_use_the_admin_is_not_sent_round_in_circles(
    client, caseworker_a
):
    client.force_login(caseworker_a)
    assert client.get("/admin/").url.startswith("/admin/login/")
    assert client.get("/admin/login/?next=/admin/").url == reverse("core:home")


def test_an_attacker_cannot_keep_the_real_user_out_beyond_the_documented_bound(db, clock, settings):
    """An attacker at one address tries the user's account once a minute for two days; the
    real user, at another address, is held back only while the attacker's own address is let
    through: within the first day that thins out, and on the second day the user is held back
    at most CASEMGR_LOGIN_ACCOUNT_MAX_WAIT (15 minutes)."""
    attacker = RequestFactory().post("/", REMOTE_ADDR="203.0.113.66")
    user = RequestFactory().post("/", REMOTE_ADDR="198.51.100.20")
    held = {1: 0, 2: 0}
    let_through = {1: 0, 2: 0}
    for minute in range(2 * 24 * 60):
        day = 1 + minute // (24 * 60)
        try:
            attempt = throttle.begin(attacker, username="victim")
        except throttle.SignInThrottled:
            pass
        else:
            let_through[day] += 1
            attempt.failed()
        if throttle.wait_for(user, username="victim"):
            held[day] += 1
        clock.shift(60)
    cap = settings.CASEMGR_LOGIN_ACCOUNT_MAX_WAIT // 60
    assert let_through[2] <= 1
    assert held[2] <= cap
    assert held[1] <= 150, held  # measured: 136 minutes (docs/security.md)
    print("held back (minutes)", held, "attacker's attempts let through", let_through)
    # And the user's own sign-in from their address works once the wait is over.
    clock.shift(settings.CASEMGR_LOGIN_ACCOUNT_MAX_WAIT)
    throttle.begin(user, username="victim").succeeded()
