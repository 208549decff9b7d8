from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from . import security


class LoginForm(AuthenticationForm):
    """Django's sign-in form, through the sign-in throttle (apps.accounts.throttle): while the
    username or the address must wait, the password is not checked at all."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not (username and password):
            return super().clean()
        attempt = security.sign_in_begin(self.request, username=username)
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            attempt.failed()
            raise
        # With a second factor, signing in is complete only when the code is right too.
        attempt.succeeded(complete=not security.has_confirmed_device(self.get_user()))
        return cleaned


class OTPForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
