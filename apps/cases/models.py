from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import VersionedModel
from apps.core.regions import Region


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Sector(models.TextChoices):
    CONSTRUCTION = "construction", _("Construction")
    AGRICULTURE = "agriculture", _("Agriculture")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    REPAIR_SERVICES = "repair_services", _("Repair shops and services")
    DOMESTIC_WORK = "domestic_work", _("Domestic work")
    TRADE = "trade", _("Trade and markets")
    HOSPITALITY = "hospitality", _("Hospitality")
    TRANSPORT = "transport", _("Transport")
    TIMBER = "timber", _("Timber")
    BEGGING = "begging", _("Forced begging")
    DRUG_CULTIVATION = "drug_cultivation", _("Drug cultivation")
    SEX_INDUSTRY = "sex_industry", _("Sex industry")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class IdentifiedVia(models.TextChoices):
    LABOUR_INSPECTION = "labour_inspection", _("Labour inspection")
    MIGRATION_CONTROL = "migration_control", _("Migration control")
    POLICE = "police", _("Police")
    NGO_OUTREACH = "ngo_outreach", _("NGO outreach")
    HOTLINE = "hotline", _("Hotline")
    SELF_REFERRAL = "self_referral", _("Self-referral")
    BORDER_CHECKPOINT = "border_checkpoint", _("Border checkpoint")
    OTHER = "other", _("Other")


class StayBasis(models.TextChoices):
    EAEU_90_DAYS = "eaeu_90_days", _("EAEU citizen, 90 days")
    VISA_FREE = "visa_free", _("Visa-free stay")
    VISA = "visa", _("Visa")
    TEMPORARY_RESIDENCE_PERMIT = "temporary_residence_permit", _("Temporary residence permit")
    NONE = "none", _("None")
    UNKNOWN = "unknown", _("Unknown")


class RiskLevel(models.TextChoices):
    """Shown in lists; follows the latest complete screening (screening.md)."""

    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    UNKNOWN = "unknown", _("Unknown")
    LOW = "low", _("Low")
    NOT_SCREENED = "not_screened", _("Not screened")


class VictimStatus(models.TextChoices):
    """HTCDS trafficking status, refined by formal identification."""

    NOT_ASSESSED = "not_assessed", _("Not assessed")
    POSSIBLE = "possible", _("Possible victim")
    PRESUMED = "presumed", _("Presumed victim")
    IDENTIFIED = "identified", _("Identified victim")
    NOT_A_VICTIM = "not_a_victim", _("Not a victim")


class Person(VersionedModel):
    """The migrant a case is about."""

    given_name = models.CharField(_("given name"), max_length=150)
    family_name = models.CharField(_("family name"), max_length=150, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    citizenship = models.CharField(
        _("citizenship"), max_length=2, help_text=_("ISO 3166-1 alpha-2")
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class Case(VersionedModel):
    """A migrant's case, owned by one organisation."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    reference = models.CharField(_("reference"), max_length=32, unique=True)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="cases"
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        related_name="assigned_cases",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    region = models.CharField(_("region"), max_length=32, choices=Region.choices)
    sector = models.CharField(
        _("sector"), max_length=32, choices=Sector.choices, default=Sector.UNKNOWN
    )
    identified_via = models.CharField(
        _("identified via"), max_length=32, choices=IdentifiedVia.choices
    )
    entry_date = models.DateField(_("entry date"), null=True, blank=True)
    stay_basis = models.CharField(
        _("stay basis"), max_length=32, choices=StayBasis.choices, default=StayBasis.UNKNOWN
    )
    permit_valid_until = models.DateField(_("permit valid until"), null=True, blank=True)
    risk_level = models.CharField(
        _("risk level"), max_length=16, choices=RiskLevel.choices, default=RiskLevel.NOT_SCREENED
    )
    victim_status = models.CharField(
        _("victim status"),
        max_length=16,
        choices=VictimStatus.choices,
        default=VictimStatus.NOT_ASSESSED,
    )
    # The day victim_status became `identified`: the annual report counts identifications by it.
    identified_on = models.DateField(_("identified on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["organization", "status", "-created_at"], name="case_org_status"),
            models.Index(fields=["region"], name="case_region"),
            models.Index(fields=["risk_level"], name="case_risk"),
        ]

    def __str__(self) -> str:
        return self.reference


class CaseEvent(models.Model):
    """One entry of a case's timeline: what happened, who did it, when."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A code such as "case_opened", "screening_completed", "removal_suspended"; each app
    # registers how its codes read (apps.cases.timeline).
    kind = models.CharField(_("kind"), max_length=50)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [models.Index(fields=["case", "-at"], name="case_event_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d}"
