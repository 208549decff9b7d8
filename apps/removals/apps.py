from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemovalsConfig(AppConfig):
    name = "apps.removals"
    label = "removals"
    verbose_name = _("Removals")
