"""The screenings section of the case page."""

from apps.screening import selectors, services
from apps.screening.engine import ScreeningResult, render_reasons


def case_panel_context(request, case) -> dict:
    screenings = list(selectors.screenings_of_case(case))
    latest = next((s for s in screenings if s.is_complete), None)
    reasons = []
    if latest is not None and latest.result:
        reasons = render_reasons(
            ScreeningResult.from_dict(latest.result),
            catalogue=selectors.catalogue_for_version(latest.catalogue_version),
        )
    return {
        "case": case,
        "screenings": screenings,
        "latest": latest,
        "reasons": reasons,
        "can_screen": request.user.role in services.SCREENING_ROLES
        and case.status == case.Status.OPEN,
    }
