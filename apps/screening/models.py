from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import VersionedModel


class Screening(VersionedModel):
    """One screening interview of a case, with the result as computed when it was completed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMPLETE = "complete", _("Complete")

    class Trafficking(models.TextChoices):
        PRESUMED_VICTIM = "presumed_victim", _("Presumed victim")
        POSSIBLE_VICTIM = "possible_victim", _("Possible victim")
        INCOMPLETE = "incomplete", _("Incomplete")
        NO_INDICATORS = "no_indicators", _("No indicators")

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="screenings"
    )
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("screened by"),
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    debt_amount = models.DecimalField(
        _("debt amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    debt_currency = models.CharField(_("debt currency"), max_length=3, blank=True)
    debt_creditor = models.CharField(_("creditor"), max_length=20, blank=True)
    interview_language = models.CharField(_("interview language"), max_length=8, blank=True)
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    consent_given = models.BooleanField(_("consent given"), default=False)
    catalogue_version = models.CharField(_("catalogue version"), max_length=64)
    # The catalogue's list of indicators the interview asked (from catalogue version 2: adults
    # or children, labour, sexual exploitation or begging); blank for version 1.
    indicator_list = models.CharField(_("indicator list"), max_length=32, blank=True)
    # The engine's result as computed at completion; kept unchanged when the catalogue moves on.
    result = models.JSONField(_("result"), null=True, blank=True)
    trafficking = models.CharField(
        _("result"), max_length=20, choices=Trafficking.choices, blank=True, db_index=True
    )
    forced_labour = models.BooleanField(_("forced labour"), null=True)
    debt_coercion = models.BooleanField(_("debt coercion"), null=True)
    person_age = models.PositiveSmallIntegerField(
        _("age at screening"), null=True, blank=True, editable=False
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True, db_index=True)
    # Whether the inspector held a valid certification on the day of the interview (training
    # log); None when unknown or when the interviewer is not an inspector.
    inspector_certified = models.BooleanField(_("inspector certified"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-completed_at", "-id"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        indexes = [
            models.Index(fields=["case", "status", "-completed_at"], name="screening_case_latest"),
            # The annual report's year of complete screenings, read from the index alone on
            # PostgreSQL (docs/benchmarks.md).
            models.Index(
                fields=["completed_at"],
                include=[
                    "id",
                    "case",
                    "trafficking",
                    "forced_labour",
                    "debt_coercion",
                    "person_age",
                ],
                condition=models.Q(status="complete"),
                name="screening_complete_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.completed_at or self.status}"

    @property
    def is_complete(self) -> bool:
        return self.status == self.Status.COMPLETE

    @property
    def flagged(self) -> bool:
        """Presumed or possible victim: the person is flagged for identification."""
        return self.trafficking in {
            self.Trafficking.PRESUMED_VICTIM,
            self.Trafficking.POSSIBLE_VICTIM,
        }
