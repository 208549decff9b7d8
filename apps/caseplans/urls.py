from django.urls import path

from . import views

app_name = "caseplans"

urlpatterns = [
    path("cases/<int:case_id>/", views.caseplan_page, name="plan"),
    path("cases/<int:case_id>/pdf/", views.caseplan_pdf, name="pdf"),
]
