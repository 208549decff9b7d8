from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasePlansConfig(AppConfig):
    name = "apps.caseplans"
    label = "caseplans"
    verbose_name = _("Case plans")

    def ready(self) -> None:
        from apps.cases import panels, timeline

        from . import case_panel

        panels.register("caseplans/_case_panel.html", context=case_panel.context, order=55)
        for kind in case_panel.EVENT_KINDS:
            timeline.register(kind, case_panel.describe)
