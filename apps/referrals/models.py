from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.fields import EncryptedCharField, EncryptedTextField
from apps.core.models import VersionedModel
from apps.core.regions import Region


class ServiceType(models.TextChoices):
    SHELTER = "shelter", _("Shelter")
    LEGAL_AID = "legal_aid", _("Legal aid")
    MEDICAL = "medical", _("Medical care")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    INTERPRETATION = "interpretation", _("Interpretation")
    RETURN_ASSISTANCE = "return_assistance", _("Return assistance")
    REINTEGRATION = "reintegration", _("Reintegration")
    HOTLINE = "hotline", _("Hotline")


class SharedField(models.TextChoices):
    """The fixed set of a person's data a referral may share with the receiving organisation."""

    NAME = "name", _("Name")
    DATE_OF_BIRTH = "date_of_birth", _("Date of birth")
    SEX = "sex", _("Sex")
    CITIZENSHIP = "citizenship", _("Citizenship")
    LANGUAGES = "languages", _("Languages")
    CONTACT = "contact", _("Contact details")
    REGION = "region", _("Region")


# Shared when a client does not choose: enough to receive the person, nothing that is not needed.
DEFAULT_SHARED_FIELDS = [SharedField.NAME, SharedField.SEX, SharedField.LANGUAGES]


class Service(VersionedModel):
    """A service an NGO or other organisation offers to people referred to it."""

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    service_type = models.CharField(_("type of service"), max_length=32, choices=ServiceType)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), default=0, help_text=_("Places or appointments free now.")
    )
    accepting = models.BooleanField(_("accepting referrals"), default=True)
    # Empty means every sex is eligible.
    eligible_sexes = models.JSONField(_("eligible sexes"), default=list, blank=True)
    accepts_adults = models.BooleanField(_("accepts adults"), default=True)
    accepts_minors = models.BooleanField(_("accepts minors"), default=False)
    contact_hours = models.CharField(_("contact hours"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["organization__name", "name", "id"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [models.Index(fields=["service_type", "accepting"], name="service_type_acc")]

    def __str__(self) -> str:
        return f"{self.name} ({self.organization})"

    # Regions and languages live in small tables so that filtering by one of them works the
    # same on SQLite and PostgreSQL; these read the prefetched rows.
    @property
    def regions(self) -> list[str]:
        return sorted(row.region for row in self.region_rows.all())

    @property
    def languages(self) -> list[str]:
        return sorted(row.language for row in self.language_rows.all())

    def get_eligible_sexes_display(self) -> list[str]:
        from apps.cases.models import Sex

        labels = dict(Sex.choices)
        return [str(labels.get(code, code)) for code in self.eligible_sexes]

    def get_regions_display(self) -> list[str]:
        labels = dict(Region.choices)
        return [str(labels.get(code, code)) for code in self.regions]


class ServiceRegion(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="region_rows")
    region = models.CharField(_("region"), max_length=32, choices=Region.choices)

    class Meta:
        verbose_name = _("service region")
        verbose_name_plural = _("service regions")
        constraints = [
            models.UniqueConstraint(fields=["service", "region"], name="service_region_unique")
        ]
        indexes = [models.Index(fields=["region"], name="service_region_idx")]

    def __str__(self) -> str:
        return self.region


class ServiceLanguage(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="language_rows")
    language = models.CharField(_("language"), max_length=8)

    class Meta:
        verbose_name = _("service language")
        verbose_name_plural = _("service languages")
        constraints = [
            models.UniqueConstraint(fields=["service", "language"], name="service_language_unique")
        ]
        indexes = [models.Index(fields=["language"], name="service_language_idx")]

    def __str__(self) -> str:
        return self.language


class Referral(VersionedModel):
    """A case referred to another organisation's service, with the person's informed consent."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Urgency(models.TextChoices):
        ROUTINE = "routine", _("Routine")
        URGENT = "urgent", _("Urgent")

    class ConsentGivenBy(models.TextChoices):
        PERSON = "person", _("The person")
        GUARDIAN = "guardian", _("Parent or guardian")
        LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="referrals"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="referrals"
    )
    sending_organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("sending organisation"),
        on_delete=models.PROTECT,
        related_name="referrals_sent",
    )
    receiving_organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("receiving organisation"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="referrals_sent",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SENT
    )
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    reason = EncryptedTextField(_("reason for the referral"))
    contact_details = EncryptedCharField(_("contact details"), max_length=300, blank=True)
    # Informed consent, recorded before anything is shared (domain.md).
    consent_given_by = models.CharField(
        _("consent given by"),
        max_length=32,
        choices=ConsentGivenBy.choices,
        default=ConsentGivenBy.PERSON,
    )
    consent_given_at = models.DateTimeField(_("consent given at"))
    shared_fields = models.JSONField(_("data that may be shared"), default=list)
    sent_at = models.DateTimeField(_("sent"), db_index=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    decline_reason = EncryptedTextField(_("reason for declining"), blank=True)
    outcome = EncryptedTextField(_("outcome"), blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["receiving_organization", "status"], name="referral_incoming"),
            models.Index(fields=["sending_organization", "status"], name="referral_outgoing"),
            models.Index(fields=["status", "sent_at"], name="referral_status_sent"),
            # The annual report: was this case referred within days of a date?
            models.Index(fields=["case", "sent_at"], name="referral_case_sent"),
            models.Index(fields=["sent_at"], name="referral_sent"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.service.name}"

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.SENT, self.Status.ACCEPTED}

    def get_shared_fields_display(self) -> list[str]:
        labels = dict(SharedField.choices)
        return [str(labels.get(code, code)) for code in self.shared_fields]


class Notification(models.Model):
    """An e-mail sent about a referral; the unique key keeps a redelivered task from resending."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    referral = models.ForeignKey(
        Referral,
        verbose_name=_("referral"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32)
    recipients = models.JSONField(_("recipients"), default=list)
    language = models.CharField(_("language"), max_length=8)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.key


class AssistanceRefusal(models.Model):
    """The person, told of their rights and of the services available, refused assistance.

    With an accepted referral, the other way a flagged person's case may be closed
    (apps/referrals/guards.py).
    """

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="assistance_refusals",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    refused_on = models.DateField(_("refused on"))
    # The caseworker confirms the person was told of their rights and the services available;
    # a refusal without that is not a refusal the close rule accepts.
    informed_of_rights = models.BooleanField(_("informed of rights and services"), default=False)
    notes = EncryptedTextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-refused_on", "-id"]
        verbose_name = _("refusal of assistance")
        verbose_name_plural = _("refusals of assistance")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(informed_of_rights=True), name="refusal_informed_of_rights"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.case}"
