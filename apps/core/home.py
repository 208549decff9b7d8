"""Panels on the home page: each app registers what its roles need to see first."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    template: str
    roles: frozenset[str]
    context: Callable | None = None  # (request) -> dict, for the panel's template
    order: int = 100
    key: str = field(default="")


_panels: dict[str, Panel] = {}


def register(template: str, *, roles, context: Callable | None = None, order: int = 100) -> None:
    _panels[template] = Panel(
        template=template, roles=frozenset(roles), context=context, order=order, key=template
    )


def panels_for(request) -> list[dict]:
    """The panels for the user's role, each with its own context, in order."""
    result = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.template)):
        if request.user.role not in panel.roles:
            continue
        context = panel.context(request) if panel.context else {}
        result.append({"template": panel.template, "context": context})
    return result
