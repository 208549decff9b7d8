from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "apps.referrals"
    label = "referrals"
    verbose_name = _("Services and referrals")

    def ready(self) -> None:
        from apps.cases import guards, panels, timeline
        from apps.core import home, navigation

        from . import panels as referral_panels
        from .guards import victim_needs_assistance_or_refusal
        from .timeline import RENDERERS

        navigation.register(
            _("Referrals"),
            "referrals:list",
            roles=["caseworker", "administrator", "auditor"],
            order=40,
        )
        navigation.register(_("Services"), "referrals:services", order=45)
        home.register(
            "referrals/_home_incoming.html",
            roles=["caseworker"],
            context=referral_panels.home_incoming,
            order=20,
        )
        panels.register(
            "referrals/_case_panel.html", context=referral_panels.case_referrals, order=50
        )
        for kind, renderer in RENDERERS.items():
            timeline.register(kind, renderer)
        guards.register_close_guard(victim_needs_assistance_or_refusal)
