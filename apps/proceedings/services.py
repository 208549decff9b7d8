"""Writes on criminal proceedings: record one, update it (with its version)."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.cases.selectors import case_list_for_user
from apps.cases.services import case_event_record

from .models import Exploitation, Proceeding
from .selectors import proceeding_can_edit

WRITE_ROLES = {"administrator", "caseworker", "inspector"}
FIELDS = (
    "reference",
    "exploitation",
    "opened_on",
    "prosecuted_on",
    "convicted_on",
    "acquitted_on",
    "official_complicity",
)


def _validate(*, user, values: dict, case_ids: Iterable[int] | None) -> list:
    """Field errors for the whole record at once; returns the visible cases to link."""
    errors: dict[str, list[str]] = {}
    cases = []
    if case_ids is not None:
        ids = {int(i) for i in case_ids}
        if not ids:
            errors["cases"] = [_("Link at least one case.")]
        else:
            cases = list(case_list_for_user(user).filter(pk__in=ids).order_by("pk"))
            # The same message for a case that does not exist and one the user may not see.
            if len(cases) != len(ids):
                errors["cases"] = [_("Choose only cases you can open.")]
    if values.get("exploitation") not in Exploitation.values:
        errors["exploitation"] = [_("Choose labour, sexual or other exploitation.")]
    opened: date | None = values.get("opened_on")
    prosecuted: date | None = values.get("prosecuted_on")
    convicted: date | None = values.get("convicted_on")
    acquitted: date | None = values.get("acquitted_on")
    if opened is None:
        errors["opened_on"] = [_("Enter the date the investigation was opened.")]
    elif opened > timezone.localdate():
        errors["opened_on"] = [_("The investigation cannot open in the future.")]
    if prosecuted and opened and prosecuted < opened:
        errors["prosecuted_on"] = [_("The prosecution cannot start before the investigation.")]
    for name, value in (("convicted_on", convicted), ("acquitted_on", acquitted)):
        if value is None:
            continue
        if prosecuted is None:
            errors[name] = [_("A verdict needs the date of the prosecution.")]
        elif value < prosecuted:
            errors[name] = [_("A verdict cannot come before the prosecution.")]
    if convicted and acquitted:
        errors["acquitted_on"] = [_("A proceeding ends in a conviction or an acquittal, not both.")]
    if errors:
        raise ValidationError(errors)
    return cases


@transaction.atomic
def proceeding_create(
    *,
    user,
    case_ids: Iterable[int],
    exploitation: str,
    opened_on: date | None,
    prosecuted_on: date | None = None,
    convicted_on: date | None = None,
    acquitted_on: date | None = None,
    official_complicity: bool = False,
    reference: str = "",
) -> Proceeding:
    """Record a criminal proceeding linked to cases the user may see."""
    if not (user.is_authenticated and user.is_active and user.role in WRITE_ROLES):
        raise PermissionDenied
    values = {
        "reference": (reference or "").strip(),
        "exploitation": exploitation,
        "opened_on": opened_on,
        "prosecuted_on": prosecuted_on,
        "convicted_on": convicted_on,
        "acquitted_on": acquitted_on,
        "official_complicity": bool(official_complicity),
    }
    cases = _validate(user=user, values=values, case_ids=list(case_ids))
    proceeding = Proceeding.objects.create(
        organization_id=user.organization_id, created_by=user, **values
    )
    proceeding.cases.set(cases)
    audit_record(
        actor=user,
        action="create",
        target=proceeding,
        details={"cases": [c.pk for c in cases], "exploitation": exploitation},
    )
    for case in cases:
        case_event_record(
            case=case, actor=user, kind="proceeding_linked", data={"proceeding": proceeding.pk}
        )
    return proceeding


@transaction.atomic
def proceeding_update(
    *,
    user,
    proceeding: Proceeding,
    version: int | None,
    case_ids: Iterable[int] | None = None,
    **changes,
) -> Proceeding:
    """Change a proceeding's dates, type or cases; refuses a stale version."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown proceeding fields: {', '.join(sorted(unknown))}")
    if not proceeding_can_edit(user, proceeding):
        raise PermissionDenied
    proceeding.check_version(version)
    values = {name: getattr(proceeding, name) for name in FIELDS}
    values.update(changes)
    if "reference" in changes:
        values["reference"] = (values["reference"] or "").strip()
    cases = _validate(
        user=user, values=values, case_ids=None if case_ids is None else list(case_ids)
    )
    fields = [name for name in FIELDS if getattr(proceeding, name) != values[name]]
    for name in fields:
        setattr(proceeding, name, values[name])
    added: list = []
    if case_ids is not None:
        # Cases the user cannot see stay linked: an editor only changes what they can see.
        visible = case_list_for_user(user).values("pk")
        current = set(proceeding.cases.filter(pk__in=visible).values_list("pk", flat=True))
        wanted = {c.pk for c in cases}
        removed = current - wanted
        added = [c for c in cases if c.pk not in current]
        if removed:
            proceeding.cases.remove(*removed)
        if added:
            proceeding.cases.add(*added)
        if removed or added:
            fields.append("cases")
    # Bump the version even for a link-only change, so a concurrent editor sees it.
    proceeding.save_versioned(update_fields=[f for f in fields if f != "cases"])
    if fields:
        audit_record(actor=user, action="update", target=proceeding, details={"fields": fields})
    for case in added:
        case_event_record(
            case=case, actor=user, kind="proceeding_linked", data={"proceeding": proceeding.pk}
        )
    return proceeding
