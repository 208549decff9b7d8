"""The case plan's page (assessment, goals and actions in one place) and its printout."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.cases.services import can_change_case
from apps.core.exceptions import StaleVersion, WorkflowError

from . import selectors, services
from .forms import (
    ActionDoneForm,
    ActionForm,
    AssessmentForm,
    CompleteForm,
    GoalForm,
    GoalStatusForm,
)
from .models import Goal

PRINT_LANGUAGES = ("en", "ru", "kk")


def _add_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _submit(request, case, plan, action: str):
    """(bound form, response or None) for one of the page's forms."""
    forms = {
        "assess": lambda: AssessmentForm(request.POST, plan=plan),
        "goal": lambda: GoalForm(request.POST, case=case, plan=plan),
        "action": lambda: ActionForm(request.POST, case=case),
        "goal_status": lambda: GoalStatusForm(request.POST),
        "action_done": lambda: ActionDoneForm(request.POST),
        "complete": lambda: CompleteForm(request.POST),
    }
    form = forms[action]()
    if not form.is_valid():
        return form
    data = form.cleaned_data
    common = {"actor": request.user, "case": case, "version": data.get("version")}
    try:
        if action == "assess":
            services.caseplan_assess(**common, needs=form.needs())
            done = _("The needs assessment was saved.")
        elif action == "goal":
            services.caseplan_goal_add(
                **common,
                area=data["area"],
                description=data["description"],
                due_on=data["due_on"],
                review_on=data["review_on"],
                responsible=data["responsible"],
                actions=[data["first_action"]] if data["first_action"] else [],
            )
            done = _("The goal was added.")
        elif action == "action":
            services.caseplan_action_add(
                **common,
                goal_id=data["goal"],
                description=data["description"],
                due_on=data["due_on"],
                responsible=data["responsible"],
            )
            done = _("The action was added.")
        elif action == "goal_status":
            services.caseplan_goal_set_status(**common, goal_id=data["goal"], status=data["status"])
            done = _("The goal's status was changed.")
        elif action == "action_done":
            services.caseplan_action_done(**common, action_id=data["action_id"])
            done = _("The action was recorded as done.")
        else:
            services.caseplan_complete(**common)
            done = _("The case plan was completed.")
    except StaleVersion as exc:
        form.add_error(None, str(exc.detail))
        form.stale = True
        return form
    except WorkflowError as exc:
        form.add_error(None, str(exc.detail))
        return form
    except ValidationError as exc:
        _add_errors(form, exc)
        return form
    messages.success(request, done)
    return None


@require_http_methods(["GET", "POST"])
@login_required
def caseplan_page(request, case_id: int):
    """The plan of a case the user may see; its writers change it here."""
    case, plan = selectors.caseplan_get_for_user(
        request.user, case_id=case_id, audit=request.method == "GET"
    )
    can_change = can_change_case(request.user, case) and case.status == case.Status.OPEN
    failed = None
    action = request.POST.get("action", "")
    if request.method == "POST":
        if not can_change_case(request.user, case):
            raise PermissionDenied
        if action not in {"assess", "goal", "action", "goal_status", "action_done", "complete"}:
            messages.error(request, _("Choose what to save."))
            failed = "unknown"
        else:
            failed = _submit(request, case, plan, action)
            if failed is None:
                return redirect("caseplans:plan", case_id=case.pk)
            plan = selectors.caseplan_for_case(case)
    forms_ = {
        "assess": AssessmentForm(plan=plan),
        "goal": GoalForm(case=case, plan=plan),
    }
    if failed is not None and action in forms_:
        forms_[action] = failed
    areas = selectors.needs_by_area(plan)
    # One action form per goal, each with ids of its own: the labels of one goal's form must
    # not point at another's fields (nor at the goal form's, whose fields share the names).
    for row in areas:
        for goal in row["goals"]:
            goal.action_form = ActionForm(case=case, auto_id=f"id_goal{goal.pk}_%s")
    status = 200
    if failed is not None:
        status = 409 if getattr(failed, "stale", False) else 400
    return render(
        request,
        "caseplans/plan.html",
        {
            "case": case,
            "plan": plan,
            "areas": areas,
            "assess_form": forms_["assess"],
            "goal_form": forms_["goal"],
            "failed": failed if action not in forms_ else None,
            "can_change": can_change,
            "goal_statuses": Goal.Status.choices,
            "today": timezone.localdate(),
        },
        status=status,
    )


def print_language(request, case) -> str:
    """The person's first language among those the printout has, else the reader's."""
    asked = request.GET.get("language", "")
    if asked in PRINT_LANGUAGES:
        return asked
    for code in case.person.languages or []:
        if code in PRINT_LANGUAGES:
            return code
    current = translation.get_language() or "en"
    return current if current in PRINT_LANGUAGES else "en"


@require_GET
@login_required
def caseplan_pdf(request, case_id: int):
    """The plan printed for the person, in their language (en, ru or kk), as a PDF download."""
    from weasyprint import HTML

    case, plan = selectors.caseplan_get_for_user(request.user, case_id=case_id)
    if plan is None:
        messages.error(request, _("There is no case plan to print yet."))
        return redirect("caseplans:plan", case_id=case.pk)
    language = print_language(request, case)
    with translation.override(language):
        html = render_to_string(
            "caseplans/plan_pdf.html",
            {
                "case": case,
                "plan": plan,
                "areas": selectors.needs_by_area(plan),
                "language": language,
            },
        )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    # The reference, not the name, in the file name: a download folder is not encrypted.
    response["Content-Disposition"] = f'attachment; filename="plan-{case.reference}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
