"""Each rule creates its task, moves it as the dates change and closes it when its cause is
resolved, on a frozen clock; a second sync changes nothing."""

import datetime

import pytest
from django.utils import timezone

from apps.cases.models import Case, Person
from apps.cases.services import case_close, case_update
from apps.protection.services import identification_record, protection_grounds_record
from apps.referrals.services import referral_accept, referral_send
from apps.removals.models import Removal
from apps.removals.services import removal_propose
from apps.screening.models import Screening
from apps.tasks.models import Task
from apps.tasks.rules import sync_all, sync_case_tasks, sync_certification_tasks
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ServiceFactory
from tests.training.factories import passed_session

from .conftest import D, at, days

pytestmark = pytest.mark.django_db


def tasks_of(case, kind):
    return list(Task.objects.filter(case=case, kind=kind).order_by("rule_key"))


def one(case, kind) -> Task:
    rows = tasks_of(case, kind)
    assert len(rows) == 1, rows
    return rows[0]


def set_stay(case, until):
    Case.objects.filter(pk=case.pk).update(legal_stay_until=until)


# --- legal stay and permit ------------------------------------------------------------------


def test_stay_task_appears_14_days_before_the_end_moves_and_closes(case_a):
    set_stay(case_a, days(20))
    with at(D):
        sync_case_tasks(case_a)
    assert tasks_of(case_a, "stay_ending") == []
    with at(days(6)):
        sync_case_tasks(case_a)
        task = one(case_a, "stay_ending")
        assert (task.status, task.due_on, task.assigned_to_id) == (
            "open",
            days(20),
            case_a.assigned_to_id,
        )
        set_stay(case_a, days(18))
        sync_case_tasks(case_a)
        assert one(case_a, "stay_ending").due_on == days(18)
        # Extended beyond the window: the cause is resolved, the rule closes its task.
        set_stay(case_a, days(60))
        sync_case_tasks(case_a)
    task = one(case_a, "stay_ending")
    assert task.status == "done" and task.completed_by is None and task.completed_at
    with at(days(47)):
        sync_case_tasks(case_a)
    task = one(case_a, "stay_ending")
    assert (task.status, task.due_on) == ("open", days(60))


def test_sync_twice_makes_no_duplicates_and_no_changes(case_a):
    set_stay(case_a, days(5))
    with at(D):
        first = sync_case_tasks(case_a)
        second = sync_case_tasks(case_a)
    assert first.created == 1
    assert not second
    assert Task.objects.filter(case=case_a).count() == 1


def test_permit_task_follows_the_case_update_service(case_a, caseworker_a):
    with at(D):
        case_update(
            case=case_a,
            actor=caseworker_a,
            version=None,
            data={"permit_valid_until": days(10)},
        )
        task = one(case_a, "permit_ending")
        assert task.due_on == days(10)
        case_a.refresh_from_db()
        case_update(
            case=case_a,
            actor=caseworker_a,
            version=None,
            data={"permit_valid_until": days(12)},
        )
        assert one(case_a, "permit_ending").due_on == days(12)
        case_a.refresh_from_db()
        case_update(
            case=case_a, actor=caseworker_a, version=None, data={"permit_valid_until": None}
        )
    task = one(case_a, "permit_ending")
    assert task.status == "done" and task.completed_by is None


def test_closing_the_case_cancels_its_rule_tasks(case_a, caseworker_a):
    set_stay(case_a, days(3))
    with at(D):
        sync_case_tasks(case_a)
        case_a.refresh_from_db()
        case_close(case=case_a, actor=caseworker_a, outcome="Returned home.", version=None)
    task = one(case_a, "stay_ending")
    assert task.status == "cancelled" and task.completed_by is None


def test_a_task_a_person_completed_stays_done_until_its_deadline_changes(case_a, caseworker_a):
    from apps.tasks.services import task_update

    set_stay(case_a, days(5))
    with at(D):
        sync_case_tasks(case_a)
        task_update(
            actor=caseworker_a,
            task=one(case_a, "stay_ending"),
            version=None,
            data={"status": "done"},
        )
        sync_case_tasks(case_a)
        task = one(case_a, "stay_ending")
        assert task.status == "done" and task.completed_by == caseworker_a
        set_stay(case_a, days(7))
        sync_case_tasks(case_a)
    task = one(case_a, "stay_ending")
    assert (task.status, task.due_on, task.completed_by) == ("open", days(7), None)


# --- protection: reflection and identification ---------------------------------------------


def test_reflection_tasks_are_due_7_and_1_days_before_the_end(case_a, caseworker_a):
    with at(D):
        protection_grounds_record(
            actor=caseworker_a,
            case=case_a,
            level="presumed",
            grounds="The employer withholds the passport and wages.",
        )
    until = Person.objects.get(pk=case_a.person_id).reflection_until
    assert until == days(30)
    assert tasks_of(case_a, "reflection_ending") == []
    with at(days(16)):
        sync_case_tasks(case_a)
    seven, one_day = sorted(tasks_of(case_a, "reflection_ending"), key=lambda t: t.due_on)
    assert seven.due_on == until - datetime.timedelta(days=7)
    assert one_day.due_on == until - datetime.timedelta(days=1)
    assert seven.params == {"until": until.isoformat(), "days": 7}
    # The reflection period moves (set again): both tasks move with it.
    Person.objects.filter(pk=case_a.person_id).update(reflection_until=days(40))
    with at(days(26)):
        sync_case_tasks(case_a)
    dues = sorted(t.due_on for t in tasks_of(case_a, "reflection_ending"))
    assert dues == [days(33), days(39)]
    # Once the period has ended, its reminders close themselves: nothing is left to remind of.
    with at(days(41)):
        sync_case_tasks(case_a)
    assert {t.status for t in tasks_of(case_a, "reflection_ending")} == {"done"}


def test_a_decision_of_not_a_victim_closes_the_reflection_and_identification_tasks(
    case_a, caseworker_a, administrator
):
    with at(D):
        protection_grounds_record(
            actor=caseworker_a,
            case=case_a,
            level="presumed",
            grounds="Debt bondage to the recruiter, threats to family.",
        )
    with at(days(13)):
        sync_case_tasks(case_a)
        assert tasks_of(case_a, "identification_due") == []
    with at(days(14)):
        sync_case_tasks(case_a)
        assert one(case_a, "identification_due").due_on == days(14)
        assert len(tasks_of(case_a, "reflection_ending")) == 1  # the 7-day one has opened
    with at(days(20)):
        identification_record(
            actor=administrator,
            case=case_a,
            authority="Police",
            decision_number="17/2026",
            decided_on=days(20),
            outcome="not_a_victim",
        )
    for task in Task.objects.filter(
        case=case_a, kind__in=["identification_due", "reflection_ending"]
    ):
        assert task.status == "done" and task.completed_by is None, task.kind


# --- referrals ------------------------------------------------------------------------------


def test_unanswered_referral_task_after_the_escalation_time_closes_on_answer(
    case_a, caseworker_a, ngo_b, caseworker_b
):
    service = ServiceFactory(organization=ngo_b, regions=["astana"], languages=["ru"])
    with at(D, hour=6):
        referral = referral_send(
            actor=caseworker_a,
            case=case_a,
            service=service,
            consent_given=True,
            reason="Needs shelter.",
        )
    assert tasks_of(case_a, "referral_unanswered") == []
    with at(days(2), hour=5):
        sync_case_tasks(case_a)
        assert tasks_of(case_a, "referral_unanswered") == []
    with at(days(2), hour=7):
        sync_case_tasks(case_a)
        task = one(case_a, "referral_unanswered")
        assert task.params == {"referral": referral.pk, "since": D.isoformat()}
        referral_accept(actor=caseworker_b, referral=referral)
    task = one(case_a, "referral_unanswered")
    assert task.status == "done" and task.completed_by is None


# --- removals and screenings ----------------------------------------------------------------


def _screen(case, inspector, on):
    with at(on):
        return Screening.objects.create(
            case=case,
            screened_by=inspector,
            catalogue_version="v",
            status="complete",
            trafficking="no_indicators",
            completed_at=timezone.now(),
        )


def test_pending_removal_task_tracks_the_screening_validity(inspector_case, inspector):
    with at(D):
        removal = removal_propose(actor=inspector, case=inspector_case, grounds="overstay")
    task = one(inspector_case, "removal_screening")
    assert (task.due_on, task.assigned_to) == (D, inspector)
    assert task.params["screening_until"] is None
    _screen(inspector_case, inspector, D)
    with at(D):
        sync_case_tasks(inspector_case)
    assert one(inspector_case, "removal_screening").status == "done"
    with at(days(16)):
        sync_case_tasks(inspector_case)
    task = one(inspector_case, "removal_screening")
    assert (task.status, task.due_on) == ("open", days(30))
    Removal.objects.filter(pk=removal.pk).update(status="suspended")
    with at(days(16)):
        sync_case_tasks(inspector_case)
    assert one(inspector_case, "removal_screening").status == "done"


# --- certification --------------------------------------------------------------------------


def test_certification_task_for_the_inspector_and_their_administrator(
    inspector, inspectorate, administrator
):
    org_admin = UserFactory(username="org_admin", role="administrator", organization=inspectorate)
    passed_session(inspector, datetime.date(2024, 12, 28))  # valid until 2026-12-28
    with at(D):
        sync_certification_tasks(inspector)
    rows = Task.objects.filter(kind="certification_ending").order_by("assigned_to_id")
    assert {t.assigned_to_id for t in rows} == {inspector.pk, org_admin.pk}
    assert all(t.due_on == datetime.date(2026, 12, 28) and t.case is None for t in rows)
    assert administrator.pk not in {t.assigned_to_id for t in rows}
    passed_session(inspector, datetime.date(2026, 12, 1))
    with at(D):
        sync_certification_tasks(inspector)
        assert not sync_certification_tasks(inspector)
    assert set(
        Task.objects.filter(kind="certification_ending").values_list("status", flat=True)
    ) == {"done"}


def test_recording_attendance_syncs_the_certification_task(inspector, administrator):
    from apps.training.services import AttendanceLine, attendance_record
    from tests.training.factories import TrainingSessionFactory

    passed_session(inspector, datetime.date(2024, 12, 20))
    with at(D):
        sync_certification_tasks(inspector)
        assert Task.objects.get(assigned_to=inspector).status == "open"
        session = TrainingSessionFactory(date=days(-1))
        attendance_record(
            session=session,
            actor=administrator,
            lines=[AttendanceLine(inspector=inspector.username, passed=True, score=90)],
        )
    assert Task.objects.get(assigned_to=inspector).status == "done"


# --- the nightly sync -----------------------------------------------------------------------


def test_sync_all_in_batches_is_idempotent(settings, case_a, case_b, inspector):
    settings.CASEMGR_TASK_SYNC_BATCH = 1
    set_stay(case_a, days(3))
    set_stay(case_b, days(30))
    passed_session(inspector, datetime.date(2024, 12, 20))
    with at(D):
        first = sync_all()
        second = sync_all()
    assert first.created == 2 and not second
    assert Task.objects.count() == 2
    with at(days(16)):
        assert sync_all().created == 1
    assert Task.objects.filter(case=case_b, kind="stay_ending").count() == 1
