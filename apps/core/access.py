"""Who may see what: helpers that every selector uses to scope queries to the user."""

from collections.abc import Iterable
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def is_global_reader(user) -> bool:
    """Administrators and auditors read across organisations."""
    return bool(
        user.is_authenticated and user.is_active and user.role in {"administrator", "auditor"}
    )


def has_role(user, roles: Iterable[str]) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in set(roles))


def scope_to_organization(qs: QuerySet, user, *, field: str = "organization") -> QuerySet:
    """Own organisation's records; everything for administrators and auditors; nothing else."""
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    if is_global_reader(user):
        return qs
    if user.organization_id is None:
        return qs.none()
    return qs.filter(**{field: user.organization_id})


def get_or_404(qs: QuerySet[M], **lookup) -> M:
    """One record from an already scoped queryset; a record the user may not see is a 404."""
    # An id no database column can hold names no record: answer before the database errs.
    if any(isinstance(v, int) and not -(2**63) <= v < 2**63 for v in lookup.values()):
        raise Http404
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
