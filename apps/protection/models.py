"""A person's protection status, its history and formal identifications (docs/protection.md).

Council of Europe Convention on Action against Trafficking in Human Beings, art. 10(2): a person
with reasonable grounds is not removed until the identification process has been completed by
the competent authorities; art. 13: a recovery and reflection period of at least 30 days.
Kazakhstan, Law No. 110-VIII of 5 July 2024 on combating trafficking in persons, art. 16-18:
identification by a competent authority, with its own legal status.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.cases.models import VictimStatus


class ProtectionEvent(models.Model):
    """One change of a person's protection status: the status's history."""

    class Source(models.TextChoices):
        SCREENING = "screening", _("Screening")
        GROUNDS = "grounds", _("Recorded reasonable grounds")
        IDENTIFICATION = "identification", _("Formal identification")
        MERGE = "merge", _("Person records merged")
        MIGRATION = "migration", _("Carried over from the case's victim status")

    person = models.ForeignKey(
        "cases.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="protection_events",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="protection_events",
        null=True,
        blank=True,
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    from_status = models.CharField(_("from"), max_length=16, choices=VictimStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=VictimStatus.choices)
    # The reasonable grounds as the caseworker or inspector wrote them (kept here, never in the
    # audit log: they may describe the person).
    grounds = models.TextField(_("grounds"), blank=True)
    screening = models.ForeignKey(
        "screening.Screening",
        verbose_name=_("screening"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    identification = models.ForeignKey(
        "protection.Identification",
        verbose_name=_("identification"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reflection_until = models.DateField(_("reflection period until"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("protection status change")
        verbose_name_plural = _("protection status changes")

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Identification(models.Model):
    """A competent authority's formal decision on whether the person is a victim."""

    class Outcome(models.TextChoices):
        IDENTIFIED = "identified", _("Identified as a victim")
        NOT_A_VICTIM = "not_a_victim", _("Not a victim")

    person = models.ForeignKey(
        "cases.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="identifications",
    )
    # The case it was recorded from (the person's other cases follow it too).
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="identifications",
    )
    authority = models.CharField(_("competent authority"), max_length=200)
    decision_number = models.CharField(_("decision number"), max_length=100)
    decided_on = models.DateField(_("decision date"), db_index=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    # The decision's file, encrypted at rest (apps.core.crypto.encrypt_bytes) under a random
    # name: it names the person. Read only through the protection views, audited.
    document = models.FileField(
        _("decision document"), upload_to="identifications/", blank=True, max_length=255
    )
    document_type = models.CharField(_("document type"), max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("formal identification")
        verbose_name_plural = _("formal identifications")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "authority", "decision_number"],
                name="identification_decision_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority} {self.decision_number} {self.decided_on}"
