"""What the case already knows that answers an interview question, shown as a prompt.

Other apps register a function (case) -> {indicator code: prompt text}. The built-in ones read
the case's documents when the cases app records who holds them, and the case's recruitment debt
(which also gives the interview's debt fields their initial values: debt_initial).
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from apps.core.currencies import format_amount

_sources: list[Callable] = []

# Who holds a document *now* answers the retention question (catalogue version 2: "are your
# documents with the employer, recruiter or intermediary now, and can you get them back?";
# ILO "retention of identity documents", HTCDS WithholdsDocuments). It says nothing of when
# they were taken, so the recruitment-stage question (cr_documents) is not pre-answered.
DOCUMENT_CODES = ("cd_documents",)
# Holders that mean the person's documents are out of their control.
WITHHOLDERS = {"employer", "recruiter", "intermediary"}


def register(source: Callable) -> None:
    if source not in _sources:
        _sources.append(source)


def _documents_held_by_others(case) -> dict[str, str]:
    documents = getattr(case, "documents", None)
    if documents is None or not hasattr(documents, "all"):
        return {}
    for document in documents.all():
        holder = getattr(document, "held_by", None) or getattr(document, "holder", None)
        if holder in WITHHOLDERS:
            label = getattr(document, "get_held_by_display", None) or getattr(
                document, "get_holder_display", None
            )
            prompt = _(
                "The case records that a document of the person is held by: %(holder)s. "
                "Confirm with the person."
            ) % {"holder": label() if callable(label) else holder}
            return dict.fromkeys(DOCUMENT_CODES, prompt)
    return {}


def _has_debt(case) -> bool:
    return getattr(case, "recruitment_debt_amount", None) is not None


def _recruitment_debt(case) -> dict[str, str]:
    if not _has_debt(case):
        return {}
    creditor = case.recruitment_debt_creditor
    prompt = _(
        "The case records a recruitment debt of %(amount)s %(currency)s owed to: %(creditor)s. "
        "Confirm with the person."
    ) % {
        "amount": format_amount(case.recruitment_debt_amount),
        "currency": case.recruitment_debt_currency,
        "creditor": case.get_recruitment_debt_creditor_display() if creditor else "—",
    }
    return {"debt_owed": prompt}


def debt_initial(case) -> dict:
    """The interview's debt fields as the case records the debt; empty when it records none."""
    if not _has_debt(case):
        return {}
    return {
        "debt_amount": case.recruitment_debt_amount,
        "debt_currency": case.recruitment_debt_currency,
        "debt_creditor": case.recruitment_debt_creditor,
    }


register(_documents_held_by_others)
register(_recruitment_debt)


def prefill_for_case(case) -> dict[str, str]:
    """Indicator code -> prompt, for every answer the case already suggests as `yes`."""
    prompts: dict[str, str] = {}
    for source in _sources:
        for code, prompt in source(case).items():
            prompts.setdefault(code, prompt)
    return prompts
