from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .exceptions import StaleVersion
from .signals import versioned_saved


class VersionedModel(models.Model):
    """A record edited by several people: every update must name the version it started from."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def check_version(self, version: int | None) -> None:
        """Refuse an update that started from an older version of this record."""
        if version is not None and int(version) != self.version:
            raise StaleVersion()

    def derived_update_fields(self, update_fields):
        """Fields computed from the ones being saved (search hashes, say) that must go too."""
        return update_fields

    def save_versioned(self, *, update_fields: list[str]) -> None:
        """Save the named fields and bump the version, refusing a concurrent update."""
        # The conditional UPDATE makes the check atomic: two editors holding the same version
        # cannot both succeed, even without a row lock.
        update_fields = self.derived_update_fields(update_fields) or update_fields
        values = {name: getattr(self, name) for name in update_fields}
        updated = (
            type(self)
            ._default_manager.filter(pk=self.pk, version=self.version)
            .update(version=models.F("version") + 1, **values)
        )
        if not updated:
            raise StaleVersion()
        self.version += 1
        versioned_saved.send(type(self), instance=self, update_fields=list(update_fields))


class OutboxMessage(models.Model):
    """A side effect (an e-mail, a report job) written in the transaction of the change that
    causes it, and handed to Celery once that transaction has committed (apps.core.outbox)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        QUEUED = "queued", _("handed to a worker")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    task = models.CharField(_("task"), max_length=200)
    # Ids and codes only, never personal data: the task loads the records itself.
    args = models.JSONField(_("arguments"), default=list)
    key = models.CharField(_("idempotency key"), max_length=255, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Pending: when the next attempt is due. Queued or being sent: when the attempt is presumed
    # lost (the message vanished, the worker died) and the message is handed out again.
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # The exception's class (and SMTP code or errno), never its text, which may name people.
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="core_outbox_due")]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk}"
