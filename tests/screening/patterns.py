"""Answer patterns with known results, shared by the screening and removals tests."""

from apps.screening.catalogue import get_catalogue

PRESUMED = {
    "dr_job_nature": "yes",
    "dr_wages": "yes",
    "ex_excessive_hours": "yes",
    "ex_low_no_salary": "yes",
    "cd_documents": "yes",
    "cd_debt_bondage": "yes",
}
# Debt bondage and confiscated documents: coercion at destination, nothing else.
POSSIBLE = {"cd_debt_bondage": "yes", "cd_documents": "yes"}
NO_INDICATORS = {code: "no" for code in get_catalogue().core_codes}
INCOMPLETE: dict[str, str] = {}


def payload(case, answers, **extra):
    return {
        "case": case.pk,
        "answers": answers,
        "debt": None,
        "interview_language": "ru",
        "interpreter_used": True,
        "consent_given": True,
        **extra,
    }
