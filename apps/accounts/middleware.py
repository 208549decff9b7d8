import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import security

SIGNED_IN_AT = "casemgr_signed_in_at"


class SessionPolicyMiddleware:
    """Sessions end after a fixed time however active they are, and administrators must
    have signed in with a second factor before they do anything else."""

    # Pages an administrator still needs while setting up the second factor.
    ALLOWED_NAMES = ("accounts:otp_setup", "accounts:logout", "accounts:set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.setdefault(SIGNED_IN_AT, int(time.time()))
            max_age = getattr(settings, "CASEMGR_SESSION_MAX_AGE", 12 * 60 * 60)
            if time.time() - started > max_age:
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect("accounts:login")
            if security.two_factor_required(user) and not request.session.get(
                "casemgr_2fa_verified"
            ):
                allowed = {reverse(name) for name in self.ALLOWED_NAMES}
                if request.path not in allowed and not request.path.startswith(
                    settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"
                ):
                    if request.path.startswith("/api/"):
                        return JsonResponse(
                            {"detail": _("Set up two-factor authentication first.")}, status=403
                        )
                    return redirect("accounts:otp_setup")
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and related headers; no caching of pages with personal data."""

    CSP = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    )
    PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.CSP)
        response.setdefault("Permissions-Policy", self.PERMISSIONS)
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
        return response
