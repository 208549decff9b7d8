from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from apps.core import navigation

        from . import schema, signals  # noqa: F401

        navigation.register(_("Home"), "core:home", order=0)
        navigation.register(_("Team"), "accounts:team", order=80)
        navigation.register(_("Administration"), "admin:index", roles=["administrator"], order=95)
