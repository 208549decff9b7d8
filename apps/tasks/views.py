"""The task pages: "My tasks", "Team", and the tasks and follow-ups of the case page (thin)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.cases.selectors import case_get_for_user
from apps.cases.services import assignable_users
from apps.core.access import has_role
from apps.core.exceptions import WorkflowError

from . import selectors, services
from .forms import FollowUpPlanForm, FollowUpRecordForm, TaskFilterForm, TaskForm, apply_errors
from .models import Task

MINE_ROLES = ["caseworker", "inspector", "administrator"]


def _list_context(request, tasks, **extra) -> dict:
    form = TaskFilterForm(request.GET or None)
    if form.is_valid():
        tasks = selectors.task_filter(tasks, form.cleaned_data, user=request.user)
    page = Paginator(tasks.order_by("due_on", "id"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": page,
        "filter_form": form,
        "query": query.urlencode(),
        "today": timezone.localdate(),
        **extra,
    }


@require_GET
@login_required
def task_mine(request):
    """The user's open tasks, the overdue first."""
    if not has_role(request.user, MINE_ROLES):
        raise PermissionDenied
    tasks = selectors.task_list_mine(request.user).filter(status=Task.Status.OPEN)
    return render(request, "tasks/mine.html", _list_context(request, tasks))


@require_GET
@login_required
def task_team(request):
    """The organisation's open tasks."""
    if not selectors.can_see_team(request.user):
        raise PermissionDenied
    tasks = selectors.task_list_team(request.user)
    return render(request, "tasks/team.html", _list_context(request, tasks))


def _back(request, task) -> str:
    target = request.POST.get("next", "")
    if target in {"mine", "team", "home"}:
        return reverse({"mine": "tasks:mine", "team": "tasks:team", "home": "core:home"}[target])
    if task.case_id:
        return reverse("cases:detail", args=[task.case_id]) + "#case-tasks"
    return reverse("tasks:mine")


@require_POST
@login_required
def task_close(request, pk, status):
    """Mark a task done (or cancelled) from a list or the case page."""
    task = selectors.task_get_for_user(request.user, task_id=pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        services.task_update(
            actor=request.user, task=task, version=version, data={"status": status}
        )
    except WorkflowError as exc:
        messages.error(request, str(exc.detail))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The task is done.") if status == "done" else _("The task is cancelled.")
        )
    return redirect(_back(request, task))


def _assignees(case):
    return assignable_users(organization_id=case.organization_id).order_by("last_name", "pk")


@require_http_methods(["GET", "POST"])
@login_required
def case_task_add(request, case_id):
    """Add a manual task on a case; a form with errors is shown again on a page of its own."""
    case = case_get_for_user(request.user, case_id=case_id, audit=False)
    if not services.can_change_case(request.user, case):
        raise PermissionDenied
    form = TaskForm(request.POST or None, assignees=_assignees(case))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.task_create(actor=request.user, case=case, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            except WorkflowError as exc:
                form.add_error(None, str(exc.detail))
                status = 409
            else:
                messages.success(request, _("The task is added."))
                return redirect(reverse("cases:detail", args=[case.pk]) + "#case-tasks")
    return render(request, "tasks/task_form.html", {"case": case, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def case_follow_up_plan(request, case_id):
    """Plan a follow-up on a case."""
    case = case_get_for_user(request.user, case_id=case_id, audit=False)
    if not services.can_change_case(request.user, case):
        raise PermissionDenied
    form = FollowUpPlanForm(request.POST or None, prefix="followup")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.follow_up_plan(actor=request.user, case=case, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            except WorkflowError as exc:
                form.add_error(None, str(exc.detail))
                status = 409
            else:
                messages.success(request, _("The follow-up is planned."))
                return redirect(reverse("cases:detail", args=[case.pk]) + "#case-follow-ups")
    context = {"case": case, "form": form}
    return render(request, "tasks/follow_up_plan.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def follow_up_record(request, pk):
    """Record a planned follow-up as done, and plan the next one."""
    follow_up = selectors.follow_up_get_for_user(request.user, follow_up_id=pk)
    case = follow_up.case
    if not services.can_change_case(request.user, case):
        raise PermissionDenied
    initial = {"version": follow_up.version, "done_on": timezone.localdate()}
    form = FollowUpRecordForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.follow_up_record(
                    actor=request.user, follow_up=follow_up, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except WorkflowError as exc:
                form.add_error(None, str(exc.detail))
                status = 409
            else:
                messages.success(request, _("The follow-up is recorded."))
                return redirect(reverse("cases:detail", args=[case.pk]) + "#case-follow-ups")
    context = {"case": case, "follow_up": follow_up, "form": form}
    return render(request, "tasks/follow_up_record.html", context, status=status)
