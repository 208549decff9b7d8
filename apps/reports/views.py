from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.audit.services import audit_record

from . import exports, selectors, services
from .forms import ReportChooseForm, ReportJobForm, WaiverForm


def _require_reader(request) -> None:
    if not services.can_view_reports(request.user):
        raise PermissionDenied


def _params(request, year=None) -> dict:
    """Year, region and language of the request, or 404/400-style errors as Http404."""
    try:
        return services.report_validate(
            year=year if year is not None else request.GET.get("year"),
            region=request.GET.get("region") or request.POST.get("region"),
            language=request.GET.get("language")
            or request.POST.get("language")
            or translation.get_language(),
        )
    except ValidationError as exc:
        raise Http404(" ".join(exc.messages)) from exc


def _download(report: dict, fmt: str, *, published=None) -> HttpResponse:
    if fmt == "pdf":
        body = exports.render_pdf(report, published=published)
    elif fmt == "xlsx":
        body = exports.render_xlsx(report)
    elif fmt == "csv":
        body = exports.render_csv(report).encode("utf-8")
    else:
        raise Http404
    response = HttpResponse(body, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(report, fmt)}"'
    return response


@require_GET
@login_required
def index(request):
    """Choose a report; recent published reports and background jobs."""
    _require_reader(request)
    today = timezone.localdate()
    choose_form = ReportChooseForm(
        initial={"year": today.year - 1, "language": translation.get_language()}
    )
    job_form = ReportJobForm(
        initial={
            "year_from": today.year - 5,
            "year_to": today.year - 1,
            "language": translation.get_language(),
        }
    )
    return render(
        request,
        "reports/index.html",
        {
            "choose_form": choose_form,
            "job_form": job_form,
            "published": selectors.published_list_for_user(request.user)[:10],
            "jobs": selectors.job_list_for_user(request.user)[:10],
        },
    )


@require_GET
@login_required
def annual_redirect(request):
    """The choose form's target: on to the year's page."""
    _require_reader(request)
    form = ReportChooseForm(request.GET)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("reports:index")
    query = urlencode(
        {"region": form.cleaned_data["region"], "language": form.cleaned_data["language"]}
    )
    return redirect(f"{reverse('reports:annual', args=[form.cleaned_data['year']])}?{query}")


@require_GET
@login_required
def annual(request, year: int):
    """The live report with charts; raw counts for administrators only."""
    _require_reader(request)
    params = _params(request, year)
    report = selectors.report_for_user(request.user, raw=True, **params)
    audit_record(
        actor=request.user,
        action="read",
        target_type="reports.annual",
        target_id=f"{params['year']}:{params['region']}",
        details={"language": params["language"]},
    )
    with translation.override(params["language"]):
        context = exports.context(report)
        context.update(
            {
                "choose_form": ReportChooseForm(initial=params),
                "waiver_form": WaiverForm(),
                "query": urlencode({"region": params["region"], "language": params["language"]}),
            }
        )
        return render(request, "reports/annual.html", context)


@require_GET
@login_required
def annual_download(request, year: int, fmt: str):
    """The live report as PDF, XLSX or CSV; small counts suppressed; audited."""
    _require_reader(request)
    if fmt not in exports.CONTENT_TYPES:
        raise Http404
    params = _params(request, year)
    report = selectors.report_for_user(request.user, raw=False, **params)
    services.report_export_record(user=request.user, fmt=fmt, **params)
    return _download(report, fmt)


@require_POST
@login_required
def publish(request):
    """Freeze the report as an immutable snapshot (administrators)."""
    params = _params(request, request.POST.get("year"))
    published = services.report_publish(user=request.user, **params)
    messages.success(request, _("The report was published."))
    return redirect("reports:published_detail", published_id=published.pk)


@require_POST
@login_required
def waiver(request):
    """Record a waiver of the automatic downgrade for the year (administrators)."""
    # Refused before the form is read, so that others get 403 whatever they send.
    if not services.is_report_administrator(request.user):
        raise PermissionDenied
    params = _params(request, request.POST.get("year"))
    form = WaiverForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.tier_waiver_record(
            user=request.user,
            year=params["year"],
            region=params["region"] or None,
            justification=form.cleaned_data["justification"],
            plan=form.cleaned_data["plan"],
            resources=form.cleaned_data["resources"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The waiver was recorded."))
    query = urlencode({"region": params["region"], "language": params["language"]})
    return redirect(f"{reverse('reports:annual', args=[params['year']])}?{query}")


@require_GET
@login_required
def published_list(request):
    """Every published report, newest first."""
    _require_reader(request)
    return render(
        request,
        "reports/published_list.html",
        {"published": selectors.published_list_for_user(request.user)},
    )


@require_GET
@login_required
def published_detail(request, published_id: int):
    """A published report exactly as it was frozen."""
    _require_reader(request)
    published = selectors.published_get_for_user(request.user, published_id=published_id)
    audit_record(actor=request.user, action="read", target=published)
    with translation.override(published.language):
        context = exports.context(published.data, published=published)
        return render(request, "reports/published_detail.html", context)


@require_GET
@login_required
def published_download(request, published_id: int, fmt: str):
    """A published report as PDF, XLSX or CSV; audited."""
    _require_reader(request)
    if fmt not in exports.CONTENT_TYPES:
        raise Http404
    published = selectors.published_get_for_user(request.user, published_id=published_id)
    services.report_export_record(
        user=request.user,
        year=published.year,
        region=published.region,
        fmt=fmt,
        language=published.language,
        published_id=published.pk,
    )
    return _download(published.data, fmt, published=published)


@require_POST
@login_required
def job_create(request):
    """Queue reports for many years or regions (administrators)."""
    _require_reader(request)
    form = ReportJobForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("reports:index")
    data = form.cleaned_data
    try:
        job = services.report_job_create(
            user=request.user,
            years=list(range(data["year_from"], data["year_to"] + 1)),
            regions=data["regions"] or [""],
            language=data["language"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reports:index")
    return redirect("reports:job_detail", job_id=job.pk)


@require_GET
@login_required
def job_detail(request, job_id: int):
    """A background job's progress; HTMX polls the progress part until it finishes."""
    _require_reader(request)
    job = selectors.job_get_for_user(request.user, job_id=job_id)
    items = [
        {"index": index, "year": year, "region": region}
        for index, (year, region) in enumerate(job.items())
    ]
    context = {"job": job, "items": items[: job.done]}
    if request.htmx:
        return render(request, "reports/_job_progress.html", context)
    return render(request, "reports/job.html", context)


@require_GET
@login_required
def job_download(request, job_id: int, index: int, fmt: str):
    """One report built by a background job, as PDF, XLSX or CSV; audited."""
    _require_reader(request)
    if fmt not in exports.CONTENT_TYPES:
        raise Http404
    job = selectors.job_get_for_user(request.user, job_id=job_id)
    if not 0 <= index < len(job.results):
        raise Http404
    report = job.results[index]
    services.report_export_record(
        user=request.user,
        year=report["year"],
        region=report["region"],
        fmt=fmt,
        language=report["language"],
    )
    return _download(report, fmt)
