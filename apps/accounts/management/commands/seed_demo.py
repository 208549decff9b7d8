from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from apps.core.safety import refuse_in_production


class Command(BaseCommand):
    help = "Load demo organisations, users and activity. Refused in production."

    def handle(self, *args, **options):
        refuse_in_production("seed_demo")
        if not getattr(settings, "DEMO_PASSWORDS_ALLOWED", False):
            raise CommandError("Demo data with known passwords is not allowed in production.")
        # Demo activity triggers notifications; nobody should receive them, so they stay in memory.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            result = self._seed()
        self._print_logins(result.get("accounts", {}))

    def _seed(self) -> dict:
        result = {}
        # Each app may contribute demo data in apps/<app>/demo.py; order follows INSTALLED_APPS
        # so that organisations and users exist before the cases that need them. A module that
        # builds on a later app's records names it in SEED_AFTER and runs after it.
        modules = []
        for config in apps.get_app_configs():
            if not config.name.startswith("apps."):
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            modules.append((config.label, module))
        labels = {label for label, _module in modules}
        while modules:
            ready = [
                (label, module)
                for label, module in modules
                if not (set(getattr(module, "SEED_AFTER", ())) & labels - set(result))
            ] or modules[:1]
            label, module = ready[0]
            modules.remove((label, module))
            self.stdout.write(f"Seeding {label}…")
            result[label] = module.seed(stdout=self.stdout)
        return result

    def _print_logins(self, accounts: dict) -> None:
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000/"))
        self.stdout.write(f"Password for every demo user: {accounts.get('password')}")
        for username, role, org in accounts.get("logins", []):
            self.stdout.write(f"  {username:<22} {role:<14} {org}")
        self.stdout.write(
            "Administrators set up two-factor authentication (any TOTP app) at first sign-in."
        )
