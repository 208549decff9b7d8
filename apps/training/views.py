import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.audit.services import audit_record
from apps.core.access import get_or_404
from apps.core.exceptions import WorkflowError

from . import imports, selectors, services
from .certification import certification_months, reminder_days
from .forms import (
    AttendanceForm,
    AttendanceImportForm,
    InspectorFilterForm,
    SessionFilterForm,
    TrainingSessionForm,
)

IMPORT_KEY = "training-import-{}"


def _require_reader(user) -> None:
    if not selectors.can_read_training(user):
        raise PermissionDenied


def _require_manager(user) -> None:
    if not selectors.can_manage_training(user):
        raise PermissionDenied


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
@login_required
def index(request):
    """Inspectors land on their own record; administrators and auditors on the sessions."""
    _require_reader(request.user)
    if request.user.role == "inspector":
        return redirect("training:mine")
    return redirect("training:session_list")


@require_GET
@login_required
def session_list(request):
    """Training sessions with filters (administrators and auditors)."""
    _require_reader(request.user)
    if request.user.role == "inspector":
        return redirect("training:mine")
    form = SessionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    sessions = selectors.session_list_for_user(request.user, filters=filters)
    page = Paginator(sessions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "training/session_list.html",
        {"form": form, "page": page, "query": _query_without_page(request)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def session_create(request):
    """Record a new session (administrators)."""
    _require_manager(request.user)
    form = TrainingSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            session = services.training_session_create(actor=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("training:session_detail", pk=session.pk)
    return render(request, "training/session_form.html", {"form": form, "session": None})


@require_http_methods(["GET", "POST"])
@login_required
def session_edit(request, pk):
    """Change a session's details (administrators); a stale form is refused."""
    _require_manager(request.user)
    session = selectors.session_get_for_user(request.user, session_id=pk)
    form = TrainingSessionForm(
        request.POST or None, instance=session, initial={"version": session.version}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        # The form wrote onto the instance; the service compares against a fresh copy.
        fresh = selectors.session_get_for_user(request.user, session_id=pk)
        try:
            services.training_session_update(
                session=fresh, actor=request.user, version=version, **data
            )
        except WorkflowError as exc:
            form.add_error(None, exc.detail)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("training:session_detail", pk=pk)
    return render(request, "training/session_form.html", {"form": form, "session": session})


def _attendance_context(request, session, form=None, error=""):
    manage = selectors.can_manage_training(request.user)
    if manage and form is None:
        form = AttendanceForm(inspectors=selectors.inspector_choices_for_session(session))
    rows = selectors.attendance_for_session(request.user, session=session)
    return {
        "session": session,
        "attendances": rows,
        "attendance_form": form,
        "can_manage": manage,
        "attendance_error": error,
        "session_held": session.date <= timezone.localdate(),
    }


@require_GET
@login_required
def session_detail(request, pk):
    """A session with its attendance; administrators record attendance here."""
    _require_reader(request.user)
    session = selectors.session_get_for_user(request.user, session_id=pk)
    audit_record(actor=request.user, action="read", target=session)
    return render(request, "training/session_detail.html", _attendance_context(request, session))


def _attendance_response(request, session, form=None, error=""):
    if request.htmx:
        context = _attendance_context(request, session, form=form, error=error)
        return render(request, "training/_attendance.html", context)
    if error:
        messages.error(request, error)
    return redirect("training:session_detail", pk=session.pk)


@require_POST
@login_required
def attendance_add(request, pk):
    """Add (or correct) one inspector's attendance; HTMX swaps the attendance section."""
    _require_manager(request.user)
    session = selectors.session_get_for_user(request.user, session_id=pk)
    form = AttendanceForm(request.POST, inspectors=selectors.inspector_choices_for_session(session))
    if not form.is_valid():
        if request.htmx:
            return _attendance_response(request, session, form=form)
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect("training:session_detail", pk=pk)
    line = services.AttendanceLine(
        inspector=form.cleaned_data["inspector"].pk,
        passed=form.cleaned_data["passed"],
        score=form.cleaned_data["score"],
    )
    try:
        services.attendance_record(session=session, actor=request.user, lines=[line])
    except services.AttendanceInvalid as exc:
        error = " ".join(m for ms in exc.errors[0].values() for m in ms)
        return _attendance_response(request, session, error=error)
    except WorkflowError as exc:
        return _attendance_response(request, session, error=str(exc.detail))
    return _attendance_response(request, session)


@require_POST
@login_required
def attendance_remove(request, pk, attendance_id):
    """Remove an attendance recorded by mistake (administrators)."""
    _require_manager(request.user)
    session = selectors.session_get_for_user(request.user, session_id=pk)
    attendance = get_or_404(
        selectors.attendance_for_session(request.user, session=session), pk=attendance_id
    )
    services.attendance_remove(attendance=attendance, actor=request.user)
    return _attendance_response(request, session)


@require_http_methods(["GET", "POST"])
@login_required
def attendance_import(request, pk):
    """Upload an attendance sheet and see, without saving, what the import would do."""
    _require_manager(request.user)
    session = selectors.session_get_for_user(request.user, session_id=pk)
    form = AttendanceImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(imports.MAX_BYTES + 1)
        result = services.attendance_import(
            session=session, actor=request.user, content=content, dry_run=True
        )
        if result.ok:
            # Kept in the user's session until confirmed; the confirm step checks it again.
            request.session[IMPORT_KEY.format(session.pk)] = {
                "name": upload.name,
                "content": base64.b64encode(content).decode("ascii"),
            }
        else:
            # A rejected sheet must not leave an earlier checked one waiting for confirmation.
            request.session.pop(IMPORT_KEY.format(session.pk), None)
    bad = (form.is_bound and form.errors) or (result is not None and not result.ok)
    return render(
        request,
        "training/import.html",
        {"session": session, "form": form, "result": result},
        status=400 if bad else 200,
    )


@require_POST
@login_required
def attendance_import_confirm(request, pk):
    """Save the checked sheet: every row, or none."""
    _require_manager(request.user)
    session = selectors.session_get_for_user(request.user, session_id=pk)
    stored = request.session.get(IMPORT_KEY.format(session.pk))
    if not stored:
        messages.error(request, _("Upload the sheet again: the checked file was not found."))
        return redirect("training:attendance_import", pk=pk)
    result = services.attendance_import(
        session=session,
        actor=request.user,
        content=base64.b64decode(stored["content"]),
        dry_run=False,
    )
    if not result.saved:
        return render(
            request,
            "training/import.html",
            {"session": session, "form": AttendanceImportForm(), "result": result},
            status=400,
        )
    del request.session[IMPORT_KEY.format(session.pk)]
    count = len(result.rows)
    messages.success(
        request,
        ngettext(
            "%(count)s attendance row was saved.", "%(count)s attendance rows were saved.", count
        )
        % {"count": count},
    )
    return redirect("training:session_detail", pk=pk)


@require_GET
@login_required
def import_template(request, ext):
    """The attendance sheet template, as CSV or XLSX."""
    _require_manager(request.user)
    if ext == "csv":
        response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    elif ext == "xlsx":
        response = HttpResponse(
            imports.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="attendance-template.{ext}"'
    return response


@require_GET
@login_required
def inspector_list(request):
    """Inspectors with their certification status and filters."""
    _require_reader(request.user)
    form = InspectorFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    inspectors = selectors.inspector_list_for_user(request.user, filters=filters)
    page = Paginator(inspectors, 50).get_page(request.GET.get("page"))
    page.object_list = selectors.with_certification(page.object_list)
    template = "training/_inspectors.html" if request.htmx else "training/inspector_list.html"
    return render(
        request,
        template,
        {"form": form, "page": page, "query": _query_without_page(request)},
    )


@require_GET
@login_required
def mine(request):
    """The signed-in inspector's certification and sessions."""
    if request.user.role != "inspector":
        raise PermissionDenied
    today = timezone.localdate()
    until = selectors.certified_until(request.user, today)
    return render(
        request,
        "training/mine.html",
        {
            "attendances": selectors.attendance_of_inspector(request.user),
            "certified_until": until,
            "trained": selectors.inspector_certified_on(user=request.user, on=today),
            "days_left": (until - today).days if until else None,
            "months": certification_months(),
            "reminder_days": reminder_days(),
        },
    )
