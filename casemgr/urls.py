from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.accounts.views import admin_login

urlpatterns = [
    path("", include("apps.core.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("audit/", include("apps.audit.urls")),
    path("cases/", include("apps.cases.urls")),
    path("screening/", include("apps.screening.urls")),
    path("removals/", include("apps.removals.urls")),
    path("protection/", include("apps.protection.urls")),
    path("referrals/", include("apps.referrals.urls")),
    path("training/", include("apps.training.urls")),
    path("proceedings/", include("apps.proceedings.urls")),
    path("caseplans/", include("apps.caseplans.urls")),
    path("reports/", include("apps.reports.urls")),
    path("tasks/", include("apps.tasks.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin's own sign-in page would skip the second factor and the throttle: it sends
    # everyone to the sign-in form instead (apps.accounts.views.admin_login).
    path("admin/login/", admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("casemgr.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
