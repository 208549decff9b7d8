from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from apps.audit.services import audit_record

from .models import User


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    audit_record(actor=user, action="login", target=user)


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="logout", target=user)


@receiver(user_login_failed)
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    # Only the username tried; never the password.
    audit_record(
        actor=None,
        action="login_failed",
        target_type="accounts.user",
        details={"username": str(credentials.get("username", ""))[:150]},
    )


# What ends a user's API tokens when it changes (apps.accounts.tokens checks the same on every
# request, for changes that bypass save()).
REVOKING_FIELDS = ("password", "role", "is_active")


@receiver(pre_save, sender=User)
def _note_token_revocation(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._casemgr_revoke_tokens = None
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(REVOKING_FIELDS):
        return  # the sign-in's last_login, a language: nothing to compare
    before = User.objects.filter(pk=instance.pk).values(*REVOKING_FIELDS).first()
    if before is None:
        return
    if before["password"] != instance.password:
        instance._casemgr_revoke_tokens = "password"
    elif before["role"] != instance.role:
        instance._casemgr_revoke_tokens = "role"
    elif before["is_active"] and not instance.is_active:
        instance._casemgr_revoke_tokens = "deactivated"


@receiver(post_save, sender=User)
def _revoke_tokens(sender, instance, raw=False, **kwargs):
    reason = getattr(instance, "_casemgr_revoke_tokens", None)
    if reason and not raw:
        instance._casemgr_revoke_tokens = None
        from .tokens import api_tokens_revoke

        api_tokens_revoke(user=instance, reason=reason)
