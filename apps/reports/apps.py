from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "apps.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from apps.core import home, navigation

        from . import signals

        signals.connect()

        navigation.register(
            _("Reports"), "reports:index", roles=["administrator", "auditor"], order=80
        )
        home.register("reports/_home_panel.html", roles=["administrator", "auditor"], order=80)
