"""The sign-in throttle (apps.accounts.throttle): free failures, then waits that double, per
username and per client address, on the sign-in form and the token endpoint alike."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse

from apps.accounts import throttle
from apps.audit.models import AuditEntry
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _login(client, username, password, **extra):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


def _fail(client, username, times, **extra):
    for _ in range(times):
        _login(client, username, "wrong", **extra)


def _signed_in(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def test_five_free_failures_then_a_wait_even_for_the_right_password(client, caseworker_a, clock):
    _fail(client, "caseworker_a", 5)
    response = _login(client, "caseworker_a", PASSWORD, HTTP_ACCEPT_LANGUAGE="ru")
    assert not _signed_in(client, caseworker_a)
    assert "Слишком много неудачных попыток входа. Попробуйте снова через 30 секунд." in (
        response.content.decode()
    )
    assert AuditEntry.objects.filter(action="login_failed", details__throttled=True).count() == 1


def test_four_failures_cost_nothing(client, caseworker_a, clock):
    _fail(client, "caseworker_a", 4)
    _login(client, "caseworker_a", PASSWORD)
    assert _signed_in(client, caseworker_a)


def test_the_wait_doubles_with_each_failure_and_ends(client, caseworker_a, clock):
    _fail(client, "caseworker_a", 5)
    for wait in (30, 60, 120, 240):
        response = _login(client, "caseworker_a", "wrong")
        assert throttle.throttled_message(wait) in response.content.decode()
        clock.shift(wait - 1)
        _login(client, "caseworker_a", PASSWORD)
        assert not _signed_in(client, caseworker_a), wait
        clock.shift(1)
        _login(client, "caseworker_a", "wrong")  # let through, and wrong: the next wait doubles
    clock.shift(480)
    _login(client, "caseworker_a", PASSWORD)
    assert _signed_in(client, caseworker_a)


def test_the_wait_is_capped_for_a_username(client, caseworker_a, clock, settings):
    settings.CASEMGR_LOGIN_ADDRESS_FREE_FAILURES = 1000
    for _ in range(40):
        _fail(client, "caseworker_a", 1)
        clock.shift(settings.CASEMGR_LOGIN_ACCOUNT_MAX_WAIT)
    _login(client, "caseworker_a", PASSWORD)
    assert _signed_in(client, caseworker_a)


def test_attempts_while_waiting_do_not_lengthen_the_wait(client, caseworker_a, clock, settings):
    settings.CASEMGR_LOGIN_ADDRESS_FREE_FAILURES = 1000
    _fail(client, "caseworker_a", 5)
    for _ in range(29):
        _fail(client, "caseworker_a", 5)
        clock.shift(1)
    clock.shift(1)
    _login(client, "caseworker_a", PASSWORD)
    assert _signed_in(client, caseworker_a)


def test_a_completed_sign_in_clears_the_count(client, caseworker_a, clock):
    _fail(client, "caseworker_a", 4)
    _login(client, "caseworker_a", PASSWORD)
    client.logout()
    _fail(client, "caseworker_a", 4)
    _login(client, "caseworker_a", PASSWORD)
    assert _signed_in(client, caseworker_a)


def test_a_username_that_does_not_exist_is_answered_the_same(client, caseworker_a, clock):
    _fail(client, "caseworker_a", 6)
    _fail(client, "nobody_here", 6)
    real = _login(client, "caseworker_a", PASSWORD).context["form"].non_field_errors()
    made_up = _login(client, "nobody_here", PASSWORD).context["form"].non_field_errors()
    assert real == made_up
    assert "Try again in 30 seconds." in real[0]


def test_the_token_endpoint_shares_the_throttle(client, api, caseworker_a, clock):
    _fail(client, "caseworker_a", 5)
    response = api.post(
        "/api/v1/auth/token/",
        {"username": "caseworker_a", "password": PASSWORD},
        format="json",
        HTTP_ACCEPT_LANGUAGE="kk",
    )
    assert response.status_code == 429
    assert response.json()["code"] == "sign_in_throttled"
    assert response.json()["detail"].startswith("Кіру әрекеттері тым көп сәтсіз болды.")
    assert "30" in response.json()["detail"]
    assert response["Retry-After"] == "30"


def test_api_failures_count_for_the_sign_in_form(client, api, caseworker_a, clock):
    for _ in range(5):
        api.post("/api/v1/auth/token/", {"username": "caseworker_a", "password": "x"})
    _login(client, "caseworker_a", PASSWORD)
    assert not _signed_in(client, caseworker_a)


def test_an_address_that_fails_for_many_usernames_must_wait(client, caseworker_a, clock):
    for n in range(20):
        _fail(client, f"guess{n}", 1)
    _login(client, "caseworker_a", PASSWORD)
    assert not _signed_in(client, caseworker_a)
    # Another address is not held back: the username itself has no failures.
    other = client.__class__()
    _login(other, "caseworker_a", PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert _signed_in(other, caseworker_a)


def test_a_forged_forwarded_header_is_not_believed(client, caseworker_a, clock):
    for n in range(20):
        _fail(client, f"guess{n}", 1, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    _login(client, "caseworker_a", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert not _signed_in(client, caseworker_a)


def test_behind_a_trusted_proxy_the_address_it_saw_counts(client, caseworker_a, clock, settings):
    settings.CASEMGR_TRUSTED_PROXIES = 1
    for n in range(20):
        _fail(client, f"guess{n}", 1, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    # The client may put anything in front; the proxy's entry (the last) is what counts.
    _login(client, "caseworker_a", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert not _signed_in(client, caseworker_a)
    _login(client, "caseworker_a", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.8")
    assert _signed_in(client, caseworker_a)


def test_of_attempts_at_the_same_moment_past_the_free_ones_one_gets_through(db, clock):
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
    for _ in range(5):
        throttle.begin(request, username="someone").failed()
    clock.shift(30)
    first = throttle.begin(request, username="someone")  # let through, still undecided
    with pytest.raises(throttle.SignInThrottled):
        throttle.begin(request, username="someone")
    first.failed()
    with pytest.raises(throttle.SignInThrottled) as refused:
        throttle.begin(request, username="someone")
    assert refused.value.wait == 60


@pytest.mark.parametrize(
    ("wait", "language", "text"),
    [
        (1, "en", "Try again in 1 second."),
        (45, "ru", "Попробуйте снова через 45 секунд."),
        (120, "ru", "Попробуйте снова через 2 минуты."),
        (61, "kk", "2 минуттан кейін қайталап көріңіз."),
    ],
)
def test_the_message_says_when_in_the_readers_language(wait, language, text):
    from django.utils import translation

    with translation.override(language):
        assert text in throttle.throttled_message(wait)
