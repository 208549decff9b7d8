import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.caseplans import services
from apps.caseplans.models import Action, CasePlan, Goal, NeedArea
from apps.cases.models import CaseEvent
from apps.cases.retention import case_anonymise
from apps.core.exceptions import StaleVersion, WorkflowError
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_a(caseworker_a):
    return CaseFactory(organization=caseworker_a.organization, created_by=caseworker_a)


def all_assessed(level="none", **overrides):
    needs = {area: {"level": level, "notes": ""} for area in NeedArea.values}
    for area, value in overrides.items():
        needs[area] = {"level": value, "notes": f"notes on {area}"}
    return needs


def soon(days=10):
    return timezone.localdate() + datetime.timedelta(days=days)


def test_the_first_assessment_creates_the_plan_audited_and_on_the_timeline(caseworker_a, case_a):
    plan = services.caseplan_assess(
        actor=caseworker_a, case=case_a, version=None, needs={"shelter": {"level": "urgent"}}
    )
    assert plan.status == CasePlan.Status.DRAFT
    levels = dict(plan.needs.values_list("area", "level"))
    assert set(levels) == set(NeedArea.values)
    assert levels["shelter"] == "urgent" and levels["safety"] == "not_assessed"
    assert AuditEntry.objects.filter(action="create", target_type="caseplans.caseplan").exists()
    assert CaseEvent.objects.filter(case=case_a, kind="caseplan_changed").count() == 1


def test_a_stale_version_is_refused_and_changes_nothing(caseworker_a, case_a):
    plan = services.caseplan_assess(
        actor=caseworker_a, case=case_a, version=None, needs={"shelter": {"level": "urgent"}}
    )
    services.caseplan_assess(
        actor=caseworker_a, case=case_a, version=plan.version, needs={"health": {"level": "need"}}
    )
    with pytest.raises(StaleVersion):
        services.caseplan_assess(
            actor=caseworker_a, case=case_a, version=plan.version,
            needs={"health": {"level": "none"}},
        )  # fmt: skip
    assert CasePlan.objects.get().needs.get(area="health").level == "need"


@pytest.mark.parametrize(
    "needs",
    [
        {"shelter": {"level": "very_high"}},
        {"housing": {"level": "need"}},
        {"shelter": {"level": "need", "notes": "x" * 5001}},
        {},
    ],
)
def test_bad_assessments_are_refused_and_create_no_plan(caseworker_a, case_a, needs):
    with pytest.raises(ValidationError):
        services.caseplan_assess(actor=caseworker_a, case=case_a, version=None, needs=needs)
    assert not CasePlan.objects.exists()
    assert not CaseEvent.objects.filter(kind="caseplan_changed").exists()


def test_another_organisations_caseworker_may_not_write_the_plan(caseworker_b, case_a):
    with pytest.raises(PermissionDenied):
        services.caseplan_assess(
            actor=caseworker_b, case=case_a, version=None, needs={"shelter": {"level": "need"}}
        )


def test_a_closed_case_keeps_its_plan_unchanged(caseworker_a, case_a):
    case_a.status = case_a.Status.CLOSED
    case_a.save()
    with pytest.raises(WorkflowError):
        services.caseplan_assess(
            actor=caseworker_a, case=case_a, version=None, needs={"shelter": {"level": "need"}}
        )


def test_goals_need_a_plan_a_responsible_person_of_the_organisation_and_dates_ahead(
    caseworker_a, caseworker_b, case_a
):
    with pytest.raises(WorkflowError):
        services.caseplan_goal_add(
            actor=caseworker_a, case=case_a, version=None, area="shelter",
            description="Shelter place", due_on=soon(),
        )  # fmt: skip
    plan = services.caseplan_assess(
        actor=caseworker_a, case=case_a, version=None, needs={"shelter": {"level": "urgent"}}
    )
    bad = [
        {"responsible": caseworker_b.pk},
        {"due_on": timezone.localdate() - datetime.timedelta(days=1)},
        {"due_on": soon(5), "review_on": soon(6)},
        {"description": "  "},
        {"area": "housing"},
    ]
    for overrides in bad:
        values = {"area": "shelter", "description": "Shelter place", "due_on": soon()}
        values.update(overrides)
        with pytest.raises(ValidationError):
            services.caseplan_goal_add(
                actor=caseworker_a, case=case_a, version=plan.version, **values
            )
    assert not Goal.objects.exists()
    goal = services.caseplan_goal_add(
        actor=caseworker_a, case=case_a, version=plan.version, area="shelter",
        description="Shelter place", due_on=soon(), review_on=soon(3),
        responsible=caseworker_a.pk, actions=["Call the shelter", ""],
    )  # fmt: skip
    assert list(goal.actions.values_list("description", flat=True)) == ["Call the shelter"]
    assert goal.actions.get().responsible == caseworker_a


def test_completing_needs_every_area_assessed_and_a_goal_for_every_need(caseworker_a, case_a):
    plan = services.caseplan_assess(
        actor=caseworker_a, case=case_a, version=None, needs={"shelter": {"level": "urgent"}}
    )
    with pytest.raises(ValidationError) as refused:
        services.caseplan_complete(actor=caseworker_a, case=case_a, version=plan.version)
    assert "needs" in refused.value.message_dict
    plan = services.caseplan_assess(
        actor=caseworker_a, case=case_a, version=plan.version,
        needs=all_assessed(shelter="urgent", legal="need"),
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.caseplan_complete(actor=caseworker_a, case=case_a, version=plan.version)
    assert set(refused.value.message_dict) == {"goals"}
    for area in ("shelter", "legal"):
        plan.refresh_from_db()
        services.caseplan_goal_add(
            actor=caseworker_a, case=case_a, version=plan.version, area=area,
            description=f"Goal for {area}", due_on=soon(),
        )  # fmt: skip
    plan.refresh_from_db()
    plan = services.caseplan_complete(actor=caseworker_a, case=case_a, version=plan.version)
    assert plan.status == CasePlan.Status.COMPLETED and plan.completed_by == caseworker_a
    assert CaseEvent.objects.filter(case=case_a, kind="caseplan_completed").count() == 1


def test_dropping_the_only_goal_of_a_need_makes_a_completed_plan_a_draft_again(
    caseworker_a, case_a
):
    plan = services.caseplan_assess(
        actor=caseworker_a, case=case_a, version=None, needs=all_assessed(shelter="urgent")
    )
    goal = services.caseplan_goal_add(
        actor=caseworker_a, case=case_a, version=plan.version, area="shelter",
        description="Shelter place", due_on=soon(),
    )  # fmt: skip
    plan.refresh_from_db()
    plan = services.caseplan_complete(actor=caseworker_a, case=case_a, version=plan.version)
    services.caseplan_goal_set_status(
        actor=caseworker_a, case=case_a, version=plan.version, goal_id=goal.pk, status="dropped"
    )
    plan.refresh_from_db()
    assert plan.status == CasePlan.Status.DRAFT and plan.completed_at is None


def test_an_action_of_another_plan_cannot_be_marked_done(caseworker_a, case_a):
    other = CaseFactory(organization=caseworker_a.organization, created_by=caseworker_a)
    for case in (case_a, other):
        plan = services.caseplan_assess(
            actor=caseworker_a, case=case, version=None, needs={"shelter": {"level": "urgent"}}
        )
        services.caseplan_goal_add(
            actor=caseworker_a, case=case, version=plan.version, area="shelter",
            description="Shelter", due_on=soon(), actions=["Call"],
        )  # fmt: skip
    foreign = Action.objects.get(goal__plan__case=other)
    plan = CasePlan.objects.get(case=case_a)
    with pytest.raises(ValidationError):
        services.caseplan_action_done(
            actor=caseworker_a, case=case_a, version=plan.version, action_id=foreign.pk
        )
    assert Action.objects.filter(done_on__isnull=False).count() == 0
    own = Action.objects.get(goal__plan__case=case_a)
    services.caseplan_action_done(
        actor=caseworker_a, case=case_a, version=plan.version, action_id=own.pk
    )
    own.refresh_from_db()
    assert own.done_on == timezone.localdate() and own.done_by == caseworker_a


def test_anonymisation_erases_the_plans_words_and_keeps_its_shape(caseworker_a, case_a):
    plan = services.caseplan_assess(
        actor=caseworker_a, case=case_a, version=None,
        needs={"shelter": {"level": "urgent", "notes": "Sleeps at Zhanibek's garage"}},
    )  # fmt: skip
    services.caseplan_goal_add(
        actor=caseworker_a, case=case_a, version=plan.version, area="shelter",
        description="Move away from Zhanibek", due_on=soon(), actions=["Call Aigerim"],
    )  # fmt: skip
    case_a.status, case_a.closed_at = case_a.Status.CLOSED, timezone.now()
    case_a.save()
    case_anonymise(case=case_a)
    plan = CasePlan.objects.get()
    assert plan.needs.get(area="shelter").notes == ""
    assert plan.needs.get(area="shelter").level == "urgent"
    assert Goal.objects.get().description == "" and Action.objects.get().description == ""
