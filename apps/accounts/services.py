"""Writes on accounts."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.services import audit_record

from .models import User


@transaction.atomic
def user_language_set(*, user: User, language: str) -> User:
    """Remember the user's preferred language."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose English, Russian or Kazakh.")})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
        audit_record(actor=user, action="update", target=user, details={"fields": ["language"]})
    return user


@transaction.atomic
def user_deactivate(*, user: User, actor) -> User:
    """Deactivate an account (someone left): they can no longer sign in; their records stay."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(actor=actor, action="update", target=user, details={"fields": ["is_active"]})
    return user
