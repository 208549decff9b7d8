"""Context for the tasks sections of the home page and the case page."""

from django.utils import timezone

from apps.cases.services import assignable_users, can_change_case

from . import selectors
from .forms import FollowUpPlanForm, TaskForm
from .models import FollowUp


def home_tasks(request) -> dict:
    """Today's and overdue tasks of the user, and the next deadlines."""
    return selectors.home_tasks(request.user)


def case_tasks(request, case) -> dict:
    """The case's tasks and follow-ups, with the forms to add them where the user may."""
    may_write = can_change_case(request.user, case) and case.status == "open"
    assignees = (
        assignable_users(organization_id=case.organization_id).order_by("last_name", "pk")
        if may_write
        else []
    )
    follow_ups = list(selectors.follow_ups_of_case(case)[:20])
    return {
        "case": case,
        "today": timezone.localdate(),
        "tasks": selectors.tasks_of_case(request.user, case=case),
        "may_write": may_write,
        "task_form": TaskForm(assignees=assignees) if may_write else None,
        "follow_ups": follow_ups,
        "planned": [f for f in follow_ups if f.status == FollowUp.Status.PLANNED],
        "follow_up_form": FollowUpPlanForm(prefix="followup") if may_write else None,
    }
