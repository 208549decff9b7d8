from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record

from . import security


class LoginForm(AuthenticationForm):
    """Django's sign-in form, refusing attempts while the username is locked out."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username:
            try:
                security.login_lockout_check(username=username)
            except forms.ValidationError:
                audit_record(
                    actor=None,
                    action="login_failed",
                    target_type="accounts.user",
                    details={"username": username[:150], "locked": True},
                )
                raise
        return super().clean()


class OTPForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
