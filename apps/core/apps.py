from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from rest_framework import serializers

        from . import checks  # noqa: F401  (registers the Celery settings check)
        from .fields import EncryptedDateField

        # An encrypted date is a date to API clients, whatever its column holds.
        serializers.ModelSerializer.serializer_field_mapping[EncryptedDateField] = (
            serializers.DateField
        )
