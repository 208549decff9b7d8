from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/accept/", views.referral_accept, name="accept"),
    path("<int:pk>/decline/", views.referral_decline, name="decline"),
    path("<int:pk>/complete/", views.referral_complete, name="complete"),
    path("<int:pk>/withdraw/", views.referral_withdraw, name="withdraw"),
    path("cases/<int:case_id>/refer/", views.case_refer, name="case_refer"),
    path(
        "cases/<int:case_id>/assistance-refusals/",
        views.case_refusal_record,
        name="case_refusal",
    ),
    path("services/", views.service_list, name="services"),
    path("services/new/", views.service_create, name="service_create"),
    path("services/<int:pk>/edit/", views.service_edit, name="service_edit"),
]
