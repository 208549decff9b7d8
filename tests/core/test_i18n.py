"""Every catalogue is complete: no untranslated or fuzzy entry, and no string missing from it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["ru", "kk"]


def _statistics(po: Path) -> str:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(po)],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C"},
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def _catalogues(root: Path) -> list[Path]:
    return sorted(root.glob("locale/*/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_catalogue_has_no_untranslated_or_fuzzy_entry(language):
    stats = _statistics(ROOT / "locale" / language / "LC_MESSAGES" / "django.po")
    assert "untranslated" not in stats and "fuzzy" not in stats, stats


def test_catalogues_cover_every_string_in_the_source(tmp_path):
    # Extract afresh from a copy of the source, merging the committed translations: any string
    # added to the code but missing from the catalogue shows up as untranslated (or fuzzy).
    for name in ("apps", "casemgr", "templates", "locale"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "--no-obsolete",
         *[f"--locale={lang}" for lang in LANGUAGES]],
        cwd=tmp_path, env=env, check=True, capture_output=True,
    )  # fmt: skip
    for language in LANGUAGES:
        stats = _statistics(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po")
        assert "untranslated" not in stats and "fuzzy" not in stats, (
            f"{language}: {stats} — run `make messages` and translate the new strings"
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_are_declared_for_the_language(language):
    text = (ROOT / "locale" / language / "LC_MESSAGES" / "django.po").read_text()
    expected = "nplurals=3;" if language == "ru" else "nplurals=2;"
    assert expected in text


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_home_page_renders_in_each_language(client, caseworker_a, language):
    client.force_login(caseworker_a)
    response = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE=language)
    with translation.override(language):
        heading = translation.gettext("Caseworker desk")
    if language != "en":
        assert heading != "Caseworker desk"
    assert f"<h1>{heading}</h1>" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "short_date", "short_datetime"),
    [
        ("kk", "26.11.2026", "26.11.2026 14:20"),
        ("ru", "26.11.2026", "26.11.2026 14:20"),
        ("en", "26 Nov 2026", "26 Nov 2026, 14:20"),
    ],
)
def test_dates_read_the_local_way_with_a_24_hour_clock(language, short_date, short_datetime):
    import datetime

    from django.utils.formats import date_format

    moment = datetime.datetime(2026, 11, 26, 14, 20)
    with translation.override(language):
        assert date_format(moment.date(), "SHORT_DATE_FORMAT") == short_date
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == short_datetime
        assert "11/26" not in date_format(moment, "DATETIME_FORMAT")


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_date_inputs_carry_iso_values_in_every_language(language):
    import datetime

    from apps.cases.forms import PersonForm

    with translation.override(language):
        form = PersonForm(initial={"date_of_birth": datetime.date(1997, 7, 7)})
        html = str(form["date_of_birth"])
    assert 'type="date"' in html and 'value="1997-07-07"' in html
