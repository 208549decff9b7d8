from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "apps.protection"
    verbose_name = _("Protection")

    def ready(self):
        from apps.cases import panels, timeline

        from . import checks  # noqa: F401  (registers the settings check)
        from . import panels as protection_panels
        from . import timeline as protection_timeline

        panels.register(
            "protection/_case_panel.html", context=protection_panels.case_panel_context, order=22
        )
        timeline.register("protection_changed", protection_timeline.protection_changed)
