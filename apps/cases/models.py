from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, validate_email
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import search_hash
from apps.core.fields import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedJSONField,
    EncryptedTextField,
)
from apps.core.models import VersionedModel
from apps.core.regions import Region

from .validators import (
    validate_country,
    validate_currency,
    validate_languages,
    validate_not_future,
)


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
    # EAEU Treaty art. 97(5): an EAEU worker stays for the contract's term (its end goes in
    # permit_valid_until).
    EAEU_EMPLOYMENT_CONTRACT = "eaeu_employment_contract", _("EAEU worker, employment contract")
    PATENT = "patent", _("Patent")
    WORK_PERMIT = "work_permit", _("Work permit")
    # Kazakhstan grants foreign victims of trafficking temporary residence with the right to
    # work (Law 110-VIII; CoE Convention art. 14).
    VICTIM_RESIDENCE_PERMIT = (
        "victim_residence_permit",
        _("Temporary residence of a victim of trafficking"),
    )
    REGISTRATION = "registration", _("Registration at the place of stay")
    NONE = "none", _("None")
    UNKNOWN = "unknown", _("Unknown")


class HostCountry(models.TextChoices):
    KAZAKHSTAN = "KZ", _("Kazakhstan")
    RUSSIA = "RU", _("Russia")


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


class DebtCreditor(models.TextChoices):
    """Whom a recruitment debt is owed to: the screening catalogue's debt_creditors codes."""

    EMPLOYER = "employer", _("Employer")
    RECRUITER = "recruiter", _("Recruiter")
    INTERMEDIARY = "intermediary", _("Intermediary")
    OTHER = "other", _("Other")


class Person(VersionedModel):
    """The migrant a case is about."""

    # Names, date of birth and contact details are encrypted at rest (issue: a leaked database
    # must not expose victims); the *_hash columns keep exact-match search and duplicate checks.
    given_name = EncryptedCharField(_("given name"), max_length=150)
    family_name = EncryptedCharField(_("family name"), max_length=150, blank=True)
    middle_name = EncryptedCharField(_("patronymic"), max_length=150, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = EncryptedDateField(
        _("date of birth"), null=True, blank=True, validators=[validate_not_future]
    )
    citizenship = models.CharField(
        _("citizenship"),
        max_length=2,
        help_text=_("ISO 3166-1 alpha-2"),
        validators=[validate_country],
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, validators=[validate_languages]
    )
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True)
    email = EncryptedCharField(_("e-mail"), max_length=254, blank=True, validators=[validate_email])
    address = EncryptedCharField(_("current address"), max_length=300, blank=True)
    # A ban on re-entry after expulsion or removal (Russia 114-FZ art. 27: 5 years), shown on
    # the case so that nobody advises a return the ban forbids.
    entry_ban_country = models.CharField(
        _("re-entry ban: country"), max_length=2, choices=HostCountry.choices, blank=True
    )
    entry_ban_until = models.DateField(_("re-entry ban until"), null=True, blank=True)
    # The person's protection status (issue 16; apps/protection, docs/protection.md): raised by
    # a flagging screening or recorded grounds, never lowered except by a formal identification
    # of `not_a_victim` (apps.protection.models.Identification). Written only by
    # apps.protection.services; the cases' victim_status mirrors it.
    protection_status = models.CharField(
        _("protection status"),
        max_length=16,
        choices=VictimStatus.choices,
        default=VictimStatus.NOT_ASSESSED,
        db_index=True,
        editable=False,
    )
    # The day reasonable grounds first arose, and the end of the recovery and reflection period
    # counted from it (Council of Europe Convention art. 13: at least 30 days).
    grounds_on = models.DateField(
        _("reasonable grounds since"), null=True, blank=True, editable=False
    )
    reflection_until = models.DateField(
        _("reflection period until"), null=True, blank=True, editable=False
    )
    protection_changed_at = models.DateTimeField(
        _("protection status changed"), null=True, blank=True, editable=False
    )
    given_name_hash = models.CharField(max_length=64, blank=True, editable=False)
    family_name_hash = models.CharField(max_length=64, blank=True, editable=False)
    middle_name_hash = models.CharField(max_length=64, blank=True, editable=False)
    date_of_birth_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # encrypted field -> the column holding its keyed hash
    SEARCH_HASHES = {
        "given_name": "given_name_hash",
        "family_name": "family_name_hash",
        "middle_name": "middle_name_hash",
        "date_of_birth": "date_of_birth_hash",
    }

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        # The search's people by name, ids read from the index alone (no visit to the rows of
        # 15,000 people sharing a common surname; docs/benchmarks.md); on SQLite, without the
        # INCLUDE, plain indexes of the hashes. They are the hashes' only indexes: a plain one
        # and its `_like` twin beside each would be 125 MB more to write at 1M for nothing.
        indexes = [
            models.Index(fields=[f"{n}_hash"], include=["id"], name=f"person_{n}_hash_id")
            for n in ("given_name", "family_name", "middle_name")
        ] + [models.Index(fields=["id"], include=["citizenship"], name="person_id_citizenship")]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        kwargs["update_fields"] = self.derived_update_fields(update_fields)
        super().save(*args, **kwargs)
        if self.match_keys_stale(update_fields):
            from .matching import person_keys_refresh

            person_keys_refresh(self)

    def derived_update_fields(self, update_fields):
        """Refresh the search hashes of the fields being saved, and save them too."""
        sources = (
            self.SEARCH_HASHES
            if update_fields is None
            else {f: h for f, h in self.SEARCH_HASHES.items() if f in update_fields}
        )
        for field, hash_field in sources.items():
            value = getattr(self, field)
            text = value.isoformat() if hasattr(value, "isoformat") else (value or "")
            setattr(self, hash_field, search_hash(text))
        if update_fields is None:
            return None
        return [*update_fields, *(h for h in sources.values() if h not in update_fields)]

    MATCHED_FIELDS = frozenset({"given_name", "family_name", "middle_name", "date_of_birth"})

    def match_keys_stale(self, update_fields) -> bool:
        """Whether a save of `update_fields` changes what the cross-script matcher keys on."""
        return update_fields is None or bool(self.MATCHED_FIELDS & set(update_fields))

    @property
    def full_name(self) -> str:
        return " ".join(n for n in (self.family_name, self.given_name, self.middle_name) if n)


class PersonMatchKey(models.Model):
    """A keyed hash under which the cross-script matcher finds a person (apps/cases/matching.py,
    docs/identity.md): name skeletons with the birth year, both names, each name's words. Only
    HMACs of CASEMGR_SEARCH_KEY are stored, never a skeleton or a name."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="match_keys"
    )
    key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("person match key")
        verbose_name_plural = _("person match keys")
        constraints = [
            models.UniqueConstraint(fields=["key", "person"], name="person_match_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.key[:8]}"


class PersonLink(models.Model):
    """Two person records of one migrant, joined by a user (issue 15 item 6; docs/identity.md).

    A link keeps both records and makes them one person for protection and the annual report;
    a merge moves every case of `person` to `other` (their events, documents, screenings,
    referrals, removals and proceedings go with the cases) and lists the cases moved, so that
    undoing it moves exactly them back. Undone links are kept, with who undid them and when."""

    class Kind(models.TextChoices):
        LINK = "link", _("Link")
        MERGE = "merge", _("Merge")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    other = models.ForeignKey(
        Person, verbose_name=_("same person as"), on_delete=models.PROTECT, related_name="+"
    )
    moved_cases = models.JSONField(_("cases moved"), default=list, blank=True)
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("person link")
        verbose_name_plural = _("person links")
        indexes = [
            models.Index(fields=["person"], name="person_link_person"),
            models.Index(fields=["other"], name="person_link_other"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person_id}→{self.other_id}"


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
    entry_date = models.DateField(
        _("entry date"), null=True, blank=True, validators=[validate_not_future]
    )
    stay_basis = models.CharField(
        _("stay basis"), max_length=32, choices=StayBasis.choices, default=StayBasis.UNKNOWN
    )
    permit_valid_until = models.DateField(_("permit valid until"), null=True, blank=True)
    # Where the person crossed can locate them and whoever brought them: encrypted like the
    # address (issue 18).
    border_crossing_point = EncryptedCharField(
        _("border crossing point"), max_length=120, blank=True
    )
    # A debt for recruitment, travel or documents (HTCDS "debt bondage"): the screening's
    # debt questions start from it.
    recruitment_debt_amount = models.DecimalField(
        _("recruitment debt amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    recruitment_debt_currency = models.CharField(
        _("recruitment debt currency"), max_length=3, blank=True, validators=[validate_currency]
    )
    recruitment_debt_creditor = models.CharField(
        _("recruitment debt owed to"), max_length=16, blank=True, choices=DebtCreditor.choices
    )
    # The person's citizenship, kept on the case by the services (case_open, case_update) so
    # that the list filters it with the risk level from one index, newest first, instead of
    # probing the person of every high-risk case in the country (docs/benchmarks.md).
    citizenship = models.CharField(_("citizenship"), max_length=2, blank=True, editable=False)
    # Stored (recomputed by the services when the stay facts or the rules change) so that lists
    # filter overstays with an index instead of computing them row by row.
    legal_stay_until = models.DateField(_("legal stay until"), null=True, blank=True, db_index=True)
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
    outcome = EncryptedTextField(_("outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Set when the retention period removed the personal data (apps.cases.retention).
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["organization", "status", "-created_at"], name="case_org_status"),
            # With the ids, so that "the region's cases" is read from the index alone (the
            # annual report's regional figures).
            models.Index(fields=["region"], include=["id"], name="case_region"),
            models.Index(fields=["risk_level"], name="case_risk"),
            # A page's ids in the list's order, read from the index alone with the person
            # (a name search probes the name's people with it; selectors.case_list_page):
            # nationally and within an organisation.
            models.Index(
                fields=["-created_at", "-id"], include=["person"], name="case_created_person"
            ),
            models.Index(
                fields=["organization", "-created_at", "-id"],
                include=["person"],
                name="case_org_created",
            ),
            # The annual report's identified victims of a year.
            models.Index(
                fields=["identified_on"],
                condition=models.Q(identified_on__isnull=False),
                name="case_identified_on",
            ),
            # A name search within an organisation: its cases of the matching people, read
            # from the index alone (docs/benchmarks.md).
            models.Index(fields=["organization", "person"], name="case_org_person"),
            # The cases a caseworker's name search finds in CaseNameKey, by id: counted and
            # ordered from the index alone, without visiting their rows (docs/benchmarks.md).
            models.Index(
                fields=["id"],
                include=["organization", "created_at", "person"],
                name="case_id_org_created",
            ),
            # Counts of the commonest national filters, read from the index alone.
            models.Index(fields=["region", "status"], name="case_region_status"),
            models.Index(fields=["victim_status"], name="case_victim_status"),
            models.Index(fields=["risk_level", "person"], name="case_risk_person"),
            models.Index(
                fields=["citizenship", "risk_level", "-created_at", "-id"],
                name="case_citizenship_risk",
            ),
            # An organisation's list counted from the index alone whatever its filters: its
            # 15,000 entries carry the filtered columns, so a count does not read 15,000 rows.
            models.Index(
                fields=["organization"],
                include=[
                    "status",
                    "risk_level",
                    "sector",
                    "region",
                    "victim_status",
                    "legal_stay_until",
                    "assigned_to",
                    "citizenship",
                ],
                name="case_org_filters",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    # What the name search's table copies from the case (CaseNameKey): a change refreshes it.
    NAME_KEY_FIELDS = frozenset({"person", "person_id", "organization", "organization_id"})

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        super().save(*args, **kwargs)
        if update_fields is None or self.NAME_KEY_FIELDS & set(update_fields):
            from .matching import case_name_keys_refresh

            case_name_keys_refresh([self])

    def save_versioned(self, *, update_fields: list[str]) -> None:
        super().save_versioned(update_fields=update_fields)
        if self.NAME_KEY_FIELDS & set(update_fields):
            from .matching import case_name_keys_refresh

            case_name_keys_refresh([self])

    def clean(self):
        super().clean()
        errors = {}
        if self.recruitment_debt_amount is not None:
            if not self.recruitment_debt_currency:
                errors["recruitment_debt_currency"] = _("Give the currency of the debt amount.")
        else:
            for name in ("recruitment_debt_currency", "recruitment_debt_creditor"):
                if getattr(self, name):
                    errors[name] = _("Enter the amount of the debt.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_recruitment_debt(self) -> bool:
        return self.recruitment_debt_amount is not None

    def overstay_days_on(self, today: date) -> int:
        from .stay import overstay_days

        return overstay_days(self.legal_stay_until, today=today)

    @property
    def overstay_days(self) -> int:
        """Days beyond the legal stay, as of today in the server's time zone."""
        return self.overstay_days_on(timezone.localdate())

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class CaseNameKey(models.Model):
    """A case under the keyed hash of the skeleton of one word of its person's names, with the
    case's organisation (apps/cases/matching.py, docs/identity.md): a caseworker's name search
    is one range of (key, organisation) instead of the hash of every person of the name in the
    country probed with each of the organisation's cases (docs/benchmarks.md). Only HMACs of
    CASEMGR_SEARCH_KEY, the same `word:` keys as PersonMatchKey; kept in step by Case.save,
    Person.save (person_keys_refresh), anonymisation and persons_reindex."""

    key = models.CharField(max_length=64)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="name_keys"
    )

    class Meta:
        verbose_name = _("case name key")
        verbose_name_plural = _("case name keys")
        constraints = [
            # The search reads (key, organisation) and gets the case ids from the index alone.
            models.UniqueConstraint(
                fields=["key", "organization", "case"], name="case_name_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.key[:8]}"


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
    # Events carry old and new values of personal fields: encrypted like the fields themselves.
    data = EncryptedJSONField(_("data"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [models.Index(fields=["case", "-at"], name="case_event_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d}"


class ReferenceCounter(models.Model):
    """The last case number used per prefix and year; references are numbered from it."""

    prefix = models.CharField(max_length=16)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="reference_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class StayRule(models.Model):
    """How long a citizenship group may stay in a host country on a stay basis (docs/cases.md):
    the earliest of its caps is the last legal day."""

    name = models.CharField(_("name"), max_length=120)
    host_country = models.CharField(
        _("host country"),
        max_length=2,
        choices=HostCountry.choices,
        blank=True,
        help_text=_("Leave empty for any host country."),
    )
    citizenships = models.JSONField(
        _("citizenships"),
        default=list,
        blank=True,
        help_text=_("ISO 3166-1 alpha-2 codes; leave empty for every other citizenship."),
    )
    stay_basis = models.CharField(
        _("stay basis"),
        max_length=32,
        choices=StayBasis.choices,
        blank=True,
        help_text=_("Leave empty for any stay basis."),
    )
    days = models.PositiveIntegerField(
        _("days per entry"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Calendar days of legal stay from each entry; the day of entry is day 1."),
    )
    window_limit_days = models.PositiveIntegerField(
        _("days in the rolling period"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    window_days = models.PositiveIntegerField(
        _("rolling period (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("For example 90 days in any 180: earlier stays count."),
    )
    year_limit_days = models.PositiveIntegerField(
        _("days per calendar year"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    until_permit = models.BooleanField(
        _("until the permit or contract ends"),
        default=False,
        help_text=_("The stay lasts until the case's permit, patent or contract end date."),
    )
    grace_days = models.PositiveIntegerField(
        _("grace period (days)"),
        default=0,
        help_text=_("Days added after the period ends, for example to find new work."),
    )
    registration_days = models.PositiveIntegerField(
        _("registration within (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    source = models.TextField(_("legal source"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["host_country", "name"]
        verbose_name = _("stay rule")
        verbose_name_plural = _("stay rules")

    def __str__(self) -> str:
        from .stay import translated_rule_text

        return translated_rule_text(self.name)

    def clean(self) -> None:
        if (self.window_limit_days is None) != (self.window_days is None):
            raise ValidationError(
                {"window_days": _("Give both the days and the rolling period, or neither.")}
            )
        if (
            self.window_days
            and self.window_limit_days
            and self.window_limit_days > self.window_days
        ):
            raise ValidationError(
                {"window_limit_days": _("The days cannot exceed the rolling period.")}
            )
        if not (self.days or self.window_days or self.year_limit_days or self.until_permit):
            raise ValidationError(
                _("Give at least one period: per entry, rolling, per year or until the permit.")
            )

    def as_rule(self):
        from .stay import RULE_FIELDS, rule_from_values

        return rule_from_values({name: getattr(self, name) for name in RULE_FIELDS}, pk=self.pk)


class CaseStay(models.Model):
    """An earlier stay in the host country (entered, left): rolling and yearly counts need it.
    The current stay is the case's entry date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stays")
    entered = models.DateField(_("entered"), validators=[validate_not_future])
    left = models.DateField(_("left"), validators=[validate_not_future])

    class Meta:
        ordering = ["entered"]
        verbose_name = _("earlier stay")
        verbose_name_plural = _("earlier stays")

    def __str__(self) -> str:
        return f"{self.entered} – {self.left}"


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National ID card")
    MIGRATION_CARD = "migration_card", _("Migration card")
    REGISTRATION = "registration", _("Registration")
    TEMPORARY_RESIDENCE_PERMIT = "temporary_residence_permit", _("Temporary residence permit")
    WORK_PERMIT = "work_permit", _("Work permit")
    PATENT = "patent", _("Patent")
    OTHER = "other", _("Other")


class DocumentHolder(models.TextChoices):
    SELF = "self", _("The person")
    EMPLOYER = "employer", _("Employer")
    RECRUITER = "recruiter", _("Recruiter")
    INTERMEDIARY = "intermediary", _("Intermediary")
    AUTHORITIES = "authorities", _("Authorities")
    UNKNOWN = "unknown", _("Unknown")


# Documents held by these parties are an indicator of control (HTCDS "withheld documents").
WITHHOLDING_HOLDERS = (
    DocumentHolder.EMPLOYER,
    DocumentHolder.RECRUITER,
    DocumentHolder.INTERMEDIARY,
)


class IdentityDocument(VersionedModel):
    """An identity or migration document of the person, and who holds it now."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("document type"), max_length=32, choices=DocumentKind.choices)
    number = EncryptedCharField(_("number"), max_length=64, blank=True)
    # Keyed hash of the number in upper case without spaces or dashes, so "AB 123-456" finds
    # "ab123456" while the number itself stays encrypted.
    number_hash = models.CharField(max_length=64, blank=True, editable=False)
    issuing_country = models.CharField(
        _("issuing country"), max_length=2, blank=True, validators=[validate_country]
    )
    issued_on = models.DateField(
        _("issued on"), null=True, blank=True, validators=[validate_not_future]
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    held_by = models.CharField(
        _("held by"), max_length=16, choices=DocumentHolder.choices, default=DocumentHolder.SELF
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        indexes = [
            # The lists' "withheld documents" flag (docs/benchmarks.md).
            models.Index(
                fields=["case"],
                condition=models.Q(held_by__in=["employer", "recruiter", "intermediary"]),
                name="document_withheld_case",
            ),
            # Exact matches only: not db_index, whose `_like` twin (for LIKE 'x%', never asked
            # of a hash) doubled the index to 562 MB at 1M.
            models.Index(fields=["number_hash"], name="document_number_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()

    @property
    def is_withheld(self) -> bool:
        return self.held_by in WITHHOLDING_HOLDERS

    def save(self, *args, **kwargs):
        kwargs["update_fields"] = self.derived_update_fields(kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def derived_update_fields(self, update_fields):
        """Keep the number's search hash in step with the number."""
        if update_fields is None or "number" in update_fields:
            from .search import document_number_hash

            self.number_hash = document_number_hash(self.number)
        if update_fields is not None and "number" in update_fields:
            return [*update_fields, *([] if "number_hash" in update_fields else ["number_hash"])]
        return update_fields


class WagePeriod(models.TextChoices):
    MONTH = "month", _("per month")
    WEEK = "week", _("per week")
    DAY = "day", _("per day")
    HOUR = "hour", _("per hour")


class Employment(VersionedModel):
    """Where and on what terms the person worked: what was promised and what was real."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="employments"
    )
    # The employer's name leads to the workplace, and so to the person: encrypted (issue 18).
    employer = EncryptedCharField(_("employer"), max_length=200)
    address = EncryptedCharField(_("workplace address"), max_length=300, blank=True)
    sector = models.CharField(
        _("sector"), max_length=32, choices=Sector.choices, default=Sector.UNKNOWN
    )
    region = models.CharField(_("region"), max_length=32, choices=Region.choices, blank=True)
    started_on = models.DateField(_("start date"), null=True, blank=True)
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    wage_period = models.CharField(
        _("wage period"), max_length=8, choices=WagePeriod.choices, default=WagePeriod.MONTH
    )
    promised_wage_amount = models.DecimalField(
        _("promised wage"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    promised_wage_currency = models.CharField(
        _("promised wage currency"), max_length=3, blank=True, validators=[validate_currency]
    )
    actual_wage_amount = models.DecimalField(
        _("actual wage"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    actual_wage_currency = models.CharField(
        _("actual wage currency"), max_length=3, blank=True, validators=[validate_currency]
    )
    promised_hours_per_week = models.PositiveSmallIntegerField(
        _("promised hours per week"), null=True, blank=True, validators=[MaxValueValidator(168)]
    )
    actual_hours_per_week = models.PositiveSmallIntegerField(
        _("actual hours per week"), null=True, blank=True, validators=[MaxValueValidator(168)]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")

    def __str__(self) -> str:
        return self.employer


class CaseNote(models.Model):
    """A caseworker's note on the case; notes are added, never edited."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = EncryptedTextField(_("note"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return f"{self.case_id} {self.created_at:%Y-%m-%d}"
