from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from apps.core import navigation

        navigation.register(
            _("Audit log"), "audit:list", roles=["administrator", "auditor"], order=90
        )
