"""Every API route under /api/v1/; each app contributes its own router entries."""

from django.urls import include, path

urlpatterns = [
    path("", include("apps.accounts.api_urls")),
    path("", include("apps.audit.api_urls")),
    path("", include("apps.cases.api_urls")),
    path("", include("apps.screening.api_urls")),
    path("", include("apps.removals.api_urls")),
    path("", include("apps.protection.api_urls")),
    path("", include("apps.referrals.api_urls")),
    path("", include("apps.training.api_urls")),
    path("", include("apps.proceedings.api_urls")),
    path("", include("apps.caseplans.api_urls")),
    path("", include("apps.reports.api_urls")),
    path("", include("apps.tasks.api_urls")),
]
