from django.urls import path

from . import api

urlpatterns = [
    path("reports/annual/<int:year>/", api.AnnualReportView.as_view(), name="report-annual"),
]
