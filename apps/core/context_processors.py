from . import navigation as nav_registry


def navigation(request):
    """The navigation entries for the signed-in user's role."""
    return {"nav_items": nav_registry.items_for(request.user, request.path)}
