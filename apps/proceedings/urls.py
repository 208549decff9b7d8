from django.urls import path

from . import views

app_name = "proceedings"

urlpatterns = [
    path("", views.proceeding_list, name="list"),
    path("new/", views.proceeding_create, name="create"),
    path("<int:proceeding_id>/", views.proceeding_detail, name="detail"),
    path("<int:proceeding_id>/edit/", views.proceeding_edit, name="edit"),
]
