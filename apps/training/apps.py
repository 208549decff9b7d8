from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "apps.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from apps.core import home, navigation

        from . import panels

        navigation.register(
            _("Training"),
            "training:index",
            roles=["administrator", "auditor", "inspector"],
            order=60,
        )
        home.register(
            "training/panels/my_certification.html",
            roles=["inspector"],
            context=panels.my_certification,
            order=40,
        )
        home.register(
            "training/panels/due_for_renewal.html",
            roles=["administrator", "auditor"],
            context=panels.due_for_renewal,
            order=40,
        )
