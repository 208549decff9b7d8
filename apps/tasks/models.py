"""Tasks: work for a person, made by the rules from a case's legal clocks or by hand, and
follow-ups (planned and done contacts and visits) that make tasks of their own (docs/tasks.md).

A rule's task is one row per rule key: the rules move its due date while its cause holds and
close it when the cause is resolved, so that the lists are queries, not computations."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.fields import EncryptedCharField, EncryptedTextField
from apps.core.models import VersionedModel


class Task(VersionedModel):
    """One piece of work for a person, on a case (or, for a certification, on a user)."""

    class Kind(models.TextChoices):
        MANUAL = "manual", _("Task")
        REFLECTION_ENDING = "reflection_ending", _("Reflection period ending")
        STAY_ENDING = "stay_ending", _("Legal stay ending")
        PERMIT_ENDING = "permit_ending", _("Permit or contract ending")
        REFERRAL_UNANSWERED = "referral_unanswered", _("Referral unanswered")
        REMOVAL_SCREENING = "removal_screening", _("Screening too old for a pending removal")
        IDENTIFICATION_DUE = "identification_due", _("Formal identification not requested")
        CERTIFICATION_ENDING = "certification_ending", _("Certification ending")
        FOLLOW_UP = "follow_up", _("Follow-up")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        # Later sources (a case plan's action, a supervisor's approval) join these.
        RULE = "rule", _("Rule")
        MANUAL = "manual", _("Manual")

    # The organisation whose work it is: the case's, or the inspector's for a certification.
    # The "Team" list reads it from one index.
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="tasks",
        null=True,
        blank=True,
    )
    # The inspector a certification task is about (no case).
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("about"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    # Ids and dates only (never personal data): the title is written from them when shown,
    # in the reader's language.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # A manual task's title as typed: it may name people, so it is encrypted.
    title = EncryptedCharField(_("title"), max_length=200, blank=True)
    due_on = models.DateField(_("due on"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        related_name="tasks",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    # The rule's idempotency key (`<case>:<rule>[:<record>]`, `cert:<inspector>:<recipient>`):
    # one row per key, whatever its status, so a second sync finds the row and changes it.
    rule_key = models.CharField(_("rule key"), max_length=100, blank=True, editable=False)
    follow_up = models.ForeignKey(
        "tasks.FollowUp",
        verbose_name=_("follow-up"),
        on_delete=models.CASCADE,
        related_name="tasks",
        null=True,
        blank=True,
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # Empty on a done task: a rule closed it because its cause was resolved.
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["rule_key"], condition=~models.Q(rule_key=""), name="task_rule_key_once"
            ),
            models.CheckConstraint(
                condition=models.Q(case__isnull=False) | models.Q(subject_user__isnull=False),
                name="task_on_case_or_user",
            ),
        ]
        indexes = [
            # "My tasks" and the home page: a user's open tasks by due date.
            models.Index(fields=["assigned_to", "status", "due_on"], name="task_assignee_due"),
            # "Team": the organisation's open tasks by due date.
            models.Index(fields=["organization", "status", "due_on"], name="task_org_due"),
            models.Index(fields=["case", "status"], name="task_case_status"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def display_title(self) -> str:
        from .titles import task_title

        return task_title(self)


class FollowUp(VersionedModel):
    """A contact or visit with the person or someone around them, planned or done."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone call")
        VISIT = "visit", _("Visit")
        OFFICE = "office", _("Office meeting")
        MESSAGE = "message", _("Message")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # Who was (or is to be) met: may name people, so encrypted like the outcome.
    with_whom = EncryptedCharField(_("with whom"), max_length=200, blank=True)
    outcome = EncryptedTextField(_("outcome"), blank=True)
    next_on = models.DateField(_("next follow-up on"), null=True, blank=True)
    # The follow-up planned when this one was recorded with a next date.
    next_follow_up = models.OneToOneField(
        "self",
        verbose_name=_("next follow-up"),
        on_delete=models.SET_NULL,
        related_name="previous",
        null=True,
        blank=True,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [models.Index(fields=["case", "status"], name="followup_case_status")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="planned") | models.Q(planned_on__isnull=False),
                name="followup_planned_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(done_on__isnull=False),
                name="followup_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.planned_on or self.done_on}"
