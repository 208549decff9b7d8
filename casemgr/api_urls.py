"""Every API route under /api/v1/; each app contributes its own router entries."""

from django.urls import include, path

urlpatterns = [
    path("", include("apps.accounts.api_urls")),
    path("", include("apps.audit.api_urls")),
]
