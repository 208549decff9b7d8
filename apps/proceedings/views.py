from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.cases.selectors import case_list_for_user
from apps.core.access import has_role
from apps.core.exceptions import WorkflowError

from . import selectors, services
from .forms import ProceedingFilterForm, ProceedingForm

READ_ROLES = {"administrator", "auditor", "caseworker", "inspector"}


def _add_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(None if field not in form.fields else field, errors)


@require_GET
@login_required
def proceeding_list(request):
    """Proceedings the user may see, newest first."""
    if not has_role(request.user, READ_ROLES):
        raise PermissionDenied
    form = ProceedingFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    proceedings = selectors.proceeding_list_for_user(request.user, filters=filters)
    page = Paginator(proceedings, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "proceedings/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_create": has_role(request.user, services.WRITE_ROLES),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def proceeding_create(request):
    """Record a proceeding; a case id in the query string preselects that case."""
    if not has_role(request.user, services.WRITE_ROLES):
        raise PermissionDenied
    initial = {"cases": [request.GET["case"]]} if request.GET.get("case", "").isdigit() else {}
    form = ProceedingForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proceeding = services.proceeding_create(
                user=request.user,
                case_ids=[case.pk for case in data["cases"]],
                reference=data["reference"],
                exploitation=data["exploitation"],
                opened_on=data["opened_on"],
                prosecuted_on=data["prosecuted_on"],
                convicted_on=data["convicted_on"],
                acquitted_on=data["acquitted_on"],
                official_complicity=data["official_complicity"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The proceeding was recorded."))
            return redirect("proceedings:detail", proceeding_id=proceeding.pk)
    return render(request, "proceedings/form.html", {"form": form, "proceeding": None})


@require_GET
@login_required
def proceeding_detail(request, proceeding_id: int):
    """One proceeding with its cases (only those the user may see are linked)."""
    if not has_role(request.user, READ_ROLES):
        raise PermissionDenied
    proceeding = selectors.proceeding_get_for_user(request.user, proceeding_id=proceeding_id)
    visible = case_list_for_user(request.user).filter(proceedings=proceeding).order_by("pk")
    hidden = proceeding.cases.count() - visible.count()
    return render(
        request,
        "proceedings/detail.html",
        {
            "proceeding": proceeding,
            "visible_cases": visible,
            "hidden_cases": hidden,
            "can_edit": selectors.proceeding_can_edit(request.user, proceeding),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def proceeding_edit(request, proceeding_id: int):
    """Change a proceeding's dates, type or cases."""
    proceeding = selectors.proceeding_get_for_user(
        request.user, proceeding_id=proceeding_id, audit=False
    )
    if not selectors.proceeding_can_edit(request.user, proceeding):
        raise PermissionDenied
    form = ProceedingForm(request.POST or None, user=request.user, instance=proceeding)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.proceeding_update(
                user=request.user,
                proceeding=proceeding,
                version=data.pop("version"),
                case_ids=[case.pk for case in data.pop("cases")],
                **data,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except WorkflowError as exc:
            form.add_error(None, str(exc.detail))
        else:
            messages.success(request, _("The proceeding was updated."))
            return redirect("proceedings:detail", proceeding_id=proceeding.pk)
    return render(request, "proceedings/form.html", {"form": form, "proceeding": proceeding})
