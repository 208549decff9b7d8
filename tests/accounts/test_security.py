from datetime import timedelta
from unittest import mock

import pyotp
import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import TOTPDevice
from apps.audit.models import AuditEntry
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def require_admin_2fa(settings):
    settings.CASEMGR_ADMIN_2FA_REQUIRED = True


def _enrol(client, user):
    client.get(reverse("accounts:otp_setup"))
    secret = TOTPDevice.objects.get(user=user).secret
    client.post(reverse("accounts:otp_setup"), {"code": pyotp.TOTP(secret).now()})
    return secret


def test_an_administrator_without_a_second_factor_must_set_one_up(
    client, administrator, require_admin_2fa
):
    client.force_login(administrator)
    assert client.get(reverse("core:home")).url == reverse("accounts:otp_setup")
    assert client.get("/api/v1/me/").status_code == 403
    secret = _enrol(client, administrator)
    assert TOTPDevice.objects.get(user=administrator).confirmed
    assert client.get(reverse("core:home")).status_code == 200
    assert len(secret) >= 16


def test_other_roles_are_not_forced_but_may_enrol(client, caseworker_a, require_admin_2fa):
    client.force_login(caseworker_a)
    assert client.get(reverse("core:home")).status_code == 200
    _enrol(client, caseworker_a)
    assert TOTPDevice.objects.get(user=caseworker_a).confirmed


def test_a_wrong_code_does_not_enrol(client, caseworker_a):
    client.force_login(caseworker_a)
    client.get(reverse("accounts:otp_setup"))
    response = client.post(reverse("accounts:otp_setup"), {"code": "000000"})
    assert "That code is not valid" in response.content.decode()
    assert not TOTPDevice.objects.get(user=caseworker_a).confirmed


def test_sign_in_with_a_second_factor_needs_the_code(client, administrator, require_admin_2fa):
    client.force_login(administrator)
    secret = _enrol(client, administrator)
    client.logout()
    response = client.post(
        reverse("accounts:login"), {"username": "administrator", "password": PASSWORD}
    )
    assert response.url == reverse("accounts:otp_verify")
    assert "_auth_user_id" not in client.session

    wrong = client.post(reverse("accounts:otp_verify"), {"code": "123456"})
    assert "_auth_user_id" not in client.session
    assert "That code is not valid" in wrong.content.decode()
    assert AuditEntry.objects.filter(action="login_failed", details__factor="totp").exists()

    # The enrolment already used the current code: it cannot be replayed.
    replay = client.post(reverse("accounts:otp_verify"), {"code": pyotp.TOTP(secret).now()})
    assert "_auth_user_id" not in client.session
    assert replay.status_code == 200

    later = timezone.now() + timedelta(seconds=60)
    with mock.patch("apps.accounts.security.timezone.now", return_value=later):
        code = pyotp.TOTP(secret).at(later)
        ok = client.post(reverse("accounts:otp_verify"), {"code": code})
    assert ok.status_code == 302
    assert client.session["_auth_user_id"] == str(administrator.pk)
    assert client.get(reverse("core:home")).status_code == 200


def test_the_token_endpoint_asks_for_the_code_when_the_user_has_a_second_factor(
    client, api, caseworker_a
):
    client.force_login(caseworker_a)
    secret = _enrol(client, caseworker_a)
    body = {"username": "caseworker_a", "password": PASSWORD}
    missing = api.post("/api/v1/auth/token/", body, format="json")
    assert missing.status_code == 400 and "otp" in missing.json()
    later = timezone.now() + timedelta(seconds=60)
    with mock.patch("apps.accounts.security.timezone.now", return_value=later):
        ok = api.post(
            "/api/v1/auth/token/", {**body, "otp": pyotp.TOTP(secret).at(later)}, format="json"
        )
    assert ok.status_code == 200 and ok.json()["token"]


def test_an_administrator_without_a_second_factor_gets_no_token(api, administrator, settings):
    settings.CASEMGR_ADMIN_2FA_REQUIRED = True
    response = api.post(
        "/api/v1/auth/token/", {"username": "administrator", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400


def test_a_session_ends_after_its_maximum_age(client, caseworker_a, settings):
    client.force_login(caseworker_a)
    assert client.get(reverse("core:home")).status_code == 200
    session = client.session
    session["casemgr_signed_in_at"] -= settings.CASEMGR_SESSION_MAX_AGE + 1
    session.save()
    response = client.get(reverse("core:home"))
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_pages_carry_a_content_security_policy_and_are_not_cached(client, caseworker_a):
    client.force_login(caseworker_a)
    response = client.get(reverse("core:home"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "<script>" not in response.content.decode()


def test_every_form_carries_a_csrf_token(client, caseworker_a):
    login_page = client.get(reverse("accounts:login")).content.decode()
    assert login_page.count('name="csrfmiddlewaretoken"') == login_page.count('method="post"')
    client.force_login(caseworker_a)
    home = client.get(reverse("core:home")).content.decode()
    assert home.count('name="csrfmiddlewaretoken"') == home.count('method="post"')
