"""Reads of users and organisations, scoped to who is asking."""

from django.db.models import QuerySet

from apps.core.access import get_or_404, scope_to_organization

from .models import Organization, User


def user_list_for_user(user: User) -> QuerySet[User]:
    """Colleagues of the user's organisation; everyone for administrators and auditors."""
    qs = User.objects.filter(is_active=True).select_related("organization").order_by("username")
    return scope_to_organization(qs, user)


def user_get_for_user(user: User, *, user_id) -> User:
    """One user the asking user may see; 404 otherwise."""
    return get_or_404(user_list_for_user(user), pk=user_id)


def organization_list_for_user(user: User) -> QuerySet[Organization]:
    """Organisations are a public directory: every signed-in user sees the active ones."""
    if not (user.is_authenticated and user.is_active):
        return Organization.objects.none()
    return Organization.objects.filter(is_active=True).order_by("name")
