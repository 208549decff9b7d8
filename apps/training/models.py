from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import VersionedModel

HOURS_MESSAGE = _("Enter the hours: more than 0, at most 80.")


class Topic(models.TextChoices):
    VICTIM_IDENTIFICATION = "victim_identification", _("Victim identification")
    FORCED_LABOUR_INDICATORS = "forced_labour_indicators", _("Forced labour indicators")
    DEBT_BONDAGE = "debt_bondage", _("Debt bondage")
    INTERVIEWING_INTERPRETERS = "interviewing_interpreters", _("Interviewing with interpreters")
    NON_PUNISHMENT = "non_punishment", _("Non-punishment principle")
    REFERRAL_PROCEDURES = "referral_procedures", _("Referral procedures")
    OTHER = "other", _("Other")


class SessionLanguage(models.TextChoices):
    RUSSIAN = "ru", _("Russian")
    KAZAKH = "kk", _("Kazakh")
    ENGLISH = "en", _("English")
    UZBEK = "uz", _("Uzbek")
    KYRGYZ = "ky", _("Kyrgyz")
    TAJIK = "tg", _("Tajik")


class TrainingSession(VersionedModel):
    """One training session for labour inspectors, held on one day."""

    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices, db_index=True)
    date = models.DateField(_("date"), db_index=True)
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[
            MinValueValidator(Decimal("0.5"), message=HOURS_MESSAGE),
            MaxValueValidator(Decimal("80"), message=HOURS_MESSAGE),
        ],
    )
    trainer_organization = models.CharField(_("trainer organisation"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=SessionLanguage.choices)
    location = models.CharField(_("location"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0) & models.Q(hours__lte=80),
                name="training_session_hours_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"


class Attendance(models.Model):
    """An inspector's attendance at a session, with the test score and whether they passed."""

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        on_delete=models.PROTECT,
        related_name="training_attendances",
    )
    passed = models.BooleanField(_("passed"), default=False)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        ordering = ["inspector__last_name", "inspector__first_name", "inspector__username"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "inspector"], name="training_attendance_once_per_session"
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__lte=100),
                name="training_attendance_score_range",
            ),
        ]
        indexes = [
            models.Index(fields=["inspector", "passed"], name="training_att_inspector_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.inspector} @ {self.session}"


class CertificationReminder(models.Model):
    """A reminder that a certification is about to expire; one per certification."""

    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        on_delete=models.CASCADE,
        related_name="certification_reminders",
    )
    # A certification is identified by its expiry: a renewal gives a new date, hence a new
    # reminder, while a redelivered task finds the row and sends nothing.
    certified_until = models.DateField(_("certified until"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-certified_until"]
        verbose_name = _("certification reminder")
        verbose_name_plural = _("certification reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["inspector", "certified_until"], name="training_one_reminder_per_cert"
            )
        ]

    def __str__(self) -> str:
        return f"{self.inspector} {self.certified_until}"
