"""How timeline events read: each app registers a renderer for the event kinds it writes."""

from collections.abc import Callable

from django.utils.translation import gettext as _

# kind -> function(event) returning a sentence in the active language
_renderers: dict[str, Callable] = {}


def register(kind: str, renderer: Callable) -> None:
    _renderers[kind] = renderer


def describe(event) -> str:
    """The event as a sentence in the active language."""
    renderer = _renderers.get(event.kind)
    if renderer is None:
        return _("Event: %(kind)s") % {"kind": event.kind}
    return str(renderer(event))
