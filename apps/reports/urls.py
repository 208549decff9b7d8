from django.urls import path, register_converter

from . import views


class FormatConverter:
    regex = "pdf|xlsx|csv"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "fmt")

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("annual/", views.annual_redirect, name="annual_redirect"),
    path("annual/<int:year>/", views.annual, name="annual"),
    path("annual/<int:year>.<fmt:fmt>", views.annual_download, name="annual_download"),
    path("publish/", views.publish, name="publish"),
    path("waiver/", views.waiver, name="waiver"),
    path("published/", views.published_list, name="published_list"),
    path("published/<int:published_id>/", views.published_detail, name="published_detail"),
    path(
        "published/<int:published_id>.<fmt:fmt>",
        views.published_download,
        name="published_download",
    ),
    path("jobs/", views.job_create, name="job_create"),
    path("jobs/<int:job_id>/", views.job_detail, name="job_detail"),
    path("jobs/<int:job_id>/<int:index>.<fmt:fmt>", views.job_download, name="job_download"),
]
