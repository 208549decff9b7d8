from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.cases.selectors import case_get_for_user
from apps.core.exceptions import WorkflowError
from apps.screening.selectors import latest_valid_screening
from apps.screening.views import case_url

from . import selectors, services
from .forms import (
    DecideForm,
    EnforceForm,
    IdentityCheckForm,
    OverrideForm,
    ProposeForm,
    RemovalFilterForm,
)
from .models import Removal
from .protection import protection_for


def _errors(request, exc: ValidationError) -> None:
    for messages_ in exc.message_dict.values():
        for message in messages_:
            messages.error(request, message)


def _back(case):
    return redirect(case_url(case) or "removals:list")


def _act_on_removal(request, pk: int, *, roles, form_class, service, done: str, invalid: str):
    """The removal page's forms: check the role, run the service with the form's values, say
    what happened, and go back to the removal."""
    if request.user.role not in roles:
        raise PermissionDenied
    removal = selectors.removal_get_for_user(request.user, removal_id=pk, audit=False)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, removal=removal, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        except WorkflowError as exc:
            messages.error(request, str(exc.detail))
        else:
            messages.success(request, done)
    else:
        messages.error(request, invalid)
    return redirect("removals:detail", pk=removal.pk)


@login_required
@require_GET
def removal_list(request):
    """Removals of the cases the user may see, filtered by status."""
    form = RemovalFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    removals = selectors.removal_list_for_user(request.user, filters=filters)
    page = Paginator(removals, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "removals/list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
@require_GET
def removal_detail(request, pk: int):
    """A removal with the screening gate's state and the forms to decide or override it."""
    removal = selectors.removal_get_for_user(request.user, removal_id=pk)
    role = request.user.role
    protection = None
    if not removal.enforced_at:
        protection = protection_for(removal.case, checked=services.checked_persons(removal.case))
    blocked = bool(protection and protection.blocked)
    decide_form = None
    if role in services.DECIDE_ROLES and not removal.is_decided:
        decide_form = DecideForm(initial={"version": removal.version})
        if blocked:
            # Only "no removal" can be decided while the person is flagged (issue 16).
            decide_form.fields["decision"].choices = [
                c for c in Removal.Decision.choices if c[0] == Removal.Decision.NO_REMOVAL
            ]
    enforce_form = None
    if (
        role in services.ENFORCE_ROLES
        and removal.status == Removal.Status.DECIDED_REMOVE
        and not removal.enforced_at
    ):
        enforce_form = EnforceForm(initial={"version": removal.version})
    here = protection.here if protection else None
    return render(
        request,
        "removals/detail.html",
        {
            "removal": removal,
            "case": removal.case,
            "case_url": case_url(removal.case),
            "latest": latest_valid_screening(removal.case),
            "decide_form": decide_form,
            "override_form": OverrideForm(initial={"version": removal.version})
            if role in services.OVERRIDE_ROLES and blocked and not removal.is_decided
            else None,
            "enforce_form": enforce_form,
            "protected_here": here,
            "protection_elsewhere": bool(protection and protection.elsewhere),
            "reflection_until": protection.reflection_until if protection else None,
            "reflection_running": bool(
                protection
                and protection.reflection_until
                and protection.reflection_until >= timezone.localdate()
            ),
            "documents_withheld": services.documents_withheld(removal.case),
            "identity_check_form": IdentityCheckForm()
            if protection and protection.unchecked and role in services.IDENTITY_CHECK_ROLES
            else None,
        },
    )


@login_required
@require_POST
def removal_identity_check(request, pk: int):
    """Record that a flagged possible match elsewhere is not the same person."""
    return _act_on_removal(
        request,
        pk,
        roles=services.IDENTITY_CHECK_ROLES,
        form_class=IdentityCheckForm,
        service=services.identity_check_record,
        done=_("The check is recorded."),
        invalid=_("Write how you checked that they are not the same person."),
    )


@login_required
@require_POST
def removal_propose(request, case_id: int):
    """Propose a removal of the person a case is about (inspectors)."""
    if request.user.role not in services.PROPOSE_ROLES:
        raise PermissionDenied
    case = case_get_for_user(request.user, case_id=case_id, audit=False)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(case)
    try:
        removal = services.removal_propose(actor=request.user, case=case, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
        return _back(case)
    except WorkflowError as exc:
        messages.error(request, str(exc.detail))
        return _back(case)
    if removal.status == removal.Status.SUSPENDED and removal.protection_elsewhere:
        messages.warning(
            request,
            _(
                "The removal is suspended at once: a protection flag for this person exists "
                "elsewhere."
            ),
        )
    elif removal.status == removal.Status.SUSPENDED:
        messages.warning(
            request,
            _(
                "The removal is suspended at once: the person is flagged as a possible, "
                "presumed or identified victim."
            ),
        )
    else:
        messages.success(request, _("The removal is proposed."))
    return redirect("removals:detail", pk=removal.pk)


@login_required
@require_POST
def removal_decide(request, pk: int):
    """Decide a removal, through the screening gate."""
    return _act_on_removal(
        request,
        pk,
        roles=services.DECIDE_ROLES,
        form_class=DecideForm,
        service=services.removal_decide,
        done=_("The removal is decided."),
        invalid=_("Choose a decision."),
    )


@login_required
@require_POST
def removal_override(request, pk: int):
    """An administrator decides a suspended removal, with a justification."""
    return _act_on_removal(
        request,
        pk,
        roles=services.OVERRIDE_ROLES,
        form_class=OverrideForm,
        service=services.removal_override,
        done=_("The override is recorded."),
        invalid=_("Choose the grounds of the override and write the justification."),
    )


@login_required
@require_POST
def removal_enforce(request, pk: int):
    """Record that a decided removal was carried out."""
    return _act_on_removal(
        request,
        pk,
        roles=services.ENFORCE_ROLES,
        form_class=EnforceForm,
        service=services.removal_enforce,
        done=_("The enforcement is recorded."),
        invalid=_("Reload the page and try again."),
    )
