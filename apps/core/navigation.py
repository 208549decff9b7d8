"""A registry of navigation entries: each app registers its own in AppConfig.ready()."""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str] = field(default_factory=frozenset)  # empty: every signed-in user
    order: int = 100


_items: list[NavItem] = []


def register(label, url_name: str, *, roles=(), order: int = 100) -> None:
    item = NavItem(label=label, url_name=url_name, roles=frozenset(roles), order=order)
    if item not in _items:
        _items.append(item)


def items_for(user, current_path: str) -> list[dict]:
    """The entries this user's role may use, in order, with the active one marked."""
    if not (user.is_authenticated and user.is_active):
        return []
    result = []
    for item in sorted(_items, key=lambda i: (i.order, str(i.url_name))):
        if item.roles and user.role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = current_path == url or (url != "/" and current_path.startswith(url))
        result.append({"label": item.label, "url": url, "active": active})
    return result
