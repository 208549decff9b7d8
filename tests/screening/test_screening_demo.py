"""The demo data loads on demo-like cases, twice without harm, through the services."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from apps.removals import demo as removals_demo
from apps.removals.models import Removal
from apps.screening import demo as screening_demo
from apps.screening.engine import ScreeningResult
from apps.screening.models import Screening
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_screenings_and_removals_idempotently():
    assert screening_demo.seed() == {"screenings": 0}
    assert removals_demo.seed() == {"removals": 0}
    inspectorate = OrganizationFactory(name="Demo Inspectorate", kind="labour_inspectorate")
    UserFactory(username="demo.inspector", role="inspector", organization=inspectorate)
    UserFactory(username="demo.admin", role="administrator", organization=None)
    ngo = OrganizationFactory(name="Demo NGO", kind="ngo")
    # Cases opened months ago, so that screenings and decisions can follow them in the past.
    with time_machine.travel(timezone.now() - datetime.timedelta(days=200), tick=False):
        for i in range(16):
            CaseFactory(organization=inspectorate if i % 2 else ngo)
    first = screening_demo.seed()
    removals = removals_demo.seed()
    assert first["screenings"] >= 12
    results = set(Screening.objects.values_list("trafficking", flat=True))
    assert {"presumed_victim", "possible_victim", "no_indicators", "incomplete"} <= results
    for screening in Screening.objects.all():
        ScreeningResult.from_dict(screening.result)
        assert screening.case.created_at <= screening.completed_at <= timezone.now()
    assert removals["removals"] > 0
    # A flagged person's removal is decided "no removal" after the competent authority's formal
    # identification (no override: no removal is always allowed).
    from apps.protection.models import Identification

    identified = Identification.objects.get()
    assert identified.outcome == "identified"
    assert Removal.objects.filter(
        case=identified.case, status="decided_no_removal", overridden=False
    ).exists()
    assert Removal.objects.filter(status="pending").exists(), "some await a screening"
    decided = Removal.objects.exclude(decided_at=None)
    assert decided.filter(screened_before_decision=False).exists()
    assert decided.filter(screened_before_decision=True).exists()
    assert screening_demo.seed() == first
    assert removals_demo.seed() == removals


def test_some_demo_cases_are_never_screened():
    ngo = OrganizationFactory(kind="ngo")
    UserFactory(role="caseworker", organization=ngo)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=30), tick=False):
        cases = [CaseFactory(organization=ngo) for _ in range(8)]
    screening_demo.seed()
    unscreened = [case for case in cases if not case.screenings.exists()]
    assert [cases.index(case) for case in unscreened] == [screening_demo.NEVER_SCREENED]


# --- a stored result the engine cannot read ------------------------------------------------


@pytest.fixture
def damaged(inspector_case, inspector):
    """A complete screening whose result lost the engine's keys, as the old demo stored it."""
    from apps.screening.services import screening_create
    from tests.screening.patterns import PRESUMED

    screening = screening_create(
        actor=inspector,
        case=inspector_case,
        answers=PRESUMED,
        interview_language="ru",
        consent_given=True,
    )
    Screening.objects.filter(pk=screening.pk).update(
        result={"trafficking": "presumed_victim", "reasons": []}
    )
    return screening


def test_a_damaged_result_shows_a_translated_notice_on_the_screening_page(
    client, damaged, inspector
):
    from django.urls import reverse
    from django.utils import translation

    from apps.screening.selectors import UNREADABLE_RESULT

    client.force_login(inspector)
    url = reverse("screening:detail", args=[damaged.pk])
    for language in ("en", "ru", "kk"):
        with translation.override(language):
            notice = str(UNREADABLE_RESULT)
        response = client.get(url, headers={"accept-language": language})
        assert response.status_code == 200
        assert notice in response.content.decode(), language
    with translation.override("kk"):
        assert not str(UNREADABLE_RESULT).startswith("The stored result")


def test_a_damaged_result_shows_a_notice_on_the_case_page(client, damaged, inspector):
    from apps.screening.selectors import UNREADABLE_RESULT
    from apps.screening.views import case_url

    client.force_login(inspector)
    response = client.get(case_url(damaged.case))
    assert response.status_code == 200
    assert str(UNREADABLE_RESULT) in response.content.decode()


def test_the_api_marks_a_damaged_result_instead_of_failing(api, damaged, inspector):
    client = api.as_user(inspector)
    listing = client.get("/api/v1/screenings/")
    assert listing.status_code == 200
    rows = {row["id"]: row for row in listing.json()["results"]}
    assert rows[damaged.pk]["result"]["unreadable"] is True
    assert rows[damaged.pk]["result"]["detail"]
    detail = client.get(f"/api/v1/screenings/{damaged.pk}/")
    assert detail.status_code == 200
    assert detail.json()["result"]["unreadable"] is True


def test_the_migration_recomputes_a_result_lacking_the_engines_keys(damaged):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("apps.screening.migrations.0005_recompute_unreadable_results")
    Screening.objects.filter(pk=damaged.pk).update(trafficking="no_indicators")
    migration.recompute(apps, None)
    damaged.refresh_from_db()
    result = ScreeningResult.from_dict(damaged.result)
    assert result.trafficking == damaged.trafficking == "presumed_victim"
    assert damaged.forced_labour == result.forced_labour
    assert damaged.debt_coercion == result.debt_coercion


def test_the_migration_leaves_a_readable_result_alone(inspector_case, inspector):
    from importlib import import_module

    from django.apps import apps

    from apps.screening.services import screening_create
    from tests.screening.patterns import POSSIBLE

    screening = screening_create(
        actor=inspector,
        case=inspector_case,
        answers=POSSIBLE,
        interview_language="ru",
        consent_given=True,
    )
    stored = Screening.objects.get(pk=screening.pk).result
    import_module("apps.screening.migrations.0005_recompute_unreadable_results").recompute(
        apps, None
    )
    assert Screening.objects.get(pk=screening.pk).result == stored
