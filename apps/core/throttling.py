"""The client's address, and the API's scoped rate limits (DRF throttles, docs/security.md).

The rates are REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (CASEMGR_API_RATE_* in the environment);
counts live in Django's cache, shared by every process when CACHE_URL names a shared cache.
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


def client_address(request) -> str:
    """REMOTE_ADDR, or with CASEMGR_TRUSTED_PROXIES proxies in front, the address the farthest
    trusted proxy saw (that many entries from the right of X-Forwarded-For: entries further left
    are whatever the client chose to send)."""
    remote = request.META.get("REMOTE_ADDR") or ""
    proxies = int(getattr(settings, "CASEMGR_TRUSTED_PROXIES", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
        if entries:
            return entries[-min(proxies, len(entries))][:64]
    return remote[:64]


class _Throttle(SimpleRateThrottle):
    def get_ident(self, request):
        return client_address(request)

    def _user_or_address(self, request) -> str:
        user = request.user
        if user and user.is_authenticated:
            return f"user-{user.pk}"
        return f"address-{self.get_ident(request)}"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self._user_or_address(request)}


class TokenRateThrottle(_Throttle):
    """POST /api/v1/auth/token/: per client address, whoever the credentials name."""

    scope = "auth_token"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class DuplicateCheckRateThrottle(_Throttle):
    """POST /api/v1/cases/duplicates/: a burst limit per user, under the hourly limit of
    CASEMGR_DUPLICATE_CHECKS_PER_HOUR that every duplicate check counts against
    (apps.cases.selectors.case_duplicate_check)."""

    scope = "duplicate_check"


class SearchRateThrottle(_Throttle):
    """GET /api/v1/cases/?q=...: searches per user (lists without a search are not counted)."""

    scope = "search"

    def allow_request(self, request, view):
        if not request.query_params.get("q", "").strip():
            return True
        return super().allow_request(request, view)
