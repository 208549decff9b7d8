"""Signals of the core layer."""

from django.dispatch import Signal

# Sent by VersionedModel.save_versioned after its conditional UPDATE (which, being a queryset
# update, sends no post_save): sender is the model class, with `instance` and `update_fields`.
versioned_saved = Signal()
