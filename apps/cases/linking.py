"""Linking and merging the records of one migrant (issue 15 item 6; docs/identity.md).

- A caseworker links two cases of their own organisation; an administrator links or merges
  any two cases, across organisations. Each needs a reason, is audited and written on both
  cases' timelines, and can be undone.
- A link keeps both person records and makes them one person for the removal gate
  (apps/removals/protection.py) and the annual report (`person_groups`).
- A merge moves every case of one person record to the other. Everything a case holds moves
  with it, so nothing is copied and nothing is lost; undoing it moves exactly those cases back.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.core.exceptions import WorkflowError

from .models import Case, PersonLink

MIN_REASON = 20
LINK_ROLES = frozenset({"caseworker", "administrator"})


def _clean_reason(reason) -> str:
    reason = reason.strip() if isinstance(reason, str) else ""
    if len(reason) < MIN_REASON:
        raise ValidationError(
            {"reason": [_("Write why these are the same person (at least 20 characters).")]}
        )
    return reason


def may_link(user, case: Case, other: Case) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.role == "administrator":
        return True
    same_organisation = case.organization_id == other.organization_id == user.organization_id
    return user.role == "caseworker" and same_organisation


def _record(*, actor, link: PersonLink, cases: Iterable[Case], event: str) -> None:
    audit_record(
        actor=actor,
        action="update",
        target=link,
        details={"event": event, "kind": link.kind, "cases": [c.pk for c in cases]},
    )
    from .services import case_event_record

    for case in cases:
        case_event_record(
            case=case, actor=actor, kind=event, data={"link_id": link.pk, "kind": link.kind}
        )


def _locked_pair(case: Case, other: Case) -> tuple[Case, Case]:
    if case.pk == other.pk:
        raise WorkflowError(_("A case cannot be linked to itself."), code="same_case")
    locked = {c.pk: c for c in Case.objects.select_for_update().filter(pk__in=[case.pk, other.pk])}
    return locked[case.pk], locked[other.pk]


@transaction.atomic
def person_link(*, actor, case: Case, other: Case, reason: str) -> PersonLink:
    """Record that two cases are about the same person, keeping both person records."""
    if not may_link(actor, case, other):
        raise PermissionDenied(
            _("Caseworkers link their own organisation's cases; administrators link any.")
        )
    reason = _clean_reason(reason)
    case, other = _locked_pair(case, other)
    if case.person_id == other.person_id or other.person_id in linked_person_ids(case.person_id):
        raise WorkflowError(
            _("These cases are already recorded as the same person."), code="already_linked"
        )
    link = PersonLink.objects.create(
        kind=PersonLink.Kind.LINK,
        person_id=case.person_id,
        other_id=other.person_id,
        reason=reason,
        created_by=actor,
    )
    _record(actor=actor, link=link, cases=[case, other], event="person_linked")
    return link


@transaction.atomic
def person_merge(*, actor, case: Case, other: Case, reason: str) -> PersonLink:
    """Move every case of `case`'s person record to `other`'s (administrators only)."""
    if not (actor.is_authenticated and actor.is_active and actor.role == "administrator"):
        raise PermissionDenied(_("Only administrators merge person records."))
    reason = _clean_reason(reason)
    case, other = _locked_pair(case, other)
    if case.person_id == other.person_id:
        raise WorkflowError(
            _("These cases already share one person record."), code="already_merged"
        )
    moved = list(
        Case.objects.select_for_update()
        .filter(person_id=case.person_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    link = PersonLink.objects.create(
        kind=PersonLink.Kind.MERGE,
        person_id=case.person_id,
        other_id=other.person_id,
        moved_cases=moved,
        reason=reason,
        created_by=actor,
    )
    _move(moved, to_person_id=other.person_id)
    from apps.protection.services import protection_after_merge

    protection_after_merge(
        from_person_id=case.person_id, to_person_id=other.person_id, actor=actor, case=other
    )
    _record(
        actor=actor,
        link=link,
        cases=[*Case.objects.filter(pk__in=moved), other],
        event="person_merged",
    )
    return link


def _move(case_ids: list[int], *, to_person_id: int) -> None:
    from .models import Person

    # The case keeps a copy of its person's citizenship for the list filter.
    citizenship = Person.objects.values_list("citizenship", flat=True).get(pk=to_person_id)
    for moved in Case.objects.select_for_update().filter(pk__in=case_ids):
        moved.person_id = to_person_id
        moved.citizenship = citizenship
        moved.save_versioned(update_fields=["person", "citizenship"])


@transaction.atomic
def person_link_undo(*, actor, link: PersonLink) -> PersonLink:
    """Undo a link or a merge (a merge moves its cases back to their own person record)."""
    link = PersonLink.objects.select_for_update().get(pk=link.pk)
    if link.undone_at is not None:
        raise WorkflowError(_("This link was already undone."), code="already_undone")
    if link.kind == PersonLink.Kind.MERGE:
        if not (actor.is_authenticated and actor.is_active and actor.role == "administrator"):
            raise PermissionDenied(_("Only administrators merge person records."))
        _move(link.moved_cases, to_person_id=link.person_id)
        cases = list(Case.objects.filter(pk__in=link.moved_cases))
    else:
        cases = list(Case.objects.filter(person_id__in=[link.person_id, link.other_id]))
        if not any(may_link(actor, a, b) for a in cases for b in cases if a.pk != b.pk):
            raise PermissionDenied(
                _("Caseworkers link their own organisation's cases; administrators link any.")
            )
    link.undone_at = timezone.now()
    link.undone_by = actor
    link.save(update_fields=["undone_at", "undone_by"])
    _record(actor=actor, link=link, cases=cases, event="person_unlinked")
    return link


def reason_visible_to(user, link: PersonLink) -> bool:
    """A link's reason may tell of another organisation's case: it is shown to its author's
    organisation and to administrators and auditors, never across organisations."""
    if user.role in ("administrator", "auditor"):
        return True
    return bool(user.organization_id) and user.organization_id == link.created_by.organization_id


def linked_person_ids(person_id: int) -> set[int]:
    """Every person record joined to this one by an active link, directly or through others."""
    seen, frontier = {person_id}, {person_id}
    while frontier:
        rows = PersonLink.objects.filter(kind=PersonLink.Kind.LINK, undone_at__isnull=True)
        pairs = rows.filter(person_id__in=frontier).values_list("other_id", flat=True)
        back = rows.filter(other_id__in=frontier).values_list("person_id", flat=True)
        frontier = (set(pairs) | set(back)) - seen
        seen |= frontier
    return seen


def person_groups(person_ids: Iterable[int]) -> dict[int, int]:
    """Each person id -> the smallest id of its linked group: counting the distinct values
    counts persons, not person records (the annual report)."""
    ids = set(person_ids)
    parent = {pk: pk for pk in ids}

    def root(pk: int) -> int:
        while parent.setdefault(pk, pk) != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    links = PersonLink.objects.filter(kind=PersonLink.Kind.LINK, undone_at__isnull=True)
    for a, b in links.values_list("person_id", "other_id"):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {pk: root(pk) for pk in ids}
