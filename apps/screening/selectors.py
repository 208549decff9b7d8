"""Reads of screenings and of the catalogue, always scoped to the user."""

import logging
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.cases.selectors import case_list_for_user
from apps.core.access import get_or_404

from .catalogue import Catalogue, CatalogueError, get_catalogue
from .engine import ScreeningResult, render_reasons
from .models import Screening

logger = logging.getLogger(__name__)

UNREADABLE_RESULT = _(
    "The stored result of this screening cannot be read; the answers are kept. "
    "Ask an administrator to check the record, or screen the person again."
)


@dataclass(frozen=True)
class StoredResult:
    """A complete screening's stored result as the pages show it, with its rendered reasons."""

    result: ScreeningResult
    catalogue: Catalogue
    reasons: list[str]


def stored_result(screening: Screening) -> StoredResult | None:
    """The screening's stored result, or None when it cannot be read (never raises).

    A damaged or pre-engine record (a `result` without the engine's keys) must not take the
    case page, the screening page or the API down with it: callers show a notice instead.
    """
    if not screening.result:
        return None
    catalogue = catalogue_for_version(screening.catalogue_version)
    try:
        result = ScreeningResult.from_dict(screening.result)
        reasons = render_reasons(result, catalogue=catalogue)
    except (ValueError, TypeError, KeyError, AttributeError):
        logger.warning("screening %s: the stored result cannot be read", screening.pk)
        return None
    return StoredResult(result=result, catalogue=catalogue, reasons=reasons)


def screening_list_for_user(user, *, filters: dict | None = None) -> QuerySet[Screening]:
    """Screenings of the cases the user may see, newest first."""
    cases = case_list_for_user(user)
    qs = Screening.objects.select_related("case", "screened_by").filter(
        case_id__in=cases.values("pk")
    )
    filters = filters or {}
    for name in ("case", "status", "trafficking", "catalogue_version", "screened_by"):
        if filters.get(name) not in (None, ""):
            qs = qs.filter(**{name: filters[name]})
    return qs.order_by("-completed_at", "-created_at", "-id")


def screening_get_for_user(user, *, screening_id, audit: bool = True) -> Screening:
    """One screening the user may see (404 otherwise); the read is audited."""
    screening = get_or_404(screening_list_for_user(user), pk=screening_id)
    if audit:
        audit_record(actor=user, action="read", target=screening)
    return screening


def latest_complete_screening(case) -> Screening | None:
    """The case's latest complete screening: the one that counts (screening.md)."""
    return (
        Screening.objects.filter(case=case, status=Screening.Status.COMPLETE)
        .select_related("screened_by")
        .order_by("-completed_at", "-id")
        .first()
    )


def latest_valid_screening(case) -> Screening | None:
    """The case's latest complete screening with every core question answered: the only kind
    a removal decision counts (issue 16 item 3; an interview posted with `{}` answers is
    stored complete with result `incomplete` and counts for nothing)."""
    return (
        Screening.objects.filter(case=case, status=Screening.Status.COMPLETE)
        .exclude(trafficking=Screening.Trafficking.INCOMPLETE)
        .select_related("screened_by")
        .order_by("-completed_at", "-id")
        .first()
    )


def screenings_of_case(case) -> QuerySet[Screening]:
    """Every screening of one case (the caller has already checked access to the case)."""
    return (
        Screening.objects.filter(case=case)
        .select_related("screened_by")
        .order_by("-completed_at", "-created_at", "-id")
    )


def catalogue_for_version(version: str | None) -> Catalogue:
    """The catalogue a stored screening was computed with (the current one if unknown)."""
    try:
        return get_catalogue(version or None)
    except CatalogueError:
        return get_catalogue()
