import pytest
from django.conf import settings
from django.urls import reverse

from apps.audit.models import AuditEntry
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_applies_the_users_preferred_language(client, caseworker_a):
    caseworker_a.language = "kk"
    caseworker_a.save()
    response = client.post(
        reverse("accounts:login"), {"username": "caseworker_a", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "kk"
    home = client.get(reverse("core:home"))
    assert '<html lang="kk">' in home.content.decode()


def test_bad_login_is_refused_with_a_translated_error_and_logged(client, caseworker_a):
    response = client.post(
        reverse("accounts:login"),
        {"username": "caseworker_a", "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Пожалуйста, введите правильные имя пользователя и пароль" in body
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action="login_failed")
    assert entry.details == {"username": "caseworker_a"}
    assert entry.ip_address == "127.0.0.1"


def test_bad_login_error_is_in_kazakh_for_a_kazakh_browser(client, caseworker_a):
    response = client.post(
        reverse("accounts:login"),
        {"username": "nobody", "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="kk",
    )
    assert "Дұрыс пайдаланушы аты мен құпиясөзді енгізіңіз" in response.content.decode()


def test_successful_login_and_logout_are_audited(client, caseworker_a):
    client.post(reverse("accounts:login"), {"username": "caseworker_a", "password": PASSWORD})
    client.post(reverse("accounts:logout"))
    actions = list(
        AuditEntry.objects.filter(actor=caseworker_a)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["login", "logout"]


def test_logout_needs_post(client, caseworker_a):
    client.force_login(caseworker_a)
    assert client.get(reverse("accounts:logout")).status_code == 405


def test_password_change_enforces_the_password_rules(client, caseworker_a):
    client.force_login(caseworker_a)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    caseworker_a.refresh_from_db()
    assert caseworker_a.check_password(PASSWORD)


def test_password_change_succeeds_with_a_strong_password(client, caseworker_a):
    client.force_login(caseworker_a)
    new = "a much longer passphrase 2026"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    caseworker_a.refresh_from_db()
    assert caseworker_a.check_password(new)


def test_switching_language_is_remembered_for_a_signed_in_user(client, caseworker_a):
    client.force_login(caseworker_a)
    response = client.post(reverse("accounts:set_language"), {"language": "ru", "next": "/"})
    assert response.status_code == 302
    caseworker_a.refresh_from_db()
    assert caseworker_a.language == "ru"


def test_switching_to_an_unknown_language_changes_nothing(client, caseworker_a):
    client.force_login(caseworker_a)
    client.post(reverse("accounts:set_language"), {"language": "xx", "next": "/"})
    caseworker_a.refresh_from_db()
    assert caseworker_a.language == "en"


def test_team_page_lists_only_the_users_own_organisation(client, caseworker_a, caseworker_b):
    client.force_login(caseworker_a)
    body = client.get(reverse("accounts:team")).content.decode()
    assert "caseworker_a" in body
    assert "caseworker_b" not in body


def test_administrator_sees_every_team(client, administrator, caseworker_a, caseworker_b):
    client.force_login(administrator)
    body = client.get(reverse("accounts:team")).content.decode()
    assert "caseworker_a" in body and "caseworker_b" in body


def test_only_administrators_enter_django_admin(client, administrator, caseworker_a, auditor):
    client.force_login(administrator)
    assert client.get("/admin/accounts/organization/").status_code == 200
    for user in (caseworker_a, auditor):
        client.force_login(user)
        assert client.get("/admin/").status_code == 302


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_language_chosen_on_the_login_page_wins_and_is_saved(client, caseworker_a):
    caseworker_a.language = "kk"
    caseworker_a.save()
    client.post(reverse("accounts:set_language"), {"language": "ru", "next": "/"})
    response = client.post(
        reverse("accounts:login"), {"username": "caseworker_a", "password": PASSWORD}
    )
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    caseworker_a.refresh_from_db()
    assert caseworker_a.language == "ru"
