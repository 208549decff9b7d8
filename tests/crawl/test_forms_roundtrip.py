"""Forms never lose data: every edit form, opened in Russian or Kazakh and saved unchanged, leaves
its record exactly as it was (a Russian form once erased dates of birth)."""

import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.cases.models import Case
from apps.proceedings.models import Proceeding
from apps.referrals.models import Service
from apps.training.models import TrainingSession

pytestmark = pytest.mark.django_db
# Bookkeeping that a save may move on without changing what the record says.
IGNORED = {"version", "updated_at", "modified_at"}
BROWSER_CHECKED = {
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "datetime-local": re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?"),
}


class EditForm(HTMLParser):
    """The values a browser would submit for the page's main form, as rendered."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._in_form = False
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._in_form = True
            self.forms.append([])
        if not self._in_form:
            return
        fields = self.forms[-1]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.append((a["name"], a.get("value", "on")))
            elif kind in BROWSER_CHECKED:
                # A browser keeps only a value of the input's own format, and submits "" for
                # any other (`07.07.1997` in a date input): what erased dates of birth.
                value = a.get("value", "")
                fields.append((a["name"], value if BROWSER_CHECKED[kind].fullmatch(value) else ""))
            elif kind not in ("submit", "button", "file"):
                fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._select_value = a.get("name"), None
            self._multiple = "multiple" in a
        elif tag == "option" and self._select:
            if "selected" in a:
                fields.append((self._select, a.get("value", "")))
                self._select_value = a.get("value", "")
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text)
            # The HTML parser drops the newline that follows <textarea>, as browsers do.
            self.forms[-1].append((self._textarea, text))
            self._textarea = None

    def main_form(self) -> dict:
        # The edit form is the one with a CSRF token and the most fields (not the language switcher).
        form = max(self.forms, key=len)
        data: dict[str, list[str]] = {}
        for name, value in form:
            data.setdefault(name, []).append(value)
        return data


def _snapshot(record) -> dict:
    record.refresh_from_db()
    values = model_to_dict(record)
    return {k: v for k, v in values.items() if k not in IGNORED}


def _save_unchanged(client: Client, url: str, language: str):
    client.cookies["casemgr_language"] = language
    page = client.get(url)
    assert page.status_code == 200, url
    data = EditForm(page.content.decode()).main_form()
    response = client.post(url, data)
    assert response.status_code in (200, 302), (url, response.status_code)
    return response


@pytest.fixture(scope="module")
def demo(django_db_blocker, django_db_setup):
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_every_edit_form_saved_unchanged_changes_nothing(demo, language):
    caseworker = User.objects.get(username="caseworker.astana")
    administrator = User.objects.get(username="admin")
    case = Case.objects.filter(organization=caseworker.organization, status="open").first()
    document = case.documents.first()
    job = case.employments.first()
    records = [
        (caseworker, reverse("cases:edit", args=[case.pk]), [case, case.person]),
        (caseworker, reverse("cases:document_edit", args=[case.pk, document.pk]), [document]),
        (caseworker, reverse("cases:employment_edit", args=[case.pk, job.pk]), [job]),
    ]
    service = Service.objects.filter(organization=caseworker.organization).first()
    if service is not None:
        records.append(
            (caseworker, reverse("referrals:service_edit", args=[service.pk]), [service])
        )
    session = TrainingSession.objects.order_by("pk").first()
    records.append((administrator, reverse("training:session_edit", args=[session.pk]), [session]))
    proceeding = Proceeding.objects.order_by("pk").first()
    records.append((administrator, reverse("proceedings:edit", args=[proceeding.pk]), [proceeding]))
    for user, url, objects in records:
        client = Client()
        client.force_login(user)
        if user.role == "administrator":
            session_store = client.session
            session_store["casemgr_2fa_verified"] = True
            session_store.save()
        before = [_snapshot(obj) for obj in objects]
        _save_unchanged(client, url, language)
        after = [_snapshot(obj) for obj in objects]
        assert after == before, f"{url} [{language}] changed a field"
    assert case.person.date_of_birth is not None
