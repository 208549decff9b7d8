"""Sign-in protection: the throttle on failures, and TOTP two-factor authentication."""

from datetime import timedelta

import pyotp
import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record

from . import throttle
from .models import TOTPDevice, User

TOTP_ISSUER = "casemgr"


def sign_in_begin(request, *, username: str) -> throttle.Attempt:
    """Let a sign-in attempt (a password or a code) through the throttle, or refuse it with the
    time to wait (apps.accounts.throttle); a refusal is audited and counts for nothing."""
    try:
        return throttle.begin(request, username=username)
    except throttle.SignInThrottled:
        audit_record(
            actor=None,
            action="login_failed",
            target_type="accounts.user",
            details={"username": username[:150], "throttled": True},
        )
        raise


def two_factor_required(user) -> bool:
    """Administrators must use a second factor (a setting, on in production)."""
    return user.role == User.Role.ADMINISTRATOR and getattr(
        settings, "CASEMGR_ADMIN_2FA_REQUIRED", True
    )


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def totp_device_start(*, user) -> TOTPDevice:
    """Begin enrolling an authenticator app: a fresh secret, unconfirmed until a code matches."""
    device, _created = TOTPDevice.objects.select_for_update().get_or_create(
        user=user, defaults={"secret": pyotp.random_base32()}
    )
    if not device.confirmed:
        device.secret = pyotp.random_base32()
        device.save(update_fields=["secret"])
    return device


def _accept(device: TOTPDevice, code: str) -> bool:
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(device.secret)
    now = timezone.now()
    # One step either side tolerates clock drift between the phone and the server.
    for offset in (-1, 0, 1):
        moment = now + timedelta(seconds=30 * offset)
        step = int(moment.timestamp()) // 30
        if step > device.last_used_step and totp.verify(code, for_time=moment, valid_window=0):
            device.last_used_step = step
            device.save(update_fields=["last_used_step"])
            return True
    return False


@transaction.atomic
def totp_device_confirm(*, user, code: str) -> TOTPDevice:
    """Finish enrolment when the code from the app matches."""
    device = TOTPDevice.objects.select_for_update().filter(user=user).first()
    if device is None or not _accept(device, code):
        raise ValidationError(
            {"code": _("That code is not valid. Enter the current 6-digit code.")}
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action="update", target=user, details={"two_factor": "enabled"})
    return device


def second_factor_verify(request, *, user, code: str) -> None:
    """The code step of signing in, through the same throttle as the password: a wrong code
    counts as a failure for the user and the address, and while they must wait no code is
    checked at all, not even the right one (SignInThrottled)."""
    attempt = sign_in_begin(request, username=user.get_username())
    try:
        totp_verify(user=user, code=code)
    except ValidationError:
        attempt.failed()
        raise
    attempt.succeeded()


def totp_verify(*, user, code: str) -> None:
    """Check a sign-in code; a failure is audited like a failed password. Signing in calls it
    through second_factor_verify, which throttles."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        accepted = device is not None and _accept(device, code)
    if not accepted:
        # Outside the transaction above: the failure must be recorded even though we refuse.
        audit_record(
            actor=None,
            action="login_failed",
            target_type="accounts.user",
            details={"username": user.get_username(), "factor": "totp"},
        )
        raise ValidationError(
            {"code": _("That code is not valid. Enter the current 6-digit code.")}
        )


def totp_qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as inline SVG (no image service, nothing leaves the server)."""
    uri = pyotp.TOTP(device.secret).provisioning_uri(
        name=device.user.get_username(), issuer_name=TOTP_ISSUER
    )
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#1b1f24")
