from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.index, name="index"),
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/attendance/", views.attendance_add, name="attendance_add"),
    path(
        "sessions/<int:pk>/attendance/<int:attendance_id>/remove/",
        views.attendance_remove,
        name="attendance_remove",
    ),
    path("sessions/<int:pk>/import/", views.attendance_import, name="attendance_import"),
    path(
        "sessions/<int:pk>/import/confirm/",
        views.attendance_import_confirm,
        name="attendance_import_confirm",
    ),
    path("import-template.<str:ext>", views.import_template, name="import_template"),
    path("inspectors/", views.inspector_list, name="inspector_list"),
    path("mine/", views.mine, name="mine"),
]
