"""Writes on screenings: record an interview (as a draft or complete) and complete a draft."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.cases.models import Case
from apps.cases.services import case_event_record, case_risk_update
from apps.core.exceptions import WorkflowError
from apps.tasks.hooks import case_changed
from apps.training.selectors import inspector_certified_on

from .catalogue import Catalogue, get_catalogue
from .currencies import ISO_4217
from .engine import (
    InvalidAnswers,
    evaluate,
    risk_level,
    validate_answers,
)
from .languages import INTERVIEW_LANGUAGE_CODES
from .models import Screening

SCREENING_ROLES = frozenset({"inspector", "caseworker"})

DEBT_KEYS = ("amount", "currency", "creditor")
MAX_DEBT_DIGITS = 12  # the model keeps 14 digits, 2 of them decimals


@dataclass(frozen=True)
class Debt:
    amount: Decimal | None = None
    currency: str = ""
    creditor: str = ""


def _ensure_may_screen(actor) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.role in SCREENING_ROLES):
        raise PermissionDenied(_("Only inspectors and caseworkers screen people."))


def _ensure_case_open(case: Case) -> None:
    if case.status != Case.Status.OPEN:
        raise WorkflowError(
            _("This case is closed; reopen it to screen the person."), code="case_closed"
        )


def clean_debt(debt: Any, *, catalogue: Catalogue) -> Debt:
    """The debt details as typed values; a ValidationError on `debt` names every problem."""
    if debt in (None, ""):
        return Debt()
    if not isinstance(debt, dict):
        raise ValidationError(
            {"debt": [_("Debt must be an object with amount, currency and creditor.")]}
        )
    errors: list[str] = []
    unknown = sorted(str(k)[:40] for k in debt if k not in DEBT_KEYS)
    if unknown:
        errors.append(
            _("Unknown debt field(s): %(fields)s. Use amount, currency and creditor.")
            % {"fields": ", ".join(unknown)}
        )
    amount = None
    raw_amount = debt.get("amount")
    if raw_amount not in (None, ""):
        try:
            if isinstance(raw_amount, bool | float):
                raise InvalidOperation
            amount = Decimal(str(raw_amount).strip())
            if not amount.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors.append(_("The debt amount must be a number, such as 150000 or 1250.50."))
            amount = None
        else:
            # The size first: rounding 1e400 or 40 nines to cents overflows Decimal's precision.
            if amount < 0:
                errors.append(_("The debt amount cannot be negative."))
            elif amount >= Decimal(10) ** MAX_DEBT_DIGITS:
                errors.append(_("The debt amount is too large."))
            elif amount != amount.quantize(Decimal("0.01")):
                errors.append(_("The debt amount can have at most two decimal places."))
    currency = debt.get("currency") or ""
    currency_error = False
    if not isinstance(currency, str) or (currency and currency.upper() not in ISO_4217):
        errors.append(
            _("“%(currency)s” is not an ISO 4217 currency code (such as KZT, RUB, UZS or USD).")
            % {"currency": str(currency)[:20]}
        )
        currency, currency_error = "", True
    currency = currency.upper()
    if amount is not None and not currency and not currency_error:
        errors.append(_("Give the currency of the debt amount."))
    creditor = debt.get("creditor") or ""
    if not isinstance(creditor, str) or (creditor and creditor not in catalogue.creditor_codes):
        errors.append(
            _("“%(creditor)s” is not a known creditor; use one of: %(choices)s.")
            % {"creditor": str(creditor)[:40], "choices": ", ".join(catalogue.creditor_codes)}
        )
    if errors:
        raise ValidationError({"debt": errors})
    return Debt(amount=amount, currency=currency, creditor=creditor)


def clean_answers(
    answers: Any, *, catalogue: Catalogue, indicator_list: str | None = None
) -> dict[str, str]:
    """The answers as given, checked against the catalogue and the interview's list of
    indicators; a ValidationError on `answers`."""
    if answers is None:
        answers = {}
    try:
        validate_answers(answers, catalogue=catalogue, indicator_list=indicator_list)
    except InvalidAnswers as exc:
        raise ValidationError(
            {"answers": [m for msgs in exc.errors.values() for m in msgs]}
        ) from exc
    return dict(answers)


def _clean_interview_language(language: Any, *, required: bool) -> str:
    language = language or ""
    if not isinstance(language, str) or (language and language not in INTERVIEW_LANGUAGE_CODES):
        raise ValidationError(
            {
                "interview_language": [
                    _("Choose the language of the interview from the list (ISO 639-1 code).")
                ]
            }
        )
    if required and not language:
        raise ValidationError(
            {"interview_language": [_("Record the language the interview was held in.")]}
        )
    return language


def _collect(*checks) -> list:
    """Run every check and raise all their validation errors together."""
    errors: dict[str, list[str]] = {}
    values = []
    for check in checks:
        try:
            values.append(check())
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
            values.append(None)
    if errors:
        raise ValidationError(errors)
    return values


def indicator_list_for_case(case: Case, *, catalogue: Catalogue, on=None) -> str | None:
    """The catalogue's list of indicators for this case's person and sector (None in v1).

    Chosen from the person's age on the day of the interview (a child: under 18) and the case's
    sector (`sex_industry`: sexual exploitation; `begging`: forced begging; else labour), as the
    ILO/EC Operational indicators (2009) give adult and child lists for each form.
    """
    on = on or timezone.localdate()
    return catalogue.list_for(age=age_on(case.person.date_of_birth, on), sector=case.sector)


@transaction.atomic
def screening_create(
    *,
    actor,
    case: Case,
    answers: dict[str, str] | None,
    debt: dict[str, Any] | None = None,
    interview_language: str = "",
    interpreter_used: bool = False,
    consent_given: bool = False,
    complete: bool = True,
) -> Screening:
    """Record a screening interview of a case: a draft to finish later, or complete at once."""
    _ensure_may_screen(actor)
    _ensure_case_open(case)
    catalogue = get_catalogue()
    indicator_list = indicator_list_for_case(case, catalogue=catalogue)
    answers, cleaned_debt, language = _collect(
        lambda: clean_answers(answers, catalogue=catalogue, indicator_list=indicator_list),
        lambda: clean_debt(debt, catalogue=catalogue),
        lambda: _clean_interview_language(interview_language, required=complete),
    )
    screening = Screening.objects.create(
        case=case,
        screened_by=actor,
        status=Screening.Status.DRAFT,
        answers=answers,
        debt_amount=cleaned_debt.amount,
        debt_currency=cleaned_debt.currency,
        debt_creditor=cleaned_debt.creditor,
        interview_language=language,
        interpreter_used=bool(interpreter_used),
        consent_given=bool(consent_given),
        catalogue_version=catalogue.version,
        indicator_list=indicator_list or "",
    )
    audit_record(actor=actor, action="create", target=screening, details={"case": case.pk})
    if complete:
        screening = _complete(actor=actor, screening=screening)
    return screening


@transaction.atomic
def screening_update_draft(
    *,
    actor,
    screening: Screening,
    version: int | None,
    answers: dict[str, str] | None = None,
    debt: dict[str, Any] | None = None,
    interview_language: str | None = None,
    interpreter_used: bool | None = None,
    consent_given: bool | None = None,
) -> Screening:
    """Change a draft screening; fields passed as None keep their value."""
    _ensure_may_screen(actor)
    screening = _lock_draft(actor=actor, screening=screening)
    screening.check_version(version)
    catalogue = get_catalogue()
    indicator_list = indicator_list_for_case(screening.case, catalogue=catalogue)
    new_answers, cleaned_debt, language = _collect(
        lambda: (
            clean_answers(answers, catalogue=catalogue, indicator_list=indicator_list)
            if answers is not None
            else None
        ),
        lambda: clean_debt(debt, catalogue=catalogue) if debt is not None else None,
        lambda: (
            _clean_interview_language(interview_language, required=False)
            if interview_language is not None
            else None
        ),
    )
    fields = []
    if new_answers is not None:
        screening.answers = new_answers
        fields.append("answers")
    if cleaned_debt is not None:
        screening.debt_amount = cleaned_debt.amount
        screening.debt_currency = cleaned_debt.currency
        screening.debt_creditor = cleaned_debt.creditor
        fields += ["debt_amount", "debt_currency", "debt_creditor"]
    if language is not None:
        screening.interview_language = language
        fields.append("interview_language")
    if interpreter_used is not None:
        screening.interpreter_used = bool(interpreter_used)
        fields.append("interpreter_used")
    if consent_given is not None:
        screening.consent_given = bool(consent_given)
        fields.append("consent_given")
    screening.catalogue_version = catalogue.version
    screening.indicator_list = indicator_list or ""
    fields += ["catalogue_version", "indicator_list"]
    screening.save_versioned(update_fields=fields)
    audit_record(actor=actor, action="update", target=screening, details={"fields": fields})
    return screening


@transaction.atomic
def screening_complete(*, actor, screening: Screening, version: int | None = None) -> Screening:
    """Complete a draft: run the engine, store its result, update the case, suspend removals."""
    _ensure_may_screen(actor)
    screening = _lock_draft(actor=actor, screening=screening)
    screening.check_version(version)
    _collect(lambda: _clean_interview_language(screening.interview_language, required=True))
    return _complete(actor=actor, screening=screening)


def _lock_draft(*, actor, screening: Screening) -> Screening:
    screening = Screening.objects.select_for_update().select_related("case").get(pk=screening.pk)
    if screening.status != Screening.Status.DRAFT:
        raise WorkflowError(
            _("This screening is complete and can no longer change; start a new screening."),
            code="already_complete",
        )
    # The interview notes are the interviewer's until completed.
    if screening.screened_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who started this draft may change it."))
    _ensure_case_open(screening.case)
    return screening


def _inspector_certified(actor, on) -> bool | None:
    """Whether the interviewing inspector held a valid certification that day (None for others)."""
    if actor.role != "inspector":
        return None
    return inspector_certified_on(user=actor, on=on)


def age_on(born, on) -> int | None:
    """Age in whole years on a day (a birthday on 29 February counts from 1 March)."""
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _complete(*, actor, screening: Screening) -> Screening:
    catalogue = get_catalogue()
    now = timezone.now()
    indicator_list = indicator_list_for_case(
        screening.case, catalogue=catalogue, on=timezone.localdate(now)
    )
    try:
        result = evaluate(screening.answers, catalogue=catalogue, indicator_list=indicator_list)
    except InvalidAnswers as exc:
        # A draft whose questions changed since it was saved (the person's age or the case's
        # sector chose another list): the interviewer reviews the answers first.
        raise ValidationError(
            {
                "answers": [
                    _(
                        "The questions for this person changed since the draft was saved "
                        "(their age or the case's sector); review the answers."
                    ),
                    *[m for msgs in exc.errors.values() for m in msgs],
                ]
            }
        ) from exc
    screening.status = Screening.Status.COMPLETE
    screening.result = result.to_dict()
    screening.trafficking = result.trafficking
    screening.forced_labour = result.forced_labour
    screening.debt_coercion = result.debt_coercion
    screening.catalogue_version = catalogue.version
    screening.indicator_list = indicator_list or ""
    screening.completed_at = now
    screening.inspector_certified = _inspector_certified(actor, timezone.localdate(now))
    # Kept with the screening because the date of birth is encrypted: the annual report's age
    # breakdown is then still a database aggregate.
    screening.person_age = age_on(screening.case.person.date_of_birth, timezone.localdate(now))
    screening.save_versioned(
        update_fields=[
            "status",
            "result",
            "trafficking",
            "forced_labour",
            "debt_coercion",
            "catalogue_version",
            "indicator_list",
            "completed_at",
            "inspector_certified",
            "person_age",
        ]
    )
    audit_record(
        actor=actor,
        action="update",
        target=screening,
        details={"event": "completed", "trafficking": result.trafficking},
    )
    case = screening.case
    case_event_record(
        case=case,
        actor=actor,
        kind="screening_completed",
        data={
            "screening_id": screening.pk,
            "trafficking": result.trafficking,
            "forced_labour": result.forced_labour,
            "debt_coercion": result.debt_coercion,
            "catalogue_version": catalogue.version,
            "indicator_list": indicator_list or "",
        },
    )
    # The screening just completed is the latest complete one, so it sets the case's risk.
    case_risk_update(case=case, risk_level=risk_level(result), actor=actor)
    # A flagging result raises the person's protection status (and suspends their removals,
    # on every case of the same person); a negative or incomplete one never lowers it
    # (issue 16; apps/protection).
    from apps.protection.services import protection_raise_for_screening

    protection_raise_for_screening(screening=screening, actor=actor)
    # A fresh screening may keep a pending removal decidable (apps.tasks.rules).
    case_changed(case)
    return screening
