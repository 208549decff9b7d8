"""The screenings section of the case page."""

from apps.screening import selectors, services


def case_panel_context(request, case) -> dict:
    screenings = list(selectors.screenings_of_case(case))
    latest = next((s for s in screenings if s.is_complete), None)
    stored = selectors.stored_result(latest) if latest is not None else None
    return {
        "case": case,
        "screenings": screenings,
        "latest": latest,
        "reasons": stored.reasons if stored else [],
        # A damaged stored result shows a notice; the rest of the case page stays usable.
        "result_unreadable": selectors.UNREADABLE_RESULT if latest and stored is None else "",
        "can_screen": request.user.role in services.SCREENING_ROLES
        and case.status == case.Status.OPEN,
    }
