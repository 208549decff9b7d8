"""What the cases app registers with the shared registries (navigation, home, timeline)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core import home, navigation

from . import timeline
from .models import Case, DocumentHolder, DocumentKind, Employment, IdentityDocument, Person


def _label(name: str) -> str:
    for model in (Case, Person, IdentityDocument, Employment):
        try:
            return str(model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: S112, BLE001 - the next model may have the field
            continue
    return name


def _fields(changes: dict) -> str:
    return ", ".join(_label(name) for name in changes)


def _opened(event) -> str:
    return _("Case %(reference)s opened.") % {"reference": event.data.get("reference", "")}


def _updated(event) -> str:
    return _("Case details changed: %(fields)s.") % {
        "fields": _fields(event.data.get("changes", {}))
    }


def _note(event) -> str:
    return _("Note added.")


def _closed(event) -> str:
    return _("Case closed. Outcome: %(outcome)s") % {"outcome": event.data.get("outcome", "")}


def _reopened(event) -> str:
    reason = event.data.get("reason")
    if reason:
        return _("Case reopened: %(reason)s") % {"reason": reason}
    return _("Case reopened.")


def _document_added(event) -> str:
    kind = DocumentKind(event.data["kind"]).label if event.data.get("kind") else ""
    held_by = event.data.get("held_by", "")
    if held_by == DocumentHolder.EMPLOYER:
        return _("Document recorded: %(kind)s, held by the employer.") % {"kind": kind}
    if held_by == DocumentHolder.RECRUITER:
        return _("Document recorded: %(kind)s, held by a recruiter.") % {"kind": kind}
    return _("Document recorded: %(kind)s.") % {"kind": kind}


def _document_updated(event) -> str:
    kind = DocumentKind(event.data["kind"]).label if event.data.get("kind") else ""
    return _("Document changed (%(kind)s): %(fields)s.") % {
        "kind": kind,
        "fields": _fields(event.data.get("changes", {})),
    }


def _employment_added(event) -> str:
    return _("Employment recorded.")


def _employment_updated(event) -> str:
    return _("Employment changed: %(fields)s.") % {"fields": _fields(event.data.get("changes", {}))}


def _home_context(request) -> dict:
    from .selectors import case_home_summary
    from .services import can_open_case

    return {**case_home_summary(request.user), "can_open": can_open_case(request.user)}


def _linked(event) -> str:
    return _("Recorded as the same person as another case.")


def _merged(event) -> str:
    return _("Person records merged: the cases now share one person record.")


def _unlinked(event) -> str:
    return _("A link or merge of person records was undone.")


def register() -> None:
    navigation.register(
        gettext_lazy("Cases"),
        "cases:list",
        roles=["caseworker", "inspector", "administrator", "auditor"],
        order=10,
    )
    home.register(
        "cases/_home_panel.html", roles=["caseworker", "inspector"], context=_home_context, order=10
    )
    for kind, renderer in {
        "case_opened": _opened,
        "case_updated": _updated,
        "note_added": _note,
        "case_closed": _closed,
        "case_reopened": _reopened,
        "document_added": _document_added,
        "document_updated": _document_updated,
        "employment_added": _employment_added,
        "employment_updated": _employment_updated,
        "person_linked": _linked,
        "person_merged": _merged,
        "person_unlinked": _unlinked,
    }.items():
        timeline.register(kind, renderer)
    from . import panels
    from .linking_panel import same_person_panel

    panels.register("cases/_same_person_panel.html", context=same_person_panel, order=90)
