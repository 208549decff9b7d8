from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.fields import EncryptedCharField
from apps.core.models import VersionedModel


class Exploitation(models.TextChoices):
    LABOUR = "labour", _("Labour exploitation")
    SEXUAL = "sexual", _("Sexual exploitation")
    OTHER = "other", _("Other exploitation")


class Proceeding(VersionedModel):
    """A criminal proceeding against traffickers, linked to the cases of its victims."""

    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("cases"), related_name="proceedings"
    )
    # The organisation that recorded it; null when an administrator (no organisation) did.
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="proceedings",
        null=True,
        blank=True,
    )
    # A police or court file number leads to the file and its victims: encrypted (issue 18).
    reference = EncryptedCharField(
        _("file number"),
        max_length=64,
        blank=True,
        help_text=_("The police or court file number, if known."),
    )
    exploitation = models.CharField(
        _("type of exploitation"), max_length=10, choices=Exploitation.choices
    )
    opened_on = models.DateField(_("investigation opened on"), db_index=True)
    prosecuted_on = models.DateField(_("prosecuted on"), null=True, blank=True, db_index=True)
    convicted_on = models.DateField(_("convicted on"), null=True, blank=True, db_index=True)
    acquitted_on = models.DateField(_("acquitted on"), null=True, blank=True)
    official_complicity = models.BooleanField(_("official complicity"), default=False)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("criminal proceeding")
        verbose_name_plural = _("criminal proceedings")
        constraints = [
            # The same order the service validates; the database keeps it whatever writes.
            models.CheckConstraint(
                condition=Q(prosecuted_on__isnull=True) | Q(prosecuted_on__gte=F("opened_on")),
                name="proceeding_prosecuted_after_opened",
            ),
            models.CheckConstraint(
                condition=Q(convicted_on__isnull=True)
                | (Q(prosecuted_on__isnull=False) & Q(convicted_on__gte=F("prosecuted_on"))),
                name="proceeding_convicted_after_prosecuted",
            ),
            models.CheckConstraint(
                condition=Q(acquitted_on__isnull=True)
                | (Q(prosecuted_on__isnull=False) & Q(acquitted_on__gte=F("prosecuted_on"))),
                name="proceeding_acquitted_after_prosecuted",
            ),
            models.CheckConstraint(
                condition=Q(convicted_on__isnull=True) | Q(acquitted_on__isnull=True),
                name="proceeding_not_convicted_and_acquitted",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"

    @property
    def stage(self) -> str:
        """How far the proceeding has gone, as a code."""
        if self.convicted_on:
            return "convicted"
        if self.acquitted_on:
            return "acquitted"
        if self.prosecuted_on:
            return "prosecuted"
        return "investigation"

    @property
    def stage_label(self):
        return STAGE_LABELS[self.stage]


STAGE_LABELS = {
    "investigation": _("Under investigation"),
    "prosecuted": _("Prosecuted"),
    "convicted": _("Convicted"),
    "acquitted": _("Acquitted"),
}
