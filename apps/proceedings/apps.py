from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceedingsConfig(AppConfig):
    name = "apps.proceedings"
    label = "proceedings"
    verbose_name = _("Criminal proceedings")

    def ready(self) -> None:
        from apps.cases import panels, timeline
        from apps.core import navigation

        from . import case_panel

        navigation.register(
            _("Proceedings"),
            "proceedings:list",
            roles=["administrator", "auditor", "caseworker", "inspector"],
            order=60,
        )
        panels.register("proceedings/_case_panel.html", context=case_panel.context, order=70)
        timeline.register("proceeding_linked", case_panel.describe_linked)
