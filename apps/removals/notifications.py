"""Who is told about a suspended removal, and the message each of them gets."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import translation

from apps.accounts.models import Organization
from apps.core.links import absolute_url

from .models import Removal

SUPPORTED = {code for code, _name in settings.LANGUAGES}


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str


def _language(code: str | None) -> str:
    return code if code in SUPPORTED else settings.LANGUAGE_CODE


def suspension_recipients(removal: Removal) -> list[Recipient]:
    """The case's caseworker and the NGO focal points of the case's region, each once."""
    case = removal.case
    found: dict[str, Recipient] = {}

    def add(email: str, language: str) -> None:
        key = email.strip().lower()
        if key and key not in found:
            found[key] = Recipient(email=email.strip(), language=_language(language))

    assignee = case.assigned_to
    if assignee is not None and assignee.is_active and assignee.email:
        add(assignee.email, assignee.language)
    ngos = Organization.objects.filter(
        kind=Organization.Kind.NGO, region=case.region, is_active=True
    ).order_by("name")
    caseworkers = (
        get_user_model()
        .objects.filter(organization__in=ngos, role="caseworker", is_active=True)
        .exclude(email="")
        .order_by("organization_id", "username")
    )
    reached = set()
    for user in caseworkers:
        add(user.email, user.language)
        reached.add(user.organization_id)
    # An NGO with no caseworker account in casemgr is told through its contact address.
    for ngo in ngos:
        if ngo.pk not in reached and ngo.email:
            preferred = next((lang for lang in ngo.languages if lang in SUPPORTED), None)
            add(ngo.email, preferred or "ru")
    return list(found.values())


def suspension_message(removal: Removal, *, language: str) -> tuple[str, str]:
    """Subject and body in `language`; they name the case reference, never the person."""
    with translation.override(language):
        context = {
            "removal": removal,
            "case": removal.case,
            "region": removal.case.get_region_display(),
            "url": absolute_url("removals:detail", args=[removal.pk]),
        }
        subject = render_to_string("removals/email/suspension_subject.txt", context)
        body = render_to_string("removals/email/suspension_body.txt", context)
    return " ".join(subject.split()), body


def protection_recipients(flagged_cases) -> list[Recipient]:
    """The caseworkers of the organisations whose cases flag the person, each once."""
    found: dict[str, Recipient] = {}
    users = get_user_model().objects.filter(
        organization__in={case.organization_id for case in flagged_cases},
        role="caseworker",
        is_active=True,
    )
    assignees = [case.assigned_to for case in flagged_cases if case.assigned_to_id]
    for user in [*assignees, *users.exclude(email="").order_by("organization_id", "username")]:
        key = (user.email or "").strip().lower()
        if key and user.is_active and key not in found:
            found[key] = Recipient(email=user.email.strip(), language=_language(user.language))
    return list(found.values())


def protection_message(removal: Removal, flagged_case, *, language: str) -> tuple[str, str]:
    """Subject and body in `language` for a flagging organisation: they name its own case and
    the removal's region and dates, never the other organisation's case or the person."""
    with translation.override(language):
        context = {
            "removal": removal,
            "case": flagged_case,
            "region": removal.case.get_region_display(),
            "url": absolute_url("cases:detail", args=[flagged_case.pk]),
        }
        subject = render_to_string("removals/email/protection_subject.txt", context)
        body = render_to_string("removals/email/protection_body.txt", context)
    return " ".join(subject.split()), body
