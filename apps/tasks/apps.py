from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "apps.tasks"
    label = "tasks"
    verbose_name = _("Tasks and follow-ups")

    def ready(self) -> None:
        from apps.cases import panels, timeline
        from apps.core import home, navigation

        from . import panels as task_panels
        from .timeline import RENDERERS

        navigation.register(
            _("My tasks"), "tasks:mine", roles=["caseworker", "inspector", "administrator"], order=5
        )
        navigation.register(
            _("Team tasks"),
            "tasks:team",
            roles=["caseworker", "inspector", "administrator"],
            order=6,
        )
        # First on the desk: the day's work.
        home.register(
            "tasks/_home_tasks.html",
            roles=["caseworker", "inspector"],
            context=task_panels.home_tasks,
            order=1,
        )
        panels.register("tasks/_case_panel.html", context=task_panels.case_tasks, order=15)
        for kind, renderer in RENDERERS.items():
            timeline.register(kind, renderer)
