from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemovalsConfig(AppConfig):
    name = "apps.removals"
    label = "removals"
    verbose_name = _("Removals")

    def ready(self) -> None:
        from apps.cases import panels, timeline
        from apps.core import home, navigation

        from . import home as removals_home
        from . import panels as removals_panels
        from . import timeline as removals_timeline

        navigation.register(_("Removals"), "removals:list", order=35)
        panels.register(
            "removals/_case_panel.html", context=removals_panels.case_panel_context, order=25
        )
        for kind in (
            "removal_proposed",
            "removal_suspended",
            "removal_decided",
            "removal_overridden",
            "removal_enforced",
            "identity_checked",
        ):
            timeline.register(kind, getattr(removals_timeline, kind))
        home.register(
            "removals/_home_pending.html",
            roles=["inspector", "administrator"],
            context=removals_home.pending_context,
            order=25,
        )
