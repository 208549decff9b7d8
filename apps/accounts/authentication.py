"""Token authentication of the API: django-rest-knox's, with the checks of apps.accounts.tokens
on every request (expiry, activity, role, password, second factor)."""

import binascii
from hmac import compare_digest

from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions

from . import tokens
from .models import APIToken

PROBLEMS = {
    "expired": _("This token has expired. Ask for a new one."),
    "second_factor": _(
        "This token was made without a second factor, which is now required. Ask for a new one "
        "with the code from your authenticator app."
    ),
}


class TokenAuthentication(KnoxTokenAuthentication):
    """`Authorization: Token <token>`; one query (the token with its user and authenticator)."""

    def authenticate_credentials(self, token):
        invalid = _("Invalid token.")
        try:
            token = token.decode("utf-8")
            digest = hash_token(token)
        except (UnicodeDecodeError, TypeError, binascii.Error) as exc:
            raise exceptions.AuthenticationFailed(invalid) from exc
        candidates = APIToken.objects.filter(
            token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH]
        ).select_related("user", "user__totp_device")
        for auth_token in candidates:
            if compare_digest(digest, auth_token.digest):
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(invalid)

    def validate_user(self, auth_token):
        problem = tokens.token_problem(auth_token)
        if problem is not None:
            # It will never work again: a token that has ended is removed.
            auth_token.delete()
            raise exceptions.AuthenticationFailed(PROBLEMS.get(problem, _("Invalid token.")))
        return (auth_token.user, auth_token)
