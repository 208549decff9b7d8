import csv
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.core.access import is_global_reader

from . import selectors
from .forms import AuditFilterForm
from .services import audit_record


@require_GET
@login_required
def audit_list(request):
    """The audit log with filters, for administrators and auditors."""
    if not is_global_reader(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = selectors.audit_list_for_user(request.user, filters=filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "audit/_entries.html" if request.htmx else "audit/list.html"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


class _Echo:
    def write(self, value):
        return value


@require_GET
@login_required
def audit_export(request):
    """The filtered audit log as CSV, for oversight bodies; the export is itself audited."""
    if not is_global_reader(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = selectors.audit_list_for_user(request.user, filters=filters).order_by("id")
    audit_record(
        actor=request.user,
        action="export",
        target_type="audit.auditentry",
        details={"filters": {k: str(v) for k, v in filters.items() if v}},
    )
    columns = [
        "id", "at", "actor_username", "action", "target_type", "target_id", "ip_address",
        "details", "prev_hash", "hash",
    ]  # fmt: skip
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(columns)
        for entry in entries.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    entry.pk,
                    entry.at.isoformat(),
                    entry.actor_username,
                    entry.action,
                    entry.target_type,
                    entry.target_id,
                    entry.ip_address or "",
                    json.dumps(entry.details, ensure_ascii=False, sort_keys=True),
                    entry.prev_hash,
                    entry.hash,
                ]  # fmt: skip
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="casemgr-audit.csv"'
    return response
