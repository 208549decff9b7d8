from django.conf import settings
from django.contrib.admin.utils import unquote

from apps.core.crypto import search_hash

from .context import client_ip
from .services import audit_record


class AuditContextMiddleware:
    """Make the client address known to the services layer for the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = client_ip.set(self._address(request))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)

    @staticmethod
    def _address(request) -> str | None:
        # Behind a reverse proxy, the proxy's address is REMOTE_ADDR; trust the forwarded header
        # only where the deployment says a proxy sets it.
        if getattr(settings, "AUDIT_TRUST_X_FORWARDED_FOR", False):
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
            if forwarded:
                return forwarded.split(",")[0].strip() or None
        return request.META.get("REMOTE_ADDR") or None


# The admin's pages that show records, by the last part of their URL names.
ADMIN_RECORD_VIEWS = {"change", "history", "delete"}
ADMIN_LIST_PARAMETERS = {"q", "p", "o", "_changelist_filters", "_popup", "_to_field", "e"}


class AdminReadAuditMiddleware:
    """Reads in the Django admin are in the audit log like reads anywhere else: a record's
    pages (change, history, delete confirmation) with its id, a list with the ids it showed.
    A search of the list is kept only as a keyed hash, its filters by name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            match is None
            or "admin" not in match.namespaces
            or request.method not in ("GET", "HEAD")
            or response.status_code != 200
        ):
            return response
        model_admin = getattr(match.func, "model_admin", None)
        if model_admin is None or not request.user.is_authenticated:
            return response
        view = (match.url_name or "").rsplit("_", 1)[-1]
        if view in ADMIN_RECORD_VIEWS and "object_id" in match.kwargs:
            self._record_read(request, model_admin, view, match.kwargs["object_id"])
        elif view == "changelist":
            self._list_read(request, model_admin, response)
        return response

    @staticmethod
    def _record_read(request, model_admin, view: str, object_id: str) -> None:
        audit_record(
            actor=request.user,
            action="read",
            target_type=model_admin.model._meta.label_lower,
            target_id=unquote(object_id)[:64],
            details={"admin": view},
        )

    @staticmethod
    def _list_read(request, model_admin, response) -> None:
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is None:
            return
        details = {
            "admin": "changelist",
            "list": [str(obj.pk) for obj in changelist.result_list],
            "count": changelist.result_count,
            "filters": sorted(k for k in request.GET if k not in ADMIN_LIST_PARAMETERS)[:20],
        }
        if changelist.query:
            details["search"] = {"hash": search_hash(changelist.query)}
        audit_record(
            actor=request.user,
            action="read",
            target_type=model_admin.model._meta.label_lower,
            details=details,
        )
