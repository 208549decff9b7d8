from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.cases.selectors import case_get_for_user
from apps.core.exceptions import WorkflowError

from . import selectors, services
from .catalogue import LANGUAGES, STRENGTHS, available_versions, get_catalogue, normalize_language
from .catalogue import text_for as catalogue_text_for
from .engine import NO, YES, evaluate, render_reasons
from .forms import CONSENT_FIRST, InterviewForm
from .languages import (
    ENDONYMS,
    INTERVIEW_LANGUAGE_CODES,
    INTERVIEW_LANGUAGES,
    UNKNOWN_LANGUAGE,
    question_language,
)
from .models import Screening
from .prefill import debt_initial, prefill_for_case


def case_url(case) -> str | None:
    """The case page, when the cases app provides one."""
    try:
        return reverse("cases:detail", args=[case.pk])
    except NoReverseMatch:
        return None


def _ensure_may_screen(user) -> None:
    if user.role not in services.SCREENING_ROLES:
        raise PermissionDenied


def _default_interview_language(case) -> str:
    for language in case.person.languages or []:
        if language in INTERVIEW_LANGUAGE_CODES:
            return language
    return ""


ANSWERED = (YES, NO)
STRENGTH_LABELS = {
    "strong": pgettext_lazy("indicator strength", "strong"),
    "medium": pgettext_lazy("indicator strength", "medium"),
    "weak": pgettext_lazy("indicator strength", "weak"),
}
# What the interview page's buttons ask for (name="action"); anything else only shows the page
# again with what was typed, so a language change or an Enter key never saves anything.
DRAFT, REVIEW, COMPLETE = "draft", "review", "complete"


def _radios(field, *, catalogue, shown: str, mine: str) -> list:
    """A question's radio buttons, each with its label in the person's language when the
    catalogue has answer labels and the person's language is not the user's (else None)."""
    radios = []
    for radio in field:
        person = None
        if shown != mine:
            person = catalogue.answer_for(radio.data["value"], shown)
        radios.append({"radio": radio, "person": person})
    return radios


def _question_groups(
    form: InterviewForm, *, interview_language: str, prompts: dict, opened=()
) -> list:
    """The interview's steps: one per dimension, with its questions and how many are answered.

    Each text read to the person comes with the language it is really in: a text missing in
    the interview language is shown in Russian for the interpreter, and the page says so.
    """
    catalogue = form.catalogue
    shown = question_language(interview_language, catalogue)
    mine = normalize_language()
    groups = []
    for dimension in catalogue.dimensions:
        rows = []
        for indicator in catalogue.indicators_in(dimension.code, form.indicator_list):
            text, text_language = indicator.question_for(shown)
            rows.append(
                {
                    "indicator": indicator,
                    "field": form[indicator.code],
                    "radios": _radios(
                        form[indicator.code], catalogue=catalogue, shown=shown, mine=mine
                    ),
                    "value": form[indicator.code].value(),
                    "interview_text": text,
                    "interview_text_language": text_language,
                    "fallback": text_language != shown,
                    "user_text": indicator.question_in(mine),
                    "prompt": prompts.get(indicator.code),
                }
            )
        has_debt_fields = dimension.code == "debt"
        errors = any(row["field"].errors for row in rows) or (
            has_debt_fields
            and any(form[name].errors for name in ("debt_amount", "debt_currency", "debt_creditor"))
        )
        name, name_language = catalogue_text_for(dimension.name, shown)
        groups.append(
            {
                "dimension": dimension,
                "interview_name": name,
                "interview_name_language": name_language,
                "user_name": dimension.name_in(mine),
                "rows": rows,
                "answered": sum(row["value"] in ANSWERED for row in rows),
                "total": len(rows),
                "has_errors": errors,
                "has_debt_fields": has_debt_fields,
                "yes": [row for row in rows if row["value"] == YES],
                "no": sum(row["value"] == NO for row in rows),
            }
        )
    # The sections the inspector had open stay open (the page's script sends them), and so does
    # any with an error; else the step to work on opens: the first not fully answered.
    current = next((g for g in groups if g["answered"] < g["total"]), None)
    for group in groups:
        started = 0 < group["answered"] < group["total"]
        kept = group["dimension"].code in opened if opened else group is current or started
        group["open"] = group["has_errors"] or kept
    return groups


def _consented(form: InterviewForm) -> bool:
    return bool(form["consent_given"].value())


def _interview_initial(case, screening: Screening | None, prompts: dict) -> dict:
    if screening is None:
        initial = {code: YES for code in prompts}
        initial["interview_language"] = _default_interview_language(case)
        initial.update(debt_initial(case))
        return initial
    return {
        **screening.answers,
        "interview_language": screening.interview_language,
        "interpreter_used": screening.interpreter_used,
        "consent_given": screening.consent_given,
        "debt_amount": screening.debt_amount,
        "debt_currency": screening.debt_currency,
        "debt_creditor": screening.debt_creditor,
        "version": screening.version,
    }


def _values(form: InterviewForm) -> dict:
    """What the service records. Without consent the questions are closed (disabled inputs send
    nothing), so the answers and the debt already stored are kept, not erased."""
    consented = form.cleaned_data["consent_given"]
    return {
        "answers": form.answers() if consented else None,
        "debt": form.debt() if consented else None,
        "interview_language": form.cleaned_data["interview_language"],
        "interpreter_used": form.cleaned_data["interpreter_used"],
        "consent_given": consented,
    }


def _preview(case, form: InterviewForm) -> dict:
    """What completing would record, shown on the summary before the inspector completes."""
    from apps.removals.selectors import removals_of_case

    result = evaluate(form.answers(), catalogue=form.catalogue, indicator_list=form.indicator_list)
    suspends = result.flagged and any(
        removal.status == "pending" for removal in removals_of_case(case)
    )
    return {
        "result_label": Screening.Trafficking(result.trafficking).label,
        "result_code": result.trafficking,
        "reasons": render_reasons(result, catalogue=form.catalogue),
        "suspends_removal": suspends,
    }


def _list_context(case, catalogue, indicator_list: str | None) -> dict:
    """Which list of questions the interview asks, and why (the person's age, the sector)."""
    if not indicator_list:
        return {}
    age = services.age_on(case.person.date_of_birth, timezone.localdate())
    return {
        "indicator_list": indicator_list,
        "indicator_list_name": catalogue.list_name(indicator_list),
        "list_for_child": catalogue.for_children(indicator_list),
        "person_age": age,
        "sector_label": case.get_sector_display(),
    }


def _apply_errors(form: InterviewForm, exc: ValidationError) -> None:
    mapping = {"interview_language": "interview_language", "debt": None, "answers": None}
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(mapping.get(field), error)


def _save(request, *, case, screening, form, values, complete: bool) -> Screening:
    if screening is None:
        return services.screening_create(actor=request.user, case=case, complete=complete, **values)
    screening = services.screening_update_draft(
        actor=request.user,
        screening=screening,
        version=form.cleaned_data.get("version"),
        **values,
    )
    if complete:
        screening = services.screening_complete(
            actor=request.user, screening=screening, version=screening.version
        )
    return screening


def _language_context(catalogue, interview_language: str) -> dict:
    """The languages of the page: the interview's, the one its texts are shown in, the user's.

    With the person's language not the user's, the consent statement and the questions are
    shown in both, each marked with its `lang` for screen readers.
    """
    shown = question_language(interview_language, catalogue)
    mine = normalize_language()
    names = dict(INTERVIEW_LANGUAGES)
    consent = catalogue.consent_for(shown)
    return {
        "interview_language": interview_language,
        "language_name": names.get(interview_language, ""),
        "question_language": shown,
        "question_language_name": names.get(shown, shown),
        "user_language": mine,
        "user_language_name": names.get(mine, mine),
        # The catalogue has no texts in the interview language: Russian for the interpreter.
        "interpreter_fallback": bool(interview_language) and shown != interview_language,
        "consent_text": consent,
        "consent_user_text": catalogue.consent_for(mine) if shown != mine else None,
    }


def _interview(request, *, case, screening: Screening | None):
    catalogue = get_catalogue()
    indicator_list = services.indicator_list_for_case(case, catalogue=catalogue)
    prompts = prefill_for_case(case) if screening is None else {}
    asked = set(catalogue.codes_for(indicator_list))
    prompts = {code: text for code, text in prompts.items() if code in asked}
    initial = _interview_initial(case, screening, prompts)
    # A language asked for in the address that is not on the list is refused (400) and the
    # page shown with the language it would otherwise have.
    language_refused = False
    asked_language = request.GET.get("interview_language", "")
    if asked_language in INTERVIEW_LANGUAGE_CODES:
        initial["interview_language"] = asked_language
    elif asked_language:
        language_refused = True
    form = InterviewForm(
        request.POST or None,
        initial=initial,
        catalogue=catalogue,
        indicator_list=indicator_list,
    )
    action = request.POST.get("action", "")
    posted = request.method == "POST"
    consent_missing = posted and form.is_valid() and not form.cleaned_data["consent_given"]
    if action in (REVIEW, COMPLETE) and consent_missing:
        form.add_error("consent_given", CONSENT_FIRST)
    if posted and action == REVIEW and form.is_valid():
        return render(
            request,
            "screening/review.html",
            {
                "case": case,
                "case_url": case_url(case),
                "screening": screening,
                "form": form,
                "groups": _question_groups(
                    form, interview_language=form.cleaned_data["interview_language"], prompts={}
                ),
                **_language_context(catalogue, form.cleaned_data["interview_language"]),
                "creditor": (
                    catalogue.creditor_label(form.cleaned_data["debt_creditor"])
                    if form.cleaned_data.get("debt_creditor")
                    else ""
                ),
                **_preview(case, form),
                **_list_context(case, catalogue, indicator_list),
            },
        )
    if posted and action in (DRAFT, COMPLETE) and form.is_valid():
        complete = action == COMPLETE
        try:
            with transaction.atomic():
                screening = _save(
                    request,
                    case=case,
                    screening=screening,
                    form=form,
                    values=_values(form),
                    complete=complete,
                )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except WorkflowError as exc:
            form.add_error(None, str(exc.detail))
        else:
            if complete:
                messages.success(request, _("The screening is complete."))
                return redirect("screening:detail", pk=screening.pk)
            messages.success(request, _("The draft is saved; you can complete it later."))
            return redirect("screening:edit", pk=screening.pk)
    language = form["interview_language"].value() or ""
    groups = _question_groups(
        form, interview_language=language, prompts=prompts, opened=request.POST.getlist("open")
    )
    answered = sum(g["answered"] for g in groups)
    total = sum(g["total"] for g in groups)
    return render(
        request,
        "screening/interview.html",
        {
            "case": case,
            "case_url": case_url(case),
            "screening": screening,
            "form": form,
            "groups": groups,
            "answered": answered,
            "total": total,
            "consented": _consented(form),
            "catalogue": catalogue,
            "language_refused": UNKNOWN_LANGUAGE if language_refused else "",
            **_language_context(catalogue, language),
            **_list_context(case, catalogue, indicator_list),
        },
        status=400 if language_refused or (form.is_bound and form.errors) else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def screening_start(request, case_id: int):
    """Start a screening interview of a case (inspectors and caseworkers)."""
    _ensure_may_screen(request.user)
    case = case_get_for_user(request.user, case_id=case_id)
    return _interview(request, case=case, screening=None)


@login_required
@require_http_methods(["GET", "POST"])
def screening_edit(request, pk: int):
    """Continue a draft screening."""
    _ensure_may_screen(request.user)
    screening = selectors.screening_get_for_user(request.user, screening_id=pk)
    if screening.is_complete:
        return redirect("screening:detail", pk=screening.pk)
    if screening.screened_by_id != request.user.pk:
        raise PermissionDenied
    return _interview(request, case=screening.case, screening=screening)


def result_context(screening: Screening) -> dict:
    """What the result page and panels show of a complete screening, in the active language."""
    if not screening.is_complete:
        return {}
    stored = selectors.stored_result(screening)
    if stored is None:
        # The template shows a notice instead of the result (a damaged or pre-engine record).
        return {"result_unreadable": selectors.UNREADABLE_RESULT}
    result, catalogue = stored.result, stored.catalogue
    dimensions = [
        {
            "name": catalogue.dimension_name(code),
            "tally": tally,
        }
        for code, tally in result.dimensions.items()
    ]
    yes_answers = [
        {"code": code, "text": catalogue.text(code)}
        for code in catalogue.codes
        if (screening.answers or {}).get(code) == YES
    ]
    return {
        "result": result,
        "reasons": stored.reasons,
        "dimensions": dimensions,
        "yes_answers": yes_answers,
        "elements": result.elements,
        "indicator_list_name": catalogue.list_name(screening.indicator_list),
    }


@login_required
@require_GET
def screening_detail(request, pk: int):
    """A screening's result, with the reasons, and the removals of the case."""
    from apps.removals.selectors import removals_of_case

    screening = selectors.screening_get_for_user(request.user, screening_id=pk)
    if not screening.is_complete and screening.screened_by_id == request.user.pk:
        return redirect("screening:edit", pk=screening.pk)
    catalogue = selectors.catalogue_for_version(screening.catalogue_version)
    creditor = ""
    if screening.debt_creditor in catalogue.creditor_codes:
        creditor = catalogue.creditor_label(screening.debt_creditor)
    return render(
        request,
        "screening/detail.html",
        {
            "screening": screening,
            "case": screening.case,
            "case_url": case_url(screening.case),
            "creditor": creditor,
            "removals": removals_of_case(screening.case),
            **result_context(screening),
        },
    )


@login_required
@require_GET
def screening_list(request):
    """Screenings of the cases the user may see."""
    filters = {"trafficking": request.GET.get("trafficking", "")}
    if filters["trafficking"] not in Screening.Trafficking.values:
        filters = {}
    screenings = selectors.screening_list_for_user(request.user, filters=filters)
    page = Paginator(screenings, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "screening/list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "results": Screening.Trafficking.choices,
            "selected": filters.get("trafficking", ""),
        },
    )


@login_required
@require_GET
def catalogue_view(request):
    """The indicator catalogue by dimension, in the three languages."""
    version = request.GET.get("version") or None
    catalogue = selectors.catalogue_for_version(version)
    interview_only = [lang for lang in catalogue.languages if lang not in LANGUAGES]
    groups = [
        {
            "dimension": dimension,
            "names": [(lang, dimension.name_in(lang)) for lang in LANGUAGES],
            "indicators": [
                {
                    "indicator": indicator,
                    "strength": STRENGTH_LABELS.get(indicator.strength or "", "—"),
                    "columns": [
                        (lang, indicator.text_in(lang), indicator.question_in(lang))
                        for lang in LANGUAGES
                    ],
                    # The questions in the interview-only languages (uz, tg, ky) the catalogue
                    # has, for the interviewers and the native-speaker reviewers.
                    "interview_questions": [
                        (lang, ENDONYMS.get(lang, lang), indicator.question[lang])
                        for lang in interview_only
                        if indicator.question.get(lang)
                    ],
                    "lists": [
                        lst.name_in() for lst in catalogue.lists if indicator.in_list(lst.code)
                    ]
                    if indicator.lists is not None
                    else [],
                    "strengths": [
                        (catalogue.list_name(code), STRENGTH_LABELS[strength])
                        for code, strength in indicator.strengths.items()
                    ],
                }
                for indicator in catalogue.indicators_in(dimension.code)
            ],
        }
        for dimension in catalogue.dimensions
    ]
    return render(
        request,
        "screening/catalogue.html",
        {
            "catalogue": catalogue,
            "groups": groups,
            "languages": LANGUAGES,
            "interview_only": interview_only,
            "strengths": STRENGTHS,
            "current_language": get_language(),
            "lists": catalogue.lists,
            "sector_lists": _sector_lists(catalogue),
            "versions": [(v, v == catalogue.version) for v in available_versions()],
        },
    )


def _sector_lists(catalogue) -> list[str]:
    """The sectors whose cases are asked another list than the labour one."""
    from apps.cases.models import Sector

    return [str(Sector(code).label) for code in catalogue.sector_forms]
