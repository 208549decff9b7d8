from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.regions import Region


class ImmutableError(Exception):
    """A published report is never changed or deleted."""


class PublishedReportQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError("published reports cannot be changed")

    def delete(self):
        raise ImmutableError("published reports cannot be deleted")


class PublishedReport(models.Model):
    """An annual report frozen as it was built: later data changes do not alter it."""

    year = models.PositiveSmallIntegerField(_("year"))
    # Blank for the whole country.
    region = models.CharField(_("region"), max_length=32, choices=Region.choices, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    # The built report (reports.services.report_build) with small counts already suppressed.
    data = models.JSONField(_("report"))
    tier = models.CharField(_("indicative tier"), max_length=20)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now, db_index=True)

    objects = PublishedReportQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")

    def __str__(self) -> str:
        return f"{self.year} {self.region or '—'} {self.language} {self.published_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("published reports cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("published reports cannot be deleted")


class TierWaiver(models.Model):
    """An administrator's waiver of the automatic downgrade (tier rule 3) for one year.

    TVPA §110(b)(2)(D)(ii) allows a waiver only on a written plan to begin making significant
    efforts and with sufficient resources devoted to it; the service requires both. Waivers
    recorded before they were asked for have them blank and cannot prevent a downgrade
    (apps/reports/tier.py).
    """

    year = models.PositiveSmallIntegerField(_("year"))
    region = models.CharField(_("region"), max_length=32, choices=Region.choices, blank=True)
    justification = models.TextField(_("justification"))
    plan = models.TextField(_("written plan"), blank=True, default="")
    resources = models.TextField(_("resources devoted to the plan"), blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-year", "region"]
        verbose_name = _("tier waiver")
        verbose_name_plural = _("tier waivers")
        constraints = [
            models.UniqueConstraint(fields=["year", "region"], name="tier_waiver_once_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.region or '—'}"


class ReportJob(models.Model):
    """Reports for many years or regions, built in the background (reports.tasks)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    years = models.JSONField(_("years"), default=list)
    # "" stands for the whole country.
    regions = models.JSONField(_("regions"), default=list)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    # One suppressed report per (year, region), in the order of items().
    results = models.JSONField(_("results"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")

    def __str__(self) -> str:
        return f"#{self.pk} {self.status} {self.done}/{self.total}"

    def items(self) -> list[tuple[int, str]]:
        """The (year, region) pairs to build, in a stable order."""
        return [(int(year), region) for year in self.years for region in self.regions]

    @property
    def progress_pct(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class YearMetrics(models.Model):
    """The scalar metrics of a closed year, kept so that a report does not recompute history.

    Only years before the current one are kept. A kept year is dropped when a change could
    alter it (apps/reports/signals.py) and is never used once older than
    CASEMGR_REPORT_HISTORY_MAX_AGE (docs/reports.md, "Earlier years").
    """

    year = models.PositiveSmallIntegerField(_("year"))
    # Blank for the whole country.
    region = models.CharField(_("region"), max_length=32, choices=Region.choices, blank=True)
    # flat_metrics of the year; decimals are kept as strings.
    metrics = models.JSONField(_("metrics"))
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("metrics of a year")
        verbose_name_plural = _("metrics of years")
        constraints = [
            models.UniqueConstraint(fields=["year", "region"], name="year_metrics_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.region or '-'}"
