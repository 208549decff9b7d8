"""Django's admin reads wholly in Kazakh and Russian: no English string of Django's catalogues."""

import ast
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import django
import polib
import pytest
from django.conf import settings
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.core import i18n_django
from tests.accounts.factories import OrganizationFactory, UserFactory

DJANGO = Path(django.__file__).parent
CATALOGUES = ["contrib/admin", "contrib/auth", "contrib/contenttypes"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sdr]|\{\w*\}")


def _english() -> dict[str, re.Pattern]:
    """Each English msgid of the admin's catalogues, as a pattern matching a whole text."""
    found = {}
    for name in CATALOGUES:
        for entry in polib.pofile(DJANGO / name / "locale/en/LC_MESSAGES/django.po"):
            for msgid in filter(None, [entry.msgid, entry.msgid_plural]):
                # Strings that read the same in every language (codes, punctuation, formats).
                if not re.search(r"[A-Za-z]{2}", PLACEHOLDER.sub("", msgid)):
                    continue
                parts = [re.escape(p) for p in PLACEHOLDER.split(msgid.strip())]
                found[msgid] = re.compile(r"\s*" + r".+?".join(parts) + r"\s*", re.S)
    return found


ENGLISH = _english()


class _Texts(HTMLParser):
    """Text a reader meets: text nodes and the attributes read aloud or shown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        shown = {"title", "aria-label", "placeholder", "alt"}
        if tag == "input" and dict(attrs).get("type") in {"submit", "button"}:
            shown.add("value")
        self.texts += [v for k, v in attrs if k in shown and v]

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data)


def _english_in(html: str) -> set[str]:
    parser = _Texts()
    parser.feed(html)
    texts = [" ".join(t.split()) for t in parser.texts]
    return {m for m, pattern in ENGLISH.items() for t in texts if pattern.fullmatch(t)}


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_admin_pages_hold_no_english_string_of_djangos_catalogues(
    admin_client, administrator, caseworker_a, language
):
    organization = OrganizationFactory(name="Qamqor", kind="ngo", region="astana")
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    user = caseworker_a.pk
    pages = [
        "/admin/",
        "/admin/accounts/",
        "/admin/accounts/user/",  # filters, actions, search, sorting
        "/admin/accounts/user/?role__exact=caseworker&o=2.-1",
        "/admin/accounts/user/add/",
        f"/admin/accounts/user/{user}/change/",
        f"/admin/accounts/user/{user}/password/",
        f"/admin/accounts/user/{user}/history/",
        f"/admin/accounts/user/{user}/delete/",
        "/admin/accounts/organization/",
        f"/admin/accounts/organization/{organization.pk}/change/",
        f"/admin/accounts/organization/{organization.pk}/delete/",
        "/admin/password_change/",
    ]
    found = {}
    for page in pages:
        response = admin_client.get(page)
        assert response.status_code == 200, page
        assert f'lang="{language}"' in response.text, page
        if english := _english_in(response.text):
            found[page] = sorted(english)
    # The pages after a change, a failed save and a bulk action carry messages of their own.
    response = admin_client.post(
        f"/admin/accounts/organization/{organization.pk}/change/",
        {"name": "", "kind": "ngo", "region": "astana"},
    )
    found["failed save"] = sorted(_english_in(response.text))
    response = admin_client.post(
        "/admin/accounts/organization/",
        {"action": "delete_selected", "_selected_action": [organization.pk]},
    )
    found["bulk delete"] = sorted(_english_in(response.text))
    response = admin_client.post(
        "/admin/accounts/organization/",
        {"action": "delete_selected", "_selected_action": [organization.pk], "post": "yes"},
        follow=True,
    )
    found["after bulk delete"] = sorted(_english_in(response.text))
    untranslated = {page: english for page, english in found.items() if english}
    assert untranslated == {}, "\n".join(f"{p}: {e}" for p, e in untranslated.items())


def test_the_detector_finds_english_admin_strings():
    html = '<h1>Select user to change</h1><a title="View site">x</a><p>Qamqor</p>'
    assert {"Select %s to change", "View site"} <= _english_in(html)
    assert _english_in("<h1>Өзгерту үшін пайдаланушы таңдаңыз</h1><p>Qamqor</p>") == set()


def test_every_message_listed_for_translation_is_one_of_djangos():
    # A msgid that differs from Django's (a straight apostrophe for a curly one) translates
    # nothing, silently.
    tree = ast.parse(Path(i18n_django.__file__).read_text())
    listed = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") in {"gettext_noop", "ngettext"}
    }
    django_msgids = set()
    for po in DJANGO.glob("**/locale/en/LC_MESSAGES/django.po"):
        django_msgids |= {e.msgid for e in polib.pofile(po)}
    assert listed and listed - django_msgids == set()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_password_validation_messages_are_translated(language):
    user = UserFactory(username="aigerim", first_name="Aigerim")
    with translation.override(language):
        texts = list(password_validators_help_texts())
        for password in ["aigerim123456", "12345678901234", "password1234", "short"]:
            with pytest.raises(ValidationError) as refused:
                validate_password(password, user)
            texts += refused.value.messages
    english = [t for t in texts if re.search(r"\b(password|character|similar|numeric)\b", t)]
    assert english == []
    assert all(re.search(r"[а-яәіңғүұқөһ]", t, re.I) for t in texts), texts


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_admins_javascript_strings_are_translated(language):
    # Calendar, clock, the selection counter and the two-list selector of the user form.
    from django.utils.translation.trans_real import DjangoTranslation

    catalogue = DjangoTranslation(
        language, domain="djangojs", localedirs=[str(DJANGO / "contrib/admin/locale")]
    )
    english = polib.pofile(DJANGO / "contrib/admin/locale/en/LC_MESSAGES/djangojs.po")
    same = []
    for entry in english:
        if not entry.msgid:
            continue
        if entry.msgid_plural:
            texts = [catalogue.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 5)]
            originals = [entry.msgid, entry.msgid_plural]
        elif entry.msgctxt:
            texts, originals = [catalogue.pgettext(entry.msgctxt, entry.msgid)], [entry.msgid]
        else:
            texts, originals = [catalogue.gettext(entry.msgid)], [entry.msgid]
        same += [t for t, o in zip(texts, originals, strict=True) if t == o]
    assert same == []


@pytest.mark.django_db
def test_the_admin_serves_the_kazakh_javascript_catalogue(admin_client):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    response = admin_client.get("/admin/jsi18n/")
    assert response.status_code == 200
    text = response.content.decode()
    for kazakh in ["Қаңтар", "%(cnt)s ішінен %(sel)s таңдалды"]:
        assert json.dumps(kazakh)[1:-1] in text  # the catalogue is JSON with \\u escapes
