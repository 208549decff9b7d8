"""Building, publishing and waiving: the annual report's workflows."""

from __future__ import annotations

import logging
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.audit.services import audit_record
from apps.core.outbox import outbox_enqueue
from apps.core.regions import Region

from . import charts, labels
from .history import history_flat
from .metrics import annual_metrics, flat_metrics
from .models import PublishedReport, ReportJob, TierWaiver
from .suppression import suppress_report
from .tier import (
    NOTE_WAIVER_LIMIT_REACHED,
    SOURCE_AFTER_WAIVER,
    SOURCE_WAIVER,
    WAIVER_MAX_YEARS,
    TierDecision,
    TierThresholds,
    WaiverFacts,
    decide_tier,
    waiver_refusal,
    year_has_activity,
)
from .trends import TREND_KEYS, json_number, trend_sentence, trend_table

logger = logging.getLogger(__name__)

MIN_YEAR = 2000
REPORT_ROLES = {"administrator", "auditor"}


def can_view_reports(user) -> bool:
    """Administrators and auditors read reports; nobody else."""
    return bool(user.is_authenticated and user.is_active and user.role in REPORT_ROLES)


def report_validate(*, year: Any, region: Any = None, language: Any = None) -> dict[str, Any]:
    """Clean year, region and language, or raise field errors."""
    errors: dict[str, list[str]] = {}
    max_year = timezone.localdate().year
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = None
    if year is None or not MIN_YEAR <= year <= max_year:
        errors["year"] = [
            _("Choose a year from %(first)s to %(last)s.") % {"first": MIN_YEAR, "last": max_year}
        ]
    region = region or ""
    if region and region not in Region.values:
        errors["region"] = [_("Choose a region from the list.")]
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose English, Russian or Kazakh.")]
    if errors:
        raise ValidationError(errors)
    return {"year": year, "region": region, "language": language}


def tier_thresholds() -> TierThresholds:
    """The thresholds of the indicative tier, from settings.CASEMGR_TIER_THRESHOLDS."""
    return TierThresholds.from_mapping(getattr(settings, "CASEMGR_TIER_THRESHOLDS", None))


def candidate_years(*, until: int) -> list[int]:
    """Calendar years, up to `until`, from the first in which anything the report counts happened.

    One MIN per source (each reads an index or a small table); a year in between without
    activity is left out later by year_has_activity.
    """
    tz = timezone.get_current_timezone()
    sources: list[tuple[str, str, str]] = [
        ("proceedings", "Proceeding", "opened_on"),
        ("proceedings", "Proceeding", "prosecuted_on"),
        ("proceedings", "Proceeding", "convicted_on"),
        ("screening", "Screening", "completed_at"),
        ("cases", "Case", "identified_on"),
        ("removals", "Removal", "decided_at"),
        ("removals", "Removal", "suspended_at"),
        ("referrals", "Referral", "sent_at"),
        ("referrals", "Referral", "accepted_at"),
        ("referrals", "Referral", "completed_at"),
        ("training", "TrainingSession", "date"),
    ]
    first: int | None = None
    for app_label, model_name, field in sources:
        model = apps.get_model(app_label, model_name)
        earliest = model.objects.aggregate(first=Min(field))["first"]
        if earliest is None:
            continue
        if isinstance(earliest, datetime):
            earliest = earliest.astimezone(tz)
        first = earliest.year if first is None else min(first, earliest.year)
    if first is None:
        return []
    return list(range(max(first, MIN_YEAR), until + 1))


def report_history_refresh() -> int:
    """Compute and keep every closed year on record, for the country and each region.

    Run nightly by beat (reports.refresh_history): reports then read kept years instead of
    recomputing history in front of a user after a change or once a day. Returns how many
    years were computed.
    """
    years = candidate_years(until=timezone.localdate().year - 1)
    for region in ["", *Region.values]:
        history_flat(years=years, region=region, renew=True)
    return len(years) * (1 + len(Region.values))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return json_number(value)
    return value


def waivers_for(*, region: str | None) -> dict[int, TierWaiver]:
    """Waivers by year, for the whole country or one region."""
    return {w.year: w for w in TierWaiver.objects.filter(region=region or "")}


def waiver_facts(waiver: TierWaiver | None) -> WaiverFacts | None:
    """What the tier rules need of a recorded waiver: is there a written plan, are there
    resources (TVPA §110(b)(2)(D)(ii)). Waivers recorded before both were asked for lack them."""
    if waiver is None:
        return None
    return WaiverFacts(
        written_plan=bool(waiver.plan.strip()), resources=bool(waiver.resources.strip())
    )


def _years_on_record_before(*, year: int, region: str) -> dict[int, dict[str, Any]]:
    """Scalar metrics of the earlier years on record (with activity), kept or computed."""
    earlier = history_flat(years=candidate_years(until=year - 1), region=region)
    return {y: m for y, m in earlier.items() if year_has_activity(m)}


def tier_decisions(
    flat: dict[int, dict[str, Any]], *, waivers: dict[int, TierWaiver], thresholds: TierThresholds
) -> dict[int, TierDecision]:
    """The tier of every year on record, oldest first: each depends on the tiers before it."""
    decisions: dict[int, TierDecision] = {}
    for y in sorted(flat):
        decisions[y] = decide_tier(
            current=flat[y],
            previous=flat.get(y - 1),
            # Most recent first, only years on record (reports.md, rule 3).
            earlier_tiers=[decisions[e].tier for e in sorted(decisions, reverse=True)],
            waiver=waiver_facts(waivers.get(y)),
            thresholds=thresholds,
        )
    return decisions


def report_build(*, year: int, region: str | None = None, language: str) -> dict[str, Any]:
    """The annual report: metrics, trend over the years on record, indicative tier, charts."""
    cleaned = report_validate(year=year, region=region, language=language)
    year, region, language = cleaned["year"], cleaned["region"], cleaned["language"]
    with translation.override(language):
        # Earlier years only feed the trend and the tier: their scalar metrics are enough, and
        # closed years are kept between reports (history.py).
        flat = _years_on_record_before(year=year, region=region)
        metrics = annual_metrics(year=year, region=region or None)
        flat[year] = flat_metrics(metrics)

        waivers = waivers_for(region=region)
        decisions = tier_decisions(flat, waivers=waivers, thresholds=tier_thresholds())
        decision = decisions[year]
        tiers = {y: d.tier for y, d in decisions.items()}

        trends = trend_table(flat, TREND_KEYS, year=year)
        waiver = waivers.get(year)
        report: dict[str, Any] = {
            "kind": "annual",
            "year": year,
            "region": region,
            "region_label": labels.region_label(region),
            "language": language,
            "generated_at": timezone.now().isoformat(),
            "metrics": _jsonable(metrics),
            "years_on_record": sorted(flat),
            "history": _jsonable({y: flat[y] for y in sorted(flat)}),
            "trend": {
                key: {
                    **t.to_dict(),
                    "label": labels.label(key),
                    "sentence": trend_sentence(metric=key, trend=t),
                }
                for key, t in trends.items()
            },
            "tier": decision.to_dict(),
            "earlier_tiers": {str(y): tiers[y] for y in sorted(tiers) if y != year},
            "waiver": None
            if waiver is None
            else {
                "justification": waiver.justification,
                "plan": waiver.plan,
                "resources": waiver.resources,
                "recorded_by": waiver.recorded_by.get_username(),
                "recorded_at": waiver.recorded_at.isoformat(),
            },
            "suppressed": False,
        }
        report["charts"] = charts.chart_data(report)
    return report


def report_build_published(*, year: int, region: str | None, language: str) -> dict[str, Any]:
    """The report as every output leaving the organisation shows it: small counts suppressed."""
    return suppress_report(report_build(year=year, region=region, language=language))


def is_report_administrator(user) -> bool:
    """Administrators publish reports and record waivers."""
    return bool(user.is_authenticated and user.is_active and user.role == "administrator")


def _require_administrator(user) -> None:
    if not is_report_administrator(user):
        raise PermissionDenied


@transaction.atomic
def report_publish(*, user, year: int, region: str | None, language: str) -> PublishedReport:
    """Freeze the report as an immutable, suppressed snapshot with who and when."""
    _require_administrator(user)
    data = report_build_published(year=year, region=region, language=language)
    published = PublishedReport.objects.create(
        year=data["year"],
        region=data["region"],
        language=data["language"],
        data=data,
        tier=data["tier"]["tier"],
        published_by=user,
        published_at=timezone.now(),
    )
    audit_record(
        actor=user,
        action="create",
        target=published,
        details={"year": published.year, "region": published.region, "tier": published.tier},
    )
    return published


WAIVER_TEXT_MIN = 20


@transaction.atomic
def tier_waiver_record(
    *,
    user,
    year: int,
    justification: str,
    plan: str,
    resources: str,
    region: str | None = None,
) -> TierWaiver:
    """Record an administrator's waiver of the automatic downgrade for a year.

    TVPA §110(b)(2)(D)(ii): a waiver needs a written plan to begin making significant efforts
    and sufficient resources devoted to it, and lasts at most WAIVER_MAX_YEARS consecutive years;
    none applies after a Tier 3 that followed a waiver (§110(b)(2)(F)).
    """
    _require_administrator(user)
    cleaned = report_validate(year=year, region=region)
    texts = {
        "justification": (justification or "").strip(),
        "plan": (plan or "").strip(),
        "resources": (resources or "").strip(),
    }
    hints = {
        "justification": _(
            "Explain the waiver in a few sentences (at least %(min)s characters): why the plan, "
            "if carried out, would constitute significant efforts."
        ),
        "plan": _(
            "Describe the written plan to begin making significant efforts (at least %(min)s "
            "characters): its name, who adopted it and what it commits to."
        ),
        "resources": _(
            "Describe the resources devoted to carrying out the plan (at least %(min)s "
            "characters): budget, staff, services."
        ),
    }
    errors: dict[str, list[str]] = {
        field: [hints[field] % {"min": WAIVER_TEXT_MIN}]
        for field, text in texts.items()
        if len(text) < WAIVER_TEXT_MIN
    }
    if TierWaiver.objects.filter(year=cleaned["year"], region=cleaned["region"]).exists():
        errors["year"] = [_("A waiver is already recorded for this year.")]
    else:
        refusal = _waiver_refusal_for(year=cleaned["year"], region=cleaned["region"])
        if refusal:
            errors["year"] = [refusal]
    if errors:
        raise ValidationError(errors)
    waiver = TierWaiver.objects.create(
        year=cleaned["year"],
        region=cleaned["region"],
        justification=texts["justification"],
        plan=texts["plan"],
        resources=texts["resources"],
        recorded_by=user,
        recorded_at=timezone.now(),
    )
    audit_record(
        actor=user,
        action="create",
        target=waiver,
        details={"year": waiver.year, "region": waiver.region, **texts},
    )
    return waiver


def _waiver_refusal_for(*, year: int, region: str) -> str:
    """Why the law allows no waiver for the year, from the tiers of the years before, or ""."""
    flat = _years_on_record_before(year=year, region=region)
    decisions = tier_decisions(
        flat, waivers=waivers_for(region=region), thresholds=tier_thresholds()
    )
    refusal = waiver_refusal([decisions[y].tier for y in sorted(decisions, reverse=True)])
    if not refusal:
        return ""
    if refusal == NOTE_WAIVER_LIMIT_REACHED:
        return ngettext(
            "The automatic downgrade was already waived for %(most)s consecutive year, the most "
            "the law allows (%(source)s).",
            "The automatic downgrade was already waived for %(most)s consecutive years, the most "
            "the law allows (%(source)s).",
            WAIVER_MAX_YEARS,
        ) % {"most": WAIVER_MAX_YEARS, "source": SOURCE_WAIVER}
    return _(
        "After a Tier 3 that followed a waiver and one more year on the Watch List, no waiver "
        "applies (%(source)s)."
    ) % {"source": SOURCE_AFTER_WAIVER}


def report_export_record(
    *, user, year: int, region: str | None, fmt: str, language: str, published_id=None
) -> None:
    """Every export of a report goes in the audit log."""
    details = {"year": year, "region": region or "", "format": fmt, "language": language}
    if published_id is not None:
        details["published_report"] = published_id
    audit_record(
        actor=user,
        action="export",
        target_type="reports.annual",
        target_id=f"{year}:{region or ''}",
        details=details,
    )


@transaction.atomic
def report_job_create(*, user, years: list[int], regions: list[str], language: str) -> ReportJob:
    """Queue reports for many years or regions; a background task builds them."""
    _require_administrator(user)
    years = sorted({int(y) for y in years})
    regions = sorted(set(regions or [""]))
    errors: dict[str, list[str]] = {}
    if not years:
        errors["years"] = [_("Choose at least one year.")]
    for y in years:
        try:
            report_validate(year=y, language=language)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    for r in regions:
        if r and r not in Region.values:
            errors["regions"] = [_("Choose a region from the list.")]
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose English, Russian or Kazakh.")]
    if errors:
        raise ValidationError(errors)
    job = ReportJob.objects.create(
        requested_by=user,
        years=years,
        regions=regions,
        language=language,
        total=len(years) * len(regions),
    )
    audit_record(
        actor=user, action="create", target=job, details={"years": years, "regions": regions}
    )
    from .tasks import generate_reports

    outbox_enqueue(generate_reports, job.pk, key=f"{generate_reports.name}:{job.pk}")
    return job


def report_job_run(*, job_id: int) -> ReportJob:
    """Build the job's reports one by one, saving progress after each; resumable."""
    job = ReportJob.objects.get(pk=job_id)
    if job.finished:
        return job
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING)
    results = list(job.results)
    items = job.items()
    try:
        # A redelivered task continues after the last saved result instead of starting over.
        for year, region in items[len(results) :]:
            results.append(
                report_build_published(year=year, region=region or None, language=job.language)
            )
            ReportJob.objects.filter(pk=job.pk).update(results=results, done=len(results))
    except (ConnectionError, TimeoutError):
        raise  # the task retries these and continues where it stopped
    except Exception as exc:
        logger.exception("report job %s failed", job.pk)
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.DONE, done=len(results), finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def report_generated_at(report: dict[str, Any]) -> datetime | None:
    value = report.get("generated_at")
    return datetime.fromisoformat(value) if value else None
