"""The case plan's section of the case page and how its timeline events read."""

from django.utils.translation import gettext as _

from apps.cases.services import can_change_case

from . import selectors

EVENT_KINDS = ("caseplan_changed", "caseplan_completed")

CHANGES = {
    "assessment": lambda: _("Needs assessment of the case plan changed."),
    "goal_added": lambda: _("Goal added to the case plan."),
    "goal_status": lambda: _("A goal of the case plan changed status."),
    "action_added": lambda: _("Action added to the case plan."),
    "action_done": lambda: _("An action of the case plan was done."),
    "completed": lambda: _("Case plan completed."),
}


def context(request, case) -> dict:
    """Counts only, in one query: the plan's words are on its own page."""
    plan = selectors.caseplan_counts(case)
    return {
        "case": case,
        "plan": plan,
        "open_goals": plan.open_goals if plan else 0,
        "goals": plan.goal_count if plan else 0,
        "can_change": can_change_case(request.user, case),
    }


def describe(event) -> str:
    change = CHANGES.get(event.data.get("change"))
    return change() if change else _("Case plan changed.")
