import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST, require_safe
from django.views.i18n import set_language as django_set_language

from . import security, selectors, services
from .forms import LoginForm, OTPForm
from .models import User

PENDING_USER = "casemgr_2fa_pending_user"
PENDING_AT = "casemgr_2fa_pending_at"
PENDING_NEXT = "casemgr_2fa_pending_next"
VERIFIED = "casemgr_2fa_verified"
# The language chosen on the sign-in page, before anyone is signed in: it wins over the saved one.
LOGIN_LANGUAGE = "casemgr_login_language"
PENDING_SECONDS = 300


def _set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def _finish_login(request, user, redirect_to: str, *, verified: bool):
    chosen = request.session.pop(LOGIN_LANGUAGE, None)
    auth_login(request, user, backend="apps.accounts.backends.RoleBackend")
    request.session[VERIFIED] = verified
    if chosen in dict(settings.LANGUAGES):
        services.user_language_set(user=user, language=chosen)
    translation.activate(user.language)
    response = HttpResponseRedirect(redirect_to)
    _set_language_cookie(response, user.language)
    return response


class LoginView(auth_views.LoginView):
    """Sign in (with the second factor where the user has one), in the user's language."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if security.has_confirmed_device(user):
            # The password was right; the session is not signed in until the code is too.
            self.request.session[PENDING_USER] = user.pk
            self.request.session[PENDING_AT] = int(time.time())
            self.request.session[PENDING_NEXT] = self.get_success_url()
            return redirect("accounts:otp_verify")
        return _finish_login(self.request, user, self.get_success_url(), verified=False)


def otp_verify(request):
    """Second step of signing in: the code from the user's authenticator app."""
    user_id = request.session.get(PENDING_USER)
    started = request.session.get(PENDING_AT, 0)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None or time.time() - started > PENDING_SECONDS:
        for key in (PENDING_USER, PENDING_AT, PENDING_NEXT):
            request.session.pop(key, None)
        messages.error(request, _("Your sign-in has expired. Enter your password again."))
        return redirect("accounts:login")
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            security.second_factor_verify(request, user=user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_error("code", exc.message_dict["code"])
            else:  # the throttle: no code was checked
                form.add_error(None, exc)
        else:
            next_url = request.session.get(PENDING_NEXT) or reverse("core:home")
            if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
                next_url = reverse("core:home")
            return _finish_login(request, user, next_url, verified=True)
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
def otp_setup(request):
    """Enrol an authenticator app (required for administrators, available to everyone)."""
    if security.has_confirmed_device(request.user):
        return render(request, "accounts/otp_setup.html", {"enabled": True})
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            security.totp_device_confirm(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc.message_dict["code"])
        else:
            request.session[VERIFIED] = True
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("core:home")
        device = request.user.totp_device
    else:
        device = security.totp_device_start(user=request.user)
    context = {
        "form": form,
        "secret": device.secret,
        "qr_svg": security.totp_qr_svg(device),
        "required": security.two_factor_required(request.user),
    }
    return render(request, "accounts/otp_setup.html", context)


@require_safe
def admin_login(request):
    """The Django admin's sign-in page, replaced: everyone signs in through the sign-in form and
    its code step (the same throttle, the same second factor), then comes back to the admin."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if admin.site.has_permission(request):
            return redirect(next_url)
        # Signed in but not an administrator: back to the admin would come straight here.
        messages.error(request, _("Your account may not use the administration."))
        return redirect("core:home")
    return redirect(f"{reverse('accounts:login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, gettext_lazy("Your password was changed."))
        return response


@require_POST
def set_language(request):
    """Switch the interface language; a signed-in user's choice is remembered for next time."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        try:
            services.user_language_set(user=request.user, language=language)
        except ValidationError:
            messages.error(request, _("Choose English, Russian or Kazakh."))
    elif language in dict(settings.LANGUAGES):
        request.session[LOGIN_LANGUAGE] = language
    return response


@require_GET
@login_required
def team(request):
    """People of the user's organisation (everyone, for administrators and auditors)."""
    users = selectors.user_list_for_user(request.user)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/team.html", {"page": page})
