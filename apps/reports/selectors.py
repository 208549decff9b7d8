"""Reads of reports, for administrators and auditors only."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from apps.core.access import get_or_404

from .models import PublishedReport, ReportJob
from .services import can_view_reports, report_build, report_build_published


def report_for_user(
    user, *, year: int, region: str | None, language: str, raw: bool = False
) -> dict[str, Any]:
    """The live report; raw (unsuppressed) counts only for administrators who ask for them."""
    if not can_view_reports(user):
        raise PermissionDenied
    if raw and user.role == "administrator":
        return report_build(year=year, region=region, language=language)
    return report_build_published(year=year, region=region, language=language)


def published_list_for_user(user) -> QuerySet[PublishedReport]:
    """Published reports, newest first; nothing for anyone but administrators and auditors."""
    if not can_view_reports(user):
        return PublishedReport.objects.none()
    return PublishedReport.objects.select_related("published_by").defer("data")


def published_get_for_user(user, *, published_id) -> PublishedReport:
    """One published report (404 for anyone who may not read reports)."""
    qs = PublishedReport.objects.select_related("published_by")
    if not can_view_reports(user):
        qs = qs.none()
    return get_or_404(qs, pk=published_id)


def job_list_for_user(user) -> QuerySet[ReportJob]:
    """Background report jobs, newest first."""
    if not can_view_reports(user):
        return ReportJob.objects.none()
    return ReportJob.objects.select_related("requested_by").defer("results")


def job_get_for_user(user, *, job_id) -> ReportJob:
    """One background report job (404 for anyone who may not read reports)."""
    qs = ReportJob.objects.select_related("requested_by")
    if not can_view_reports(user):
        qs = qs.none()
    return get_or_404(qs, pk=job_id)
