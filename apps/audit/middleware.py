from django.conf import settings

from .context import client_ip


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
