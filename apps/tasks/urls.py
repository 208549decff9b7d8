from django.urls import path

from . import views

app_name = "tasks"

urlpatterns = [
    path("", views.task_mine, name="mine"),
    path("team/", views.task_team, name="team"),
    path("<int:pk>/done/", views.task_close, {"status": "done"}, name="done"),
    path("<int:pk>/cancel/", views.task_close, {"status": "cancelled"}, name="cancel"),
    path("cases/<int:case_id>/add/", views.case_task_add, name="case_add"),
    path("cases/<int:case_id>/follow-ups/plan/", views.case_follow_up_plan, name="follow_up_plan"),
    path("follow-ups/<int:pk>/record/", views.follow_up_record, name="follow_up_record"),
]
