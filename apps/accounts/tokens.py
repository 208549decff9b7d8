"""API tokens (django-rest-knox): made at sign-in, each call a new one, valid for
CASEMGR_API_TOKEN_TTL seconds, and revoked when their user's password, role or activity changes,
at logout, or by the user (docs/security.md, "API tokens")."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from apps.audit.services import audit_record

from . import security
from .models import APIToken, User


def credential_fingerprint(user: User) -> str:
    """A keyed hash of the user's password hash: a new password gives a new one."""
    return salted_hmac("casemgr.api-token", user.password, algorithm="sha256").hexdigest()


def _second_factor_needed(user: User) -> bool:
    # The device comes with the token's query (select_related), so this reads nothing more.
    device = getattr(user, "totp_device", None)
    return security.two_factor_required(user) or bool(device and device.confirmed)


def token_problem(token: APIToken) -> str | None:
    """Why the token no longer works (None: it does). Checked on every request."""
    user = token.user
    if not user.is_active:
        return "inactive"
    if token.expiry is not None and token.expiry <= timezone.now():
        return "expired"
    if token.role != user.role:
        return "role"
    if not constant_time_compare(token.credential, credential_fingerprint(user)):
        return "password"
    if not token.two_factor and _second_factor_needed(user):
        return "second_factor"
    return None


def _per_user() -> int:
    return max(1, int(getattr(settings, "CASEMGR_API_TOKENS_PER_USER", 20)))


@transaction.atomic
def api_token_create(*, user: User, two_factor: bool) -> tuple[APIToken, str]:
    """A new token for a user who has just signed in (`two_factor`: with a code). Returns the
    record and the token itself, which is shown this once and stored only as a hash."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    live = APIToken.objects.filter(user=user)
    live.filter(expiry__lte=timezone.now()).delete()
    keep = list(live.order_by("-created", "-id").values_list("pk", flat=True)[: _per_user() - 1])
    live.exclude(pk__in=keep).delete()
    token, key = APIToken.objects.create(
        user=user,
        role=user.role,
        credential=credential_fingerprint(user),
        two_factor=two_factor,
    )
    audit_record(actor=user, action="login", target=user, details={"api_token": token.pk})
    return token, key


def api_tokens_revoke(*, user: User, reason: str, actor=None) -> int:
    """End every token of the user (password, role or activity changed, or logout everywhere)."""
    deleted, _rows = APIToken.objects.filter(user=user).delete()
    if deleted:
        audit_record(
            actor=actor,
            action="update",
            target=user,
            details={"api_tokens_revoked": deleted, "reason": reason},
        )
    return deleted


def api_token_revoke(*, token: APIToken, actor) -> None:
    """End one token (logout, or the user revoking it from the list)."""
    token_id = token.pk
    token.delete()
    audit_record(
        actor=actor,
        action="update",
        target=token.user,
        details={"api_tokens_revoked": 1, "api_token": token_id},
    )


def api_token_list_for_user(user: User):
    """The user's own live tokens, newest first (never anyone else's)."""
    if not (user and user.is_authenticated):
        return APIToken.objects.none()
    return APIToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created", "-id")
