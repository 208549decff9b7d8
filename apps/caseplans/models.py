"""A case plan: the needs assessed for one case, and the goals and actions that meet them.

Peers keep a care plan of needs, goals and tasks (OSCaR's care plan, Primero's case plan); the
needs here follow the assistance a victim of trafficking is owed (CoE Convention art. 12: safety
and protection, appropriate and secure accommodation, medical and psychological assistance,
legal assistance and documents, and help to return or to stay; art. 15 compensation for wages and
debts). Free text may name the person and their family, so it is encrypted and erased at
retention (apps/cases/retention.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.fields import EncryptedTextField
from apps.core.models import VersionedModel


class NeedArea(models.TextChoices):
    SAFETY = "safety", _("Safety")
    SHELTER = "shelter", _("Shelter")
    LEGAL = "legal", _("Legal status and documents")
    HEALTH = "health", _("Health")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    WAGES_DEBT = "wages_debt", _("Wages and debt")
    FAMILY = "family", _("Family contact")
    RETURN_STAY = "return_stay", _("Return or stay")


class NeedLevel(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not assessed yet")
    NONE = "none", _("No need")
    NEED = "need", _("Needs support")
    URGENT = "urgent", _("Urgent")


# Levels that a completed plan must answer with at least one goal.
LEVELS_NEEDING_GOALS = {NeedLevel.NEED, NeedLevel.URGENT}


class CasePlan(VersionedModel):
    """One plan per case; every change bumps its version, so two editors cannot overwrite."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMPLETED = "completed", _("Completed")

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="plan"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("completed by"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True,
    )  # fmt: skip

    class Meta:
        verbose_name = _("case plan")
        verbose_name_plural = _("case plans")

    def __str__(self) -> str:
        return f"{self.case.reference}"


class Need(models.Model):
    """The assessment of one area of the person's needs."""

    plan = models.ForeignKey(
        CasePlan, verbose_name=_("case plan"), on_delete=models.CASCADE, related_name="needs"
    )
    area = models.CharField(_("area"), max_length=16, choices=NeedArea.choices)
    level = models.CharField(
        _("need"), max_length=16, choices=NeedLevel.choices, default=NeedLevel.NOT_ASSESSED
    )
    notes = EncryptedTextField(_("assessment notes"), blank=True)

    class Meta:
        verbose_name = _("assessed need")
        verbose_name_plural = _("assessed needs")
        constraints = [
            models.UniqueConstraint(fields=["plan", "area"], name="caseplan_need_one_per_area")
        ]

    def __str__(self) -> str:
        return self.get_area_display()


class Goal(models.Model):
    """What the plan sets out to achieve for one need, by when, and who answers for it."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("case plan goal", "Open")
        ACHIEVED = "achieved", _("Achieved")
        DROPPED = "dropped", _("No longer pursued")

    plan = models.ForeignKey(
        CasePlan, verbose_name=_("case plan"), on_delete=models.CASCADE, related_name="goals"
    )
    area = models.CharField(_("area"), max_length=16, choices=NeedArea.choices)
    description = EncryptedTextField(_("goal"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True,
    )  # fmt: skip
    due_on = models.DateField(_("due on"))
    review_on = models.DateField(_("review on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return f"#{self.pk}"


class Action(models.Model):
    """One step towards a goal."""

    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="actions"
    )
    description = EncryptedTextField(pgettext_lazy("case plan", "action"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True,
    )  # fmt: skip
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("done by"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True,
    )  # fmt: skip

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = pgettext_lazy("case plan", "action")
        verbose_name_plural = pgettext_lazy("case plan", "actions")

    def __str__(self) -> str:
        return f"#{self.pk}"
