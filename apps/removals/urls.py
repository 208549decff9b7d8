from django.urls import path

from . import views

app_name = "removals"

urlpatterns = [
    path("", views.removal_list, name="list"),
    path("<int:pk>/", views.removal_detail, name="detail"),
    path("<int:pk>/decide/", views.removal_decide, name="decide"),
    path("<int:pk>/override/", views.removal_override, name="override"),
    path("<int:pk>/enforce/", views.removal_enforce, name="enforce"),
    path("<int:pk>/identity-check/", views.removal_identity_check, name="identity_check"),
    path("cases/<int:case_id>/propose/", views.removal_propose, name="propose"),
]
