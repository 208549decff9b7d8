"""Sections of the case page contributed by other apps (screenings, removals, referrals…)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CasePanel:
    template: str
    context: Callable  # (request, case) -> dict
    order: int = 100


_panels: dict[str, CasePanel] = {}


def register(template: str, *, context: Callable, order: int = 100) -> None:
    _panels[template] = CasePanel(template=template, context=context, order=order)


def panels_for(request, case) -> list[dict]:
    return [
        {"template": p.template, "context": p.context(request, case)}
        for p in sorted(_panels.values(), key=lambda p: (p.order, p.template))
    ]
