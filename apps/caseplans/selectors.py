"""Reads of case plans: always through a case the reader may see."""

from django.db.models import Count, Prefetch, Q, QuerySet

from apps.cases.selectors import case_get_for_user, case_list_for_user

from .models import Action, CasePlan, Goal, NeedArea


def caseplan_for_case(case) -> CasePlan | None:
    """The case's plan with its needs, goals and actions (four queries), or None."""
    return (
        CasePlan.objects.filter(case=case)
        .select_related("completed_by", "created_by")
        .prefetch_related(
            "needs",
            Prefetch(
                "goals",
                queryset=Goal.objects.select_related("responsible").prefetch_related(
                    Prefetch("actions", queryset=Action.objects.select_related("responsible"))
                ),
            ),
        )
        .first()
    )


def caseplan_counts(case) -> CasePlan | None:
    """The case's plan with `goal_count` and `open_goals` (the case page's panel), or None."""
    return (
        CasePlan.objects.filter(case=case)
        .annotate(
            goal_count=Count("goals"),
            open_goals=Count("goals", filter=Q(goals__status=Goal.Status.OPEN)),
        )
        .first()
    )


def caseplan_get_for_user(user, *, case_id, audit: bool = True):
    """(case, plan or None) for a case the user may see; 404 otherwise; the read is audited."""
    case = case_get_for_user(user, case_id=case_id, audit=audit)
    return case, caseplan_for_case(case)


def caseplan_list_for_user(user, *, status: str | None = None) -> QuerySet[CasePlan]:
    """Plans of the cases the user may see, most recently changed first."""
    qs = CasePlan.objects.filter(case__in=case_list_for_user(user).values("pk")).select_related(
        "case"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-updated_at", "-id")


def needs_by_area(plan: CasePlan | None) -> list[dict]:
    """Every area in the catalogue's order, with its assessment and goals (for the pages)."""
    needs = {n.area: n for n in plan.needs.all()} if plan else {}
    goals: dict[str, list[Goal]] = {}
    for goal in plan.goals.all() if plan else []:
        goals.setdefault(goal.area, []).append(goal)
    return [
        {"area": area, "label": label, "need": needs.get(area), "goals": goals.get(area, [])}
        for area, label in NeedArea.choices
    ]
