from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "apps.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        from apps.cases import panels, timeline
        from apps.core import home, navigation

        from . import home as screening_home
        from . import panels as screening_panels
        from . import timeline as screening_timeline

        navigation.register(_("Screenings"), "screening:list", order=30)
        navigation.register(
            _("Catalogue"), "screening:catalogue", roles=["administrator"], order=85
        )
        panels.register(
            "screening/_case_panel.html", context=screening_panels.case_panel_context, order=20
        )
        timeline.register("screening_completed", screening_timeline.screening_completed)
        home.register(
            "screening/_home_drafts.html",
            roles=["inspector", "caseworker"],
            context=screening_home.drafts_context,
            order=20,
        )
