from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.fields import EncryptedTextField
from apps.core.models import VersionedModel


class Removal(VersionedModel):
    """A proposed removal (deportation) of the person a case is about, and its decision."""

    class Grounds(models.TextChoices):
        OVERSTAY = "overstay", _("Overstay")
        DOCUMENT_VIOLATION = "document_violation", _("Document violation")
        ILLEGAL_EMPLOYMENT = "illegal_employment", _("Illegal employment")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUSPENDED = "suspended", _("Suspended")
        DECIDED_REMOVE = "decided_remove", _("Decided: remove")
        DECIDED_NO_REMOVAL = "decided_no_removal", _("Decided: no removal")

    class Decision(models.TextChoices):
        REMOVE = "remove", _("Remove")
        NO_REMOVAL = "no_removal", _("No removal")

    class OverrideGrounds(models.TextChoices):
        # Council of Europe Convention art. 13(3): the only reasons not to observe the
        # reflection period.
        PUBLIC_ORDER = "public_order", _("Grounds of public order")
        IMPROPER_CLAIM = "improper_claim", _("Victim status claimed improperly")

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="removals"
    )
    grounds = models.CharField(_("grounds"), max_length=32, choices=Grounds.choices)
    proposed_on = models.DateField(_("proposed on"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    suspended_at = models.DateTimeField(_("suspended"), null=True, blank=True)
    reflection_until = models.DateField(_("reflection period until"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # Suspended because the same person carries a protection flag in another case (issue 15).
    protection_elsewhere = models.BooleanField(_("protection flag elsewhere"), default=False)
    overridden = models.BooleanField(_("overridden"), default=False)
    override_grounds = models.CharField(
        _("override grounds"), max_length=16, choices=OverrideGrounds.choices, blank=True
    )
    # Whether the person was flagged (possible, presumed or identified) when it was decided to
    # remove them: only an override decides that (issue 16; the annual report counts these).
    protected_at_decision = models.BooleanField(_("person flagged at decision"), default=False)
    # The removal carried out (issue 16 item 4): no decided removal is enforced while the person
    # is flagged, unless an override decided it after the latest change of their status.
    enforced_at = models.DateTimeField(_("enforced"), null=True, blank=True, db_index=True)
    enforced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enforced by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # Free text that may name the person: encrypted at rest and erased at retention.
    override_justification = EncryptedTextField(_("override justification"), blank=True)
    # The latest complete screening when the decision was taken, kept for the annual report.
    screening_at_decision = models.ForeignKey(
        "screening.Screening",
        verbose_name=_("screening at decision"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    screened_before_decision = models.BooleanField(
        _("screened before decision"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-proposed_on", "-id"]
        verbose_name = _("removal")
        verbose_name_plural = _("removals")
        indexes = [models.Index(fields=["case", "status"], name="removal_case_status")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(status__in=["decided_remove", "decided_no_removal"])
                    & ~models.Q(decision="")
                    & models.Q(decided_at__isnull=False)
                )
                | (
                    models.Q(status__in=["pending", "suspended"])
                    & models.Q(decision="")
                    & models.Q(decided_at__isnull=True)
                ),
                name="removal_decision_matches_status",
            ),
            models.CheckConstraint(
                condition=models.Q(overridden=False) | ~models.Q(override_justification=""),
                name="removal_override_needs_justification",
            ),
            models.CheckConstraint(
                condition=models.Q(enforced_at__isnull=True) | models.Q(status="decided_remove"),
                name="removal_enforced_only_when_decided_remove",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_grounds_display()} {self.proposed_on}"

    @property
    def is_decided(self) -> bool:
        return self.status in {self.Status.DECIDED_REMOVE, self.Status.DECIDED_NO_REMOVAL}


class IdentityCheck(models.Model):
    """A recorded "checked, not the same person": a flagged person matched the case's person in
    the review band, and a user checked that they are different people (apps/removals/protection.py).
    Without it the removal is not decided; each is audited and counted in the annual report."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="+"
    )
    other_person = models.ForeignKey(
        "cases.Person", verbose_name=_("other person"), on_delete=models.CASCADE, related_name="+"
    )
    removal = models.ForeignKey(
        Removal, verbose_name=_("removal"), on_delete=models.CASCADE, related_name="identity_checks"
    )
    score = models.FloatField(_("match score"))
    reason = models.TextField(_("reason"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked"), auto_now_add=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("identity check")
        verbose_name_plural = _("identity checks")
        constraints = [
            models.UniqueConstraint(fields=["case", "other_person"], name="identity_check_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.other_person_id}"


class RemovalNotification(models.Model):
    """One e-mail sent about a removal; the unique key makes a redelivered task send nothing."""

    removal = models.ForeignKey(
        Removal,
        verbose_name=_("removal"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    key = models.CharField(_("key"), max_length=255, unique=True)
    recipient = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=8)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = _("removal notification")
        verbose_name_plural = _("removal notifications")

    def __str__(self) -> str:
        return self.key
