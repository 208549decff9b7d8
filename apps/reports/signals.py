"""Drop the kept metrics of earlier years when a change could alter them (history.py)."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from apps.accounts.models import Organization, User
from apps.cases.models import Case
from apps.core.signals import versioned_saved
from apps.proceedings.models import Proceeding
from apps.protection.models import Identification
from apps.referrals.models import Referral
from apps.removals.models import Removal
from apps.screening.models import Screening
from apps.training.models import Attendance, TrainingSession

from .history import history_invalidate

# Rare changes that can touch any year: drop everything kept.
EVERY_YEAR = (Proceeding,)
# Training counts in its session's year and, through certification, in the years after it.
TRAINING = (TrainingSession, Attendance)
# Records counted in the year of their own dates: drop those years.
DATED = {
    Screening: ("completed_at",),
    Removal: ("decided_at", "suspended_at", "enforced_at"),
    Identification: ("decided_on",),
    Referral: ("sent_at", "accepted_at", "completed_at"),
    Case: ("identified_on",),
}
# Fields that move counts between regions, or people in and out of the inspectors: a change
# of one of them drops every year.
STRUCTURAL = {
    Case: ("region",),
    Organization: ("region", "kind"),
    User: ("role", "is_active", "organization", "date_joined"),
}


def _year(value) -> int | None:
    if isinstance(value, datetime):
        return timezone.localtime(value).year
    if isinstance(value, date):
        return value.year
    return None


def _attnames(model, names) -> list[str]:
    return [model._meta.get_field(name).attname for name in names]


def _watched(model, update_fields) -> list[str]:
    names = STRUCTURAL.get(model, ())
    if update_fields is None:
        return list(names)
    given = {model._meta.get_field(f).name for f in update_fields}
    return [name for name in names if name in given]


def before_save(sender, instance, update_fields=None, raw=False, **kwargs):
    """Remember the structural values a full save of an existing record may change."""
    if raw or instance._state.adding or instance.pk is None:
        return
    watched = _attnames(sender, _watched(sender, update_fields))
    if watched:
        instance._report_before = (
            sender._default_manager.filter(pk=instance.pk).values(*watched).first() or {}
        )


def _structure_changed(sender, instance) -> bool:
    before = instance.__dict__.pop("_report_before", None) or {}
    return any(getattr(instance, attname) != value for attname, value in before.items())


def _dated(sender, instance, update_fields) -> None:
    fields = [f for f in DATED.get(sender, ()) if update_fields is None or f in set(update_fields)]
    years = {_year(getattr(instance, f)) for f in fields} - {None}
    history_invalidate(years)


def _inspector_years(instance) -> None:
    """A new or removed inspector: the years from the one they joined in."""
    # An inspector counts at the end of every year from the one they joined in.
    if instance.role == "inspector":
        this_year = timezone.localdate().year
        joined = _year(instance.date_joined) or this_year
        history_invalidate(range(joined, this_year + 1))


def _training(instance) -> None:
    session = instance if isinstance(instance, TrainingSession) else instance.session
    history_invalidate(range(session.date.year, timezone.localdate().year + 1))


def on_save(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    if raw:  # fixtures
        return
    if sender in TRAINING:
        _training(instance)
    elif sender in EVERY_YEAR or _structure_changed(sender, instance):
        history_invalidate()
    elif sender is User and created:
        _inspector_years(instance)
    else:
        _dated(sender, instance, update_fields)


def on_versioned_save(sender, instance, update_fields, **kwargs):
    # The services name only the fields that changed.
    if sender in TRAINING:
        _training(instance)
    elif sender in EVERY_YEAR or _watched(sender, update_fields):
        history_invalidate()
    else:
        _dated(sender, instance, update_fields)


def on_delete(sender, instance, **kwargs):
    if sender in TRAINING:
        _training(instance)
    elif sender in EVERY_YEAR or sender in (Case, Organization):
        history_invalidate()
    elif sender is User:
        _inspector_years(instance)
    else:
        _dated(sender, instance, None)


def on_proceeding_cases(sender, action, **kwargs):
    if action.startswith("post_"):
        history_invalidate()


def connect() -> None:
    for model in (*EVERY_YEAR, *TRAINING, *DATED, User, Organization):
        uid = f"reports-history-{model._meta.label_lower}"
        if model in STRUCTURAL:
            pre_save.connect(before_save, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(on_save, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(on_delete, sender=model, dispatch_uid=f"{uid}-delete")
        versioned_saved.connect(on_versioned_save, sender=model, dispatch_uid=f"{uid}-ver")
    m2m_changed.connect(
        on_proceeding_cases, sender=Proceeding.cases.through, dispatch_uid="reports-history-m2m"
    )
