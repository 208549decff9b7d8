"""Case pages: thin views over the selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.access import has_role
from apps.core.exceptions import RateLimited, StaleVersion, WorkflowError
from apps.core.pagination import BoundedCountPaginator

from . import panels, selectors, services, timeline
from .countries import country_name
from .forms import (
    CaseEditForm,
    CaseFilterForm,
    CaseOpenForm,
    CloseForm,
    DocumentForm,
    EmploymentForm,
    FirstDocumentForm,
    NoteForm,
    PersonForm,
    ReopenForm,
    apply_errors,
)
from .languages import language_name
from .services import PERSON_FIELDS
from .stay import translated_rule_text

READ_ROLES = ("caseworker", "inspector", "administrator", "auditor")
PAGE_SIZE = 25


def _require_read(user) -> None:
    if not has_role(user, READ_ROLES):
        raise PermissionDenied


def _case_for_change(request, case_id):
    case = selectors.case_get_for_user(request.user, case_id=case_id, audit=False)
    if not services.can_change_case(request.user, case):
        raise PermissionDenied
    return case


@require_GET
@login_required
def case_list(request):
    """Cases the user may see, with filters, search and the risk and overstay at a glance."""
    _require_read(request.user)
    form = CaseFilterForm(request.GET or None)
    filters = dict(form.cleaned_data) if form.is_bound and form.is_valid() else {}
    if filters.pop("mine", False):
        filters["assigned_to"] = request.user.pk
    today = timezone.localdate()
    cases = selectors.case_filter(
        selectors.case_list_for_user(request.user), filters, today=today, user=request.user
    )
    # The page's ids first, then its cases with their people and assignees (as the API reads
    # its pages: selectors.case_list_page); the count reads the cases alone.
    page = BoundedCountPaginator(
        cases,
        PAGE_SIZE,
        rows=lambda ids: selectors.case_list_page(ids).select_related("person", "assigned_to"),
    ).get_page(request.GET.get("page"))
    selectors.case_list_audit(
        request.user,
        ids=[c.pk for c in page],
        count=page.paginator.count,
        filters=filters,
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "today": today,
        "can_open": services.can_open_case(request.user),
        # A name search whose matches were too many to rank says so (selectors.RANK_LIMIT).
        "ranked_search": (ranked := selectors.is_ranked(cases)),
        "unranked_search": not ranked and selectors.has_name_word(filters.get("q", "")),
    }
    template = "cases/_list_results.html" if request.htmx else "cases/list.html"
    return render(request, template, context)


def _open_forms(data=None):
    return (
        PersonForm(data, prefix="person"),
        CaseOpenForm(data, prefix="case"),
        FirstDocumentForm(data, prefix="document"),
        NoteForm(data, prefix="note"),
    )


def _duplicates_for(request, person_form, document_form):
    data = person_form.cleaned_data if person_form.is_valid() else {}
    number = document_form.cleaned_data.get("number") if document_form.is_valid() else ""
    try:
        return selectors.case_duplicate_check(
            request.user,
            sex=data.get("sex", ""),
            given_name=data.get("given_name", ""),
            family_name=data.get("family_name", ""),
            date_of_birth=data.get("date_of_birth"),
            citizenship=data.get("citizenship", ""),
            document_numbers=[number] if number else [],
        )
    except RateLimited as exc:
        # The warning says so; opening the case stays possible once the user confirms.
        return selectors.Duplicates(visible=[], elsewhere=False, limited=str(exc.detail))


@require_http_methods(["GET", "POST"])
@login_required
def case_create(request):
    """Open a case: the person, how they were met, their stay and a first document."""
    if not services.can_open_case(request.user):
        raise PermissionDenied
    person_form, case_form, document_form, note_form = _open_forms(
        request.POST if request.method == "POST" else None
    )
    note_form.fields["text"].required = False
    duplicates = None
    if request.method == "POST":
        valid = all([f.is_valid() for f in (person_form, case_form, document_form, note_form)])
        duplicates = _duplicates_for(request, person_form, document_form)
        confirmed = request.POST.get("confirm_duplicates") == "1"
        if valid and duplicates and not confirmed:
            messages.warning(
                request,
                _("This person may already have a case. Check the warning, then save again."),
            )
        elif valid:
            document = document_form.cleaned_data
            try:
                case = services.case_open(
                    actor=request.user,
                    person={name: person_form.cleaned_data.get(name) for name in PERSON_FIELDS},
                    documents=(
                        [{k: document[k] for k in ("kind", "number", "held_by")}]
                        if document_form.has_document()
                        else []
                    ),
                    note=note_form.cleaned_data.get("text", ""),
                    **case_form.cleaned_data,
                )
            except ValidationError as exc:
                apply_errors([person_form, case_form, document_form, note_form], exc)
            else:
                messages.success(
                    request, _("Case %(reference)s opened.") % {"reference": case.reference}
                )
                return redirect("cases:detail", case_id=case.pk)
    return render(
        request,
        "cases/create.html",
        {
            "forms": [person_form, case_form, document_form, note_form],
            "person_form": person_form,
            "case_form": case_form,
            "document_form": document_form,
            "note_form": note_form,
            "duplicates": duplicates,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def duplicates_check(request):
    """The possible-duplicate warning for the opening form (HTMX, as the user types)."""
    if not services.can_open_case(request.user):
        raise PermissionDenied
    person_form = PersonForm(request.POST, prefix="person")
    document_form = FirstDocumentForm(request.POST, prefix="document")
    duplicates = _duplicates_for(request, person_form, document_form)
    return render(request, "cases/_duplicates.html", {"duplicates": duplicates})


def _stay_reason(found) -> str:
    """Why the stay ends when it does, in words (the case page's "Stay rule")."""
    rule = found.rule
    if found.reason == "no_rule":
        return _("No stay rule applies: the host country is unknown or no rule matches.")
    if found.reason == "no_entry":
        return _("Give the entry date to compute the stay.")
    if found.reason == "no_permit":
        return _("The stay lasts until the permit, patent or contract ends: give its end date.")
    if found.reason == "permit":
        if rule and rule.grace_days:
            return _(
                "Until the permit, patent or contract ends, plus %(grace)s days to find new work."
            ) % {"grace": rule.grace_days}
        return _("Until the permit, patent or contract ends.")
    if found.reason == "rolling":
        return _(
            "%(limit)s days in any %(window)s days; %(counted)s days of earlier stays in the "
            "period count."
        ) % {
            "limit": rule.window_limit_days,
            "window": rule.window_days,
            "counted": found.days_counted,
        }
    if found.reason == "calendar_year":
        return _(
            "%(limit)s days per calendar year; %(counted)s days of earlier stays this year count."
        ) % {"limit": rule.year_limit_days, "counted": found.days_counted}
    return _("%(days)s days from the day of entry.") % {"days": rule.days}


def _detail_context(request, case) -> dict:
    documents = list(selectors.case_documents(case))
    today = timezone.localdate()
    events = list(selectors.case_events(case)[:200])
    stays = list(case.stays.all())
    stay = services.case_stay_assessment(case, stays=[(s.entered, s.left) for s in stays])
    return {
        "case": case,
        "today": today,
        "stay": stay,
        "stay_reason": _stay_reason(stay),
        "stay_rule_name": translated_rule_text(stay.rule.name) if stay.rule else "",
        "stay_rule_source": translated_rule_text(stay.rule.source) if stay.rule else "",
        "stays": stays,
        "entry_ban_active": bool(
            case.person.entry_ban_until and case.person.entry_ban_until >= today
        ),
        "overstay_days": case.overstay_days_on(today),
        "citizenship_name": country_name(case.person.citizenship),
        "language_names": [language_name(code) for code in case.person.languages or []],
        "documents": documents,
        "withheld": [d for d in documents if d.is_withheld],
        "employments": list(selectors.case_employments(case)),
        "notes": list(selectors.case_notes(case)[:100]),
        "events": [(event, timeline.describe(event)) for event in events],
        "panels": panels.panels_for(request, case),
        "can_change": services.can_change_case(request.user, case),
        "note_form": NoteForm(),
    }


@require_GET
@login_required
def case_detail(request, case_id: int):
    """One case: person, warnings, stay, documents, employment, notes, timeline, panels."""
    _require_read(request.user)
    case = selectors.case_get_for_user(request.user, case_id=case_id)
    return render(request, "cases/detail.html", _detail_context(request, case))


@require_http_methods(["GET", "POST"])
@login_required
def case_edit(request, case_id: int):
    """Change the case's and the person's facts (refused if someone changed them meanwhile)."""
    case = _case_for_change(request, case_id)
    if not case.is_open:
        messages.error(request, _("The case is closed. Reopen it before changing it."))
        return redirect("cases:detail", case_id=case.pk)
    data = request.POST if request.method == "POST" else None
    person_form = PersonForm(data, instance=case.person, prefix="person")
    case_form = CaseEditForm(data, instance=case, prefix="case", initial={"version": case.version})
    status = 200
    if request.method == "POST":
        if person_form.is_valid() and case_form.is_valid():
            changes = {
                name: case_form.cleaned_data[name] for name in case_form.fields if name != "version"
            }
            changes["person"] = {
                name: person_form.cleaned_data[name] for name in person_form.fields
            }
            try:
                services.case_update(
                    case=case,
                    actor=request.user,
                    version=case_form.cleaned_data["version"],
                    data=changes,
                )
            except StaleVersion as exc:
                messages.error(request, str(exc.detail))
                status = 409
            except ValidationError as exc:
                apply_errors([case_form, person_form], exc)
                status = 400
            else:
                messages.success(request, _("Case saved."))
                return redirect("cases:detail", case_id=case.pk)
        else:
            status = 400
    return render(
        request,
        "cases/edit.html",
        {"case": case, "forms": [person_form, case_form]},
        status=status,
    )


@require_POST
@login_required
def note_add(request, case_id: int):
    """Add a note; with HTMX only the notes section is redrawn."""
    case = _case_for_change(request, case_id)
    form = NoteForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            services.case_note_add(case=case, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            apply_errors([form], exc)
            status = 400
        else:
            form = NoteForm()
            if not request.htmx:
                messages.success(request, _("Note added."))
                return redirect("cases:detail", case_id=case.pk)
    else:
        status = 400
    if not request.htmx:
        messages.error(request, _("The note was not saved: write it first."))
        return redirect("cases:detail", case_id=case.pk)
    context = {
        "case": case,
        "notes": list(selectors.case_notes(case)[:100]),
        "note_form": form,
        "can_change": True,
    }
    return render(request, "cases/_notes.html", context, status=status)


def _record_form(request, case, form_class, *, instance=None, add, update, title: str):
    data = request.POST if request.method == "POST" else None
    form = form_class(data, instance=instance)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in form.fields}
            try:
                if instance is None:
                    add(case=case, actor=request.user, data=values)
                else:
                    update(instance, values, request.POST.get("version"))
            except StaleVersion as exc:
                messages.error(request, str(exc.detail))
                status = 409
            except WorkflowError as exc:
                messages.error(request, str(exc.detail))
                return redirect("cases:detail", case_id=case.pk)
            except ValidationError as exc:
                apply_errors([form], exc)
                status = 400
            else:
                messages.success(request, _("Saved."))
                return redirect("cases:detail", case_id=case.pk)
        else:
            status = 400
    version = instance.version if instance is not None else None
    context = {"case": case, "form": form, "title": title, "version": version}
    return render(request, "cases/record_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def document_add(request, case_id: int):
    case = _case_for_change(request, case_id)
    return _record_form(
        request,
        case,
        DocumentForm,
        add=services.identity_document_add,
        update=None,
        title=_("Add a document"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def document_edit(request, case_id: int, document_id: int):
    case = _case_for_change(request, case_id)
    document = selectors.case_document_for_user(
        request.user, case_id=case.pk, document_id=document_id
    )
    return _record_form(
        request,
        case,
        DocumentForm,
        instance=document,
        add=None,
        update=lambda doc, values, version: services.identity_document_update(
            document=doc, actor=request.user, version=version, data=values
        ),
        title=_("Change a document"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def employment_add(request, case_id: int):
    case = _case_for_change(request, case_id)
    return _record_form(
        request,
        case,
        EmploymentForm,
        add=services.employment_add,
        update=None,
        title=_("Add employment"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def employment_edit(request, case_id: int, employment_id: int):
    case = _case_for_change(request, case_id)
    job = selectors.case_employment_for_user(
        request.user, case_id=case.pk, employment_id=employment_id
    )
    return _record_form(
        request,
        case,
        EmploymentForm,
        instance=job,
        add=None,
        update=lambda record, values, version: services.employment_update(
            employment=record, actor=request.user, version=version, data=values
        ),
        title=_("Change employment"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def case_close(request, case_id: int):
    """Close the case with its outcome; the reasons it cannot be closed are shown."""
    case = _case_for_change(request, case_id)
    form = CloseForm(request.POST or None, initial={"version": case.version})
    refusals = [str(r) for r in services.guards.close_refusals(case)] if case.is_open else []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.case_close(case=case, actor=request.user, **form.cleaned_data)
            except WorkflowError as exc:
                messages.error(request, str(exc.detail))
                status = 409
            except ValidationError as exc:
                apply_errors([form], exc)
                status = 400
            else:
                messages.success(request, _("Case closed."))
                return redirect("cases:detail", case_id=case.pk)
        else:
            status = 400
    context = {"case": case, "form": form, "refusals": refusals}
    return render(request, "cases/close.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def case_reopen(request, case_id: int):
    """Reopen a closed case, saying why."""
    case = _case_for_change(request, case_id)
    form = ReopenForm(request.POST or None, initial={"version": case.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.case_reopen(case=case, actor=request.user, **form.cleaned_data)
            except WorkflowError as exc:
                messages.error(request, str(exc.detail))
                status = 409
            else:
                messages.success(request, _("Case reopened."))
                return redirect("cases:detail", case_id=case.pk)
        else:
            status = 400
    return render(request, "cases/reopen.html", {"case": case, "form": form}, status=status)


@require_POST
@login_required
def case_link(request, case_id: int):
    """Record another case as the same person: a link, or (administrators) a merge."""
    from .linking import LINK_ROLES, person_link, person_merge
    from .linking_panel import LinkForm

    if request.user.role not in LINK_ROLES:
        raise PermissionDenied
    case = selectors.case_get_for_user(request.user, case_id=case_id, audit=False)
    form = LinkForm(request.POST, merge=request.user.role == "administrator")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(f"{reverse('cases:detail', args=[case.pk])}#same-person")
    reference = form.cleaned_data["other_reference"].strip().upper()
    other = selectors.case_list_for_user(request.user).filter(reference=reference).first()
    if other is None:
        messages.error(request, _("No case with this reference is visible to you."))
        return redirect(f"{reverse('cases:detail', args=[case.pk])}#same-person")
    service = person_merge if form.cleaned_data["kind"] == "merge" else person_link
    try:
        service(actor=request.user, case=case, other=other, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except WorkflowError as exc:
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, _("Recorded: the two cases are the same person."))
    return redirect(f"{reverse('cases:detail', args=[case.pk])}#same-person")


@require_POST
@login_required
def case_link_undo(request, case_id: int, link_id: int):
    """Undo a link or a merge shown on the case page."""
    from .linking import LINK_ROLES, person_link_undo
    from .linking_panel import links_of

    if request.user.role not in LINK_ROLES:
        raise PermissionDenied
    case = selectors.case_get_for_user(request.user, case_id=case_id, audit=False)
    link = next((link for link in links_of(case) if link.pk == link_id), None)
    if link is None:
        raise Http404
    try:
        person_link_undo(actor=request.user, link=link)
    except WorkflowError as exc:
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, _("The link is undone."))
    return redirect(f"{reverse('cases:detail', args=[case.pk])}#same-person")
