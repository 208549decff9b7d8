"""Sign-in protection: lockout after repeated failures, and TOTP two-factor authentication."""

from datetime import timedelta

import pyotp
import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.audit.models import AuditEntry
from apps.audit.services import audit_record

from .models import TOTPDevice, User

TOTP_ISSUER = "casemgr"


def _max_failures() -> int:
    return getattr(settings, "CASEMGR_LOGIN_MAX_FAILURES", 5)


def _lockout_minutes() -> int:
    return getattr(settings, "CASEMGR_LOGIN_LOCKOUT_MINUTES", 15)


def login_lockout_check(*, username: str) -> None:
    """Refuse a sign-in attempt while the username has too many recent failures."""
    # The audit log already records every failed sign-in, so it is the counter too.
    minutes = _lockout_minutes()
    since = timezone.now() - timedelta(minutes=minutes)
    failures = AuditEntry.objects.filter(
        action="login_failed", at__gte=since, details__username=username[:150]
    ).count()
    if failures >= _max_failures():
        raise ValidationError(
            ngettext(
                "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
                "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
            code="locked",
        )


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


def totp_verify(*, user, code: str) -> None:
    """Check a sign-in code; a failure is audited like a failed password."""
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
