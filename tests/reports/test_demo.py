"""seed_demo as a whole: every record came through the services, so the product can show it.

One module-scoped seed serves every test here; they only read it. It runs inside a
transaction rolled back at the end (the audit log is append-only, so it cannot be deleted).
"""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from apps.accounts import demo as accounts_demo
from apps.accounts.models import User
from apps.cases.models import Case, CaseEvent, CaseNote
from apps.proceedings.models import Proceeding
from apps.referrals.models import Referral
from apps.removals.models import Removal
from apps.reports import demo as reports_demo
from apps.screening.engine import FLAGGED_RESULTS, ScreeningResult
from apps.screening.models import Screening
from apps.training.models import Attendance, TrainingSession

DEMO_APPS = {"accounts", "audit", "cases", "screening", "removals", "referrals", "training"}


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in DEMO_APPS | {"proceedings", "reports"}
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = StringIO()
            call_command("seed_demo", stdout=out)
            counts = _row_counts()
            again = StringIO()
            call_command("seed_demo", stdout=again)
            yield {"first": out.getvalue(), "second": again.getvalue(), "counts": counts}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


pytestmark = pytest.mark.django_db


def test_a_second_seed_adds_nothing(seeded):
    assert _row_counts() == seeded["counts"]


def test_seed_demo_prints_the_logins_of_every_demo_user(seeded):
    for username, *_rest in accounts_demo.USERS:
        assert username in seeded["first"]
        assert User.objects.get(username=username).is_active
    assert accounts_demo.DEMO_PASSWORD in seeded["first"]


def test_every_stored_screening_result_parses_with_the_engine(seeded):
    screenings = list(Screening.objects.filter(status="complete"))
    assert len(screenings) > 100
    for screening in screenings:
        result = ScreeningResult.from_dict(screening.result)
        assert result.trafficking == screening.trafficking
        assert result.forced_labour == screening.forced_labour


def test_nothing_in_the_demo_happens_after_now(seeded):
    now = timezone.now()
    assert not Case.objects.filter(created_at__gt=now).exists()
    assert not CaseEvent.objects.filter(at__gt=now).exists()
    assert not Screening.objects.filter(completed_at__gt=now).exists()
    assert not Removal.objects.filter(decided_at__gt=now).exists()
    assert not Referral.objects.filter(sent_at__gt=now).exists()
    assert not Proceeding.objects.filter(opened_on__gt=timezone.localdate()).exists()
    assert not TrainingSession.objects.filter(date__gt=timezone.localdate()).exists()


def test_the_history_spans_five_years_of_rising_activity(seeded):
    per_year = {
        year: Screening.objects.filter(completed_at__year=year).count()
        for year in reports_demo.YEARS
    }
    assert all(per_year.values()), per_year
    assert per_year[2022] < per_year[2023] < per_year[2024] < per_year[2025]
    assert TrainingSession.objects.filter(date__year=2022).exists()
    assert Attendance.objects.exists()
    assert Proceeding.objects.filter(opened_on__year=2022, convicted_on__isnull=False).exists()


def test_the_awkward_states_of_real_data_are_there(seeded):
    assert Case.objects.filter(assigned_to__isnull=True).exists(), "unassigned"
    former = User.objects.get(username="caseworker.former")
    assert not former.is_active
    assert CaseNote.objects.filter(author=former).exists(), "notes by a deactivated author"
    assert CaseEvent.objects.filter(actor=former).exists(), "events by a deactivated actor"
    assert Case.objects.filter(documents__isnull=True).exists(), "no documents"
    assert Case.objects.filter(screenings__isnull=True).exists(), "never screened"
    assert Case.objects.filter(status="closed").exists()
    anonymised = Case.objects.filter(anonymised_at__isnull=False).select_related("person")
    assert anonymised.exists()
    assert all(case.person.given_name == "" for case in anonymised)


def test_a_person_flagged_in_latin_is_protected_in_a_cyrillic_case_elsewhere(seeded):
    held = Removal.objects.filter(protection_elsewhere=True, status="suspended").select_related(
        "case__person"
    )
    assert held.exists()
    person = held.first().case.person
    assert any("\u0400" <= ch <= "\u04ff" for ch in person.family_name), "written in Cyrillic"


def test_each_removal_of_a_flagged_person_was_suspended_first(seeded):
    flagged = Removal.objects.filter(screening_at_decision__trafficking__in=FLAGGED_RESULTS)
    assert flagged.exists()
    for removal in flagged:
        assert removal.suspended_at is not None
        assert removal.suspended_at < removal.decided_at
        if removal.decision == "remove":
            assert removal.overridden, "only an administrator's override removes them"
            assert removal.override_grounds and removal.protected_at_decision
    removed = flagged.filter(decision="remove")
    assert removed.exists()
    assert {r.decided_at.year for r in removed} <= {2022, 2023}, "early years only"


def test_every_decided_removal_followed_the_services_rules(seeded):
    for removal in Removal.objects.exclude(decided_at=None).select_related("screening_at_decision"):
        screening = removal.screening_at_decision
        assert screening is not None and screening.completed_at <= removal.decided_at
        if removal.decision == "remove":
            # Only a complete interview within the validity period lets a removal be decided,
            # overridden or not (issue 16); "no removal" is always allowed.
            assert removal.screened_before_decision
    assert Removal.objects.filter(screened_before_decision=False, decision="no_removal").exists()


def test_referral_dates_follow_each_other(seeded):
    for referral in Referral.objects.all():
        answered = referral.accepted_at or referral.declined_at
        assert answered is None or referral.sent_at <= answered
        if referral.completed_at:
            assert referral.accepted_at <= referral.completed_at
    assert set(Referral.objects.values_list("status", flat=True)) >= {
        "sent",
        "accepted",
        "declined",
        "completed",
    }


def test_identified_victims_carry_their_identification_day(seeded):
    identified = Case.objects.filter(victim_status="identified")
    assert identified.exists()
    assert not identified.filter(identified_on__isnull=True).exists()
