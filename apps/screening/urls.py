from django.urls import path

from . import views

app_name = "screening"

urlpatterns = [
    path("", views.screening_list, name="list"),
    path("catalogue/", views.catalogue_view, name="catalogue"),
    path("cases/<int:case_id>/new/", views.screening_start, name="start"),
    path("<int:pk>/", views.screening_detail, name="detail"),
    path("<int:pk>/edit/", views.screening_edit, name="edit"),
]
