from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.selectors import organization_list_for_user
from apps.cases.selectors import case_get_for_user
from apps.core.access import has_role
from apps.core.exceptions import WorkflowError

from . import selectors, services
from .forms import (
    AssistanceRefusalForm,
    CompleteForm,
    DeclineForm,
    MatchFilterForm,
    ReferralForm,
    ServiceFilterForm,
    ServiceForm,
    VersionForm,
    apply_errors,
)
from .models import Referral, Service

REFERRAL_ROLES = ["caseworker", "inspector", "administrator", "auditor"]


def _require(user, roles) -> None:
    if not has_role(user, roles):
        raise PermissionDenied


# --- referrals -----------------------------------------------------------------------------


@require_GET
@login_required
def referral_list(request):
    """Incoming and outgoing referrals of the user's organisation (all, for oversight)."""
    _require(request.user, REFERRAL_ROLES)
    global_reader = request.user.organization_id is None
    box = request.GET.get("box")
    if box not in {"incoming", "outgoing"}:
        box = None if global_reader else "incoming"
    referrals = selectors.referral_list_for_user(request.user, box=box)
    status = request.GET.get("status")
    if status in Referral.Status.values:
        referrals = referrals.filter(status=status)
    page = Paginator(referrals, 50).get_page(request.GET.get("page"))
    selectors.referral_list_read_record(request.user, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "box": box,
        "status": status,
        "statuses": Referral.Status.choices,
        "query": query.urlencode(),
        "global_reader": global_reader,
    }
    return render(request, "referrals/list.html", context)


def _detail_context(request, referral, **forms) -> dict:
    user = request.user
    shared_only = selectors.referral_sees_shared_only(user, referral)
    return {
        "referral": referral,
        "shared_only": shared_only,
        "person": selectors.referral_shared_person(referral) if shared_only else None,
        "can_answer": services.referral_can_answer(user, referral),
        "can_withdraw": services.referral_can_withdraw(user, referral) and referral.is_open,
        "decline_form": forms.get("decline_form")
        or DeclineForm(initial={"version": referral.version}),
        "complete_form": forms.get("complete_form")
        or CompleteForm(initial={"version": referral.version}),
        "version_form": VersionForm(initial={"version": referral.version}),
    }


@require_GET
@login_required
def referral_detail(request, pk):
    """One referral: the receiving side sees only what the person consented to share."""
    referral = selectors.referral_get_for_user(request.user, referral_id=pk)
    return render(request, "referrals/detail.html", _detail_context(request, referral))


def _act(request, pk, action, form_class=None, form_name=None):
    referral = selectors.referral_get_for_user(request.user, referral_id=pk, audit=False)
    form = (form_class or VersionForm)(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        action(referral, data)
    except WorkflowError as exc:
        messages.error(request, str(exc.detail))
    except ValidationError as exc:
        apply_errors(form, exc)
        context = _detail_context(request, referral, **{form_name: form} if form_name else {})
        return render(request, "referrals/detail.html", context, status=400)
    return redirect("referrals:detail", pk=pk)


@require_POST
@login_required
def referral_accept(request, pk):
    def act(referral, data):
        services.referral_accept(actor=request.user, referral=referral, version=data.get("version"))
        messages.success(request, _("You accepted the referral."))

    return _act(request, pk, act)


@require_POST
@login_required
def referral_decline(request, pk):
    def act(referral, data):
        services.referral_decline(
            actor=request.user,
            referral=referral,
            reason=data.get("reason", ""),
            version=data.get("version"),
        )
        messages.success(request, _("You declined the referral."))

    return _act(request, pk, act, DeclineForm, "decline_form")


@require_POST
@login_required
def referral_complete(request, pk):
    def act(referral, data):
        services.referral_complete(
            actor=request.user,
            referral=referral,
            outcome=data.get("outcome", ""),
            version=data.get("version"),
        )
        messages.success(request, _("You recorded the referral as completed."))

    return _act(request, pk, act, CompleteForm, "complete_form")


@require_POST
@login_required
def referral_withdraw(request, pk):
    def act(referral, data):
        services.referral_withdraw(
            actor=request.user, referral=referral, version=data.get("version")
        )
        messages.success(request, _("You withdrew the referral."))

    return _act(request, pk, act)


@require_http_methods(["GET", "POST"])
@login_required
def case_refer(request, case_id):
    """Suggested services for a case, and the form that refers the person to one of them."""
    _require(request.user, ["caseworker", "inspector"])
    case = case_get_for_user(request.user, case_id=case_id, audit=request.method == "GET")
    filter_form = MatchFilterForm(request.GET or None)
    service_type = filter_form.cleaned_data.get("service_type") if filter_form.is_valid() else None
    service = None
    form = None
    if request.method == "POST":
        form = ReferralForm(request.POST)
        if form.is_valid():
            service = _service_or_none(request, form.cleaned_data["service"])
            try:
                if service is None:
                    raise ValidationError({"service": [_("Choose a service from the directory.")]})
                referral = services.referral_send(
                    actor=request.user,
                    case=case,
                    service=service,
                    consent_given=form.cleaned_data["consent_given"],
                    consent_given_by=form.cleaned_data["consent_given_by"],
                    shared_fields=form.cleaned_data["shared_fields"],
                    contact_details=form.cleaned_data["contact_details"],
                    reason=form.cleaned_data["reason"],
                    urgency=form.cleaned_data["urgency"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except WorkflowError as exc:
                form.add_error(None, str(exc.detail))
            else:
                messages.success(request, _("The referral was sent."))
                url = reverse("referrals:detail", args=[referral.pk])
                if request.htmx:
                    return HttpResponse(status=204, headers={"HX-Redirect": url})
                return redirect(url)
    elif request.GET.get("service"):
        service = _service_or_none(request, request.GET["service"])
        if service is not None:
            form = ReferralForm(initial={"service": service.pk})
    context = {
        "case": case,
        "service": service,
        "form": form,
        "filter_form": filter_form,
        "matches": selectors.service_matches_for_case(
            request.user, case=case, service_type=service_type
        ),
    }
    if request.htmx and form is not None:
        return render(request, "referrals/_refer_form.html", context, status=200)
    return render(
        request,
        "referrals/refer.html",
        context,
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
@login_required
def case_refusal_record(request, case_id):
    """Record, from the case page, that the person refuses assistance; a form with errors is
    shown again on a page of its own."""
    if not services.assistance_refusal_role_allowed(request.user):
        raise PermissionDenied
    case = case_get_for_user(request.user, case_id=case_id, audit=False)
    form = AssistanceRefusalForm(request.POST, prefix="refusal")
    status = 400
    if form.is_valid():
        try:
            services.assistance_refusal_record(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except WorkflowError as exc:
            form.add_error(None, str(exc.detail))
            status = 409
        else:
            messages.success(request, _("The refusal of assistance is recorded."))
            return redirect(reverse("cases:detail", args=[case.pk]) + "#case-refusals")
    context = {"case": case, "form": form}
    return render(request, "referrals/refusal_form.html", context, status=status)


def _service_or_none(request, service_id):
    try:
        return selectors.service_list_for_user(request.user).get(pk=int(service_id))
    except (ValueError, TypeError, Service.DoesNotExist):
        return None


# --- the service directory -----------------------------------------------------------------


def _may_add_service(user) -> bool:
    return has_role(user, ["administrator"]) or (
        has_role(user, ["caseworker", "inspector"]) and user.organization_id is not None
    )


@require_GET
@login_required
def service_list(request):
    """The directory of services, with filters."""
    form = ServiceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.service_list_for_user(request.user, filters=filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    editable = {
        s.pk for s in page.object_list if services.service_can_edit(request.user, s.organization_id)
    }
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "editable": editable,
        "may_add": _may_add_service(request.user),
    }
    template = "referrals/_services.html" if request.htmx else "referrals/services.html"
    return render(request, template, context)


def _organizations_for(user):
    if has_role(user, ["administrator"]):
        return organization_list_for_user(user)
    return None


@require_http_methods(["GET", "POST"])
@login_required
def service_create(request):
    """Add a service of the user's organisation to the directory."""
    if not _may_add_service(request.user):
        raise PermissionDenied
    organizations = _organizations_for(request.user)
    form = ServiceForm(
        request.POST or None,
        organizations=organizations,
        initial={"accepting": True, "accepts_adults": True, "capacity": 0},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        organization = data.pop("organization", None) or request.user.organization
        try:
            service = services.service_create(actor=request.user, organization=organization, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The service was added to the directory."))
            return redirect(f"{reverse('referrals:services')}?service_type={service.service_type}")
    status = 400 if form.errors else 200
    return render(request, "referrals/service_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def service_edit(request, pk):
    """Keep a service's details current; only its organisation or an administrator may."""
    service = selectors.service_get_for_user(request.user, service_id=pk)
    if not services.service_can_edit(request.user, service.organization_id):
        raise PermissionDenied
    initial = {
        "service_type": service.service_type,
        "name": service.name,
        "description": service.description,
        "regions": service.regions,
        "languages": ", ".join(service.languages),
        "capacity": service.capacity,
        "accepting": service.accepting,
        "eligible_sexes": service.eligible_sexes,
        "accepts_adults": service.accepts_adults,
        "accepts_minors": service.accepts_minors,
        "contact_hours": service.contact_hours,
        "version": service.version,
    }
    form = ServiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            services.service_update(actor=request.user, service=service, version=version, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except WorkflowError as exc:
            form.add_error(None, str(exc.detail))
        else:
            messages.success(request, _("The service was updated."))
            return redirect("referrals:services")
    status = 400 if form.errors else 200
    context = {"form": form, "service": service}
    return render(request, "referrals/service_form.html", context, status=status)
