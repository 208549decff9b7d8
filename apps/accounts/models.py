from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken

from apps.core.regions import Region


class Organization(models.Model):
    """An NGO, inspectorate or authority; users belong to one and see its records."""

    class Kind(models.TextChoices):
        NGO = "ngo", _("NGO")
        LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate")
        MIGRATION_AUTHORITY = "migration_authority", _("Migration authority")
        POLICE = "police", _("Police")
        GOVERNMENT = "government", _("Government")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices)
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("ISO 639-1 codes, e.g. ru, kk, uz.")
    )
    email = models.EmailField(_("contact e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in; what they may do follows from `role` and `organization`."""

    class Role(models.TextChoices):
        CASEWORKER = "caseworker", _("Caseworker")
        INSPECTOR = "inspector", _("Labour inspector")
        ADMINISTRATOR = "administrator", _("Administrator")
        AUDITOR = "auditor", _("Auditor")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CASEWORKER)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["administrator", "auditor"])
                | models.Q(organization__isnull=False),
                name="user_needs_organization_unless_global",
            )
        ]

    def save(self, *args, **kwargs):
        # Administrators manage the system through Django's admin; nobody else enters it.
        self.is_staff = self.role == self.Role.ADMINISTRATOR or self.is_superuser
        if kwargs.get("update_fields") is not None and "role" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "is_staff"}
        super().save(*args, **kwargs)

    @property
    def is_administrator(self) -> bool:
        return self.role == self.Role.ADMINISTRATOR

    @property
    def is_auditor(self) -> bool:
        return self.role == self.Role.AUDITOR


class TOTPDevice(models.Model):
    """A user's authenticator app (RFC 6238 time-based one-time passwords)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="totp_device",
    )
    secret = models.CharField(_("secret"), max_length=64)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    # The last time step accepted: a code is never accepted twice (replay protection).
    last_used_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self) -> str:
        return f"TOTP {self.user}"


class APIToken(AbstractAuthToken):
    """An API token (django-rest-knox, KNOX_TOKEN_MODEL): only its hash is stored, with what it
    was made under. It stops working at `expiry`, and when the user's password, role or second
    factor is no longer what it was made with (apps.accounts.tokens)."""

    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=128, unique=True)
    # What the token was made under: checked on every request, so that a change made without
    # the signals (a queryset update) ends the token too.
    role = models.CharField(_("role"), max_length=20, choices=User.Role.choices)
    credential = models.CharField(max_length=64)
    two_factor = models.BooleanField(_("made with a second factor"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def prefix(self) -> str:
        """The first characters of the token: enough to recognise it, far too few to use it."""
        return self.token_key[:8]
