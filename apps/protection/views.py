from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.cases.selectors import case_get_for_user
from apps.core.exceptions import WorkflowError
from apps.screening.views import case_url

from . import services
from .forms import GroundsForm, IdentificationForm


def _back(case):
    return redirect((case_url(case) or "/") + "#protection")


def _run(request, case, service, form, done):
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(case)
    try:
        service(actor=request.user, case=case, **form.cleaned_data)
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    except WorkflowError as exc:
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, done)
    return _back(case)


@login_required
@require_POST
def grounds_record(request, case_id: int):
    """Record reasonable grounds for the case's person (caseworkers, inspectors)."""
    if not services.can_record_grounds(request.user):
        raise PermissionDenied
    case = case_get_for_user(request.user, case_id=case_id, audit=False)
    return _run(
        request,
        case,
        services.protection_grounds_record,
        GroundsForm(request.POST),
        _("The reasonable grounds are recorded; the person's removals are suspended."),
    )


@login_required
@require_POST
def identification_record(request, case_id: int):
    """Record a competent authority's formal identification of the case's person."""
    if not services.can_record_identification(request.user):
        raise PermissionDenied
    case = case_get_for_user(request.user, case_id=case_id, audit=False)
    return _run(
        request,
        case,
        services.identification_record,
        IdentificationForm(request.POST, request.FILES),
        _("The formal identification is recorded."),
    )


@login_required
def identification_document(request, pk: int):
    """The decision's file, decrypted for whoever may see the person's cases (audited)."""
    from django.http import Http404, HttpResponse

    from apps.audit.services import audit_record
    from apps.core.access import get_or_404
    from apps.core.crypto import decrypt_bytes

    from .selectors import identification_list_for_user

    record = get_or_404(identification_list_for_user(request.user), pk=pk)
    if not record.document:
        raise Http404
    with record.document.open("rb") as stored:
        content = decrypt_bytes(stored.read())
    audit_record(actor=request.user, action="read", target=record, details={"document": True})
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
    response = HttpResponse(content, content_type=record.document_type or "application/pdf")
    name = f"decision-{record.pk}.{extension.get(record.document_type, 'pdf')}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
