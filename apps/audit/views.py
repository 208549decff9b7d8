from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.core.access import is_global_reader

from . import selectors
from .forms import AuditFilterForm


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
