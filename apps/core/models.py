from django.db import models
from django.utils.translation import gettext_lazy as _

from .exceptions import StaleVersion
from .signals import versioned_saved


class VersionedModel(models.Model):
    """A record edited by several people: every update must name the version it started from."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def check_version(self, version: int | None) -> None:
        """Refuse an update that started from an older version of this record."""
        if version is not None and int(version) != self.version:
            raise StaleVersion()

    def derived_update_fields(self, update_fields):
        """Fields computed from the ones being saved (search hashes, say) that must go too."""
        return update_fields

    def save_versioned(self, *, update_fields: list[str]) -> None:
        """Save the named fields and bump the version, refusing a concurrent update."""
        # The conditional UPDATE makes the check atomic: two editors holding the same version
        # cannot both succeed, even without a row lock.
        update_fields = self.derived_update_fields(update_fields) or update_fields
        values = {name: getattr(self, name) for name in update_fields}
        updated = (
            type(self)
            ._default_manager.filter(pk=self.pk, version=self.version)
            .update(version=models.F("version") + 1, **values)
        )
        if not updated:
            raise StaleVersion()
        self.version += 1
        versioned_saved.send(type(self), instance=self, update_fields=list(update_fields))
