from django.urls import path

from . import views

app_name = "protection"

urlpatterns = [
    path("cases/<int:case_id>/grounds/", views.grounds_record, name="grounds"),
    path("cases/<int:case_id>/identification/", views.identification_record, name="identification"),
    path(
        "identifications/<int:pk>/document/",
        views.identification_document,
        name="identification_document",
    ),
]
