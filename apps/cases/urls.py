from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("new/duplicates/", views.duplicates_check, name="duplicates"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/edit/", views.case_edit, name="edit"),
    path("<int:case_id>/notes/", views.note_add, name="note_add"),
    path("<int:case_id>/documents/new/", views.document_add, name="document_add"),
    path("<int:case_id>/documents/<int:document_id>/", views.document_edit, name="document_edit"),
    path("<int:case_id>/employment/new/", views.employment_add, name="employment_add"),
    path(
        "<int:case_id>/employment/<int:employment_id>/",
        views.employment_edit,
        name="employment_edit",
    ),
    path("<int:case_id>/close/", views.case_close, name="close"),
    path("<int:case_id>/reopen/", views.case_reopen, name="reopen"),
    path("<int:case_id>/link/", views.case_link, name="link"),
    path("<int:case_id>/links/<int:link_id>/undo/", views.case_link_undo, name="link_undo"),
]
