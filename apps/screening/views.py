from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.cases.selectors import case_get_for_user
from apps.core.exceptions import WorkflowError

from . import selectors, services
from .catalogue import LANGUAGES, STRENGTHS, get_catalogue, normalize_language
from .engine import YES
from .forms import InterviewForm
from .languages import INTERVIEW_LANGUAGE_CODES, question_language
from .models import Screening
from .prefill import prefill_for_case


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


def _question_groups(form: InterviewForm, *, interview_language: str, prompts: dict) -> list:
    catalogue = form.catalogue
    shown = question_language(interview_language)
    mine = normalize_language()
    groups = []
    for dimension in catalogue.dimensions:
        rows = [
            {
                "indicator": indicator,
                "field": form[indicator.code],
                "interview_text": indicator.question_in(shown),
                "user_text": indicator.question_in(mine),
                "prompt": prompts.get(indicator.code),
            }
            for indicator in catalogue.indicators_in(dimension.code)
        ]
        groups.append(
            {
                "dimension": dimension,
                "interview_name": dimension.name_in(shown),
                "user_name": dimension.name_in(mine),
                "rows": rows,
            }
        )
    return groups


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


def _interview(request, *, case, screening: Screening | None):
    catalogue = get_catalogue()
    prompts = prefill_for_case(case) if screening is None else {}
    if screening is None:
        initial = {code: YES for code in prompts}
        initial["interview_language"] = _default_interview_language(case)
    else:
        initial = {
            **screening.answers,
            "interview_language": screening.interview_language,
            "interpreter_used": screening.interpreter_used,
            "consent_given": screening.consent_given,
            "debt_amount": screening.debt_amount,
            "debt_currency": screening.debt_currency,
            "debt_creditor": screening.debt_creditor,
            "version": screening.version,
        }
    if "interview_language" in request.GET:
        initial["interview_language"] = request.GET["interview_language"]
    form = InterviewForm(request.POST or None, initial=initial, catalogue=catalogue)
    if request.method == "POST" and form.is_valid():
        complete = request.POST.get("action") == "complete"
        values = {
            "answers": form.answers(),
            "debt": form.debt(),
            "interview_language": form.cleaned_data["interview_language"],
            "interpreter_used": form.cleaned_data["interpreter_used"],
            "consent_given": form.cleaned_data["consent_given"],
        }
        try:
            with transaction.atomic():
                screening = _save(
                    request,
                    case=case,
                    screening=screening,
                    form=form,
                    values=values,
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
    return render(
        request,
        "screening/interview.html",
        {
            "case": case,
            "case_url": case_url(case),
            "screening": screening,
            "form": form,
            "groups": _question_groups(form, interview_language=language, prompts=prompts),
            "question_language": question_language(language),
            "user_language": normalize_language(),
            "interview_language": language,
            "catalogue": catalogue,
        },
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
    groups = [
        {
            "dimension": dimension,
            "names": [(lang, dimension.name_in(lang)) for lang in LANGUAGES],
            "indicators": [
                {
                    "indicator": indicator,
                    "columns": [
                        (lang, indicator.text_in(lang), indicator.question_in(lang))
                        for lang in LANGUAGES
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
            "strengths": STRENGTHS,
            "current_language": get_language(),
        },
    )
