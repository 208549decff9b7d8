"""Required fields are marked visibly, explained in the page's language, and keep `required`."""

import re

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_shared_form_marks_required_fields_with_a_translated_legend(client, language):
    client.cookies["casemgr_language"] = language
    html = client.get("/accounts/login/").content.decode()

    with translation.override(language):
        legend = translation.gettext("marks a required field.")
    assert html.count('class="required-legend"') == 1
    assert legend in html
    assert re.search(r'<div class="field required">\s*<label for="id_username"', html)
    assert re.search(r'<input[^>]*name="username"[^>]*required', html)


def test_an_optional_field_carries_no_required_mark(caseworker_a, client):
    client.force_login(caseworker_a)
    html = client.get("/cases/new/").content.decode()

    languages = re.search(r'<div class="field([^"]*)">\s*<label for="id_person-languages"', html)
    assert languages, "the case form has an optional languages field"
    assert "required" not in languages.group(1)
