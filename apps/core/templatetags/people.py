"""How people are named in pages: a user's full name, else the username, else a dash."""

from django import template

register = template.Library()


@register.filter
def display_name(user) -> str:
    """A user's full name or username; "—" when there is no user (an unassigned case).

    A `default:` argument such as `case.assigned_to.username` raises VariableDoesNotExist when
    the user is missing, which answered 500 on every unassigned case; a filter cannot.
    """
    if user is None or not getattr(user, "pk", None):
        return "—"
    return user.get_full_name() or user.username
