"""Model fields whose values are encrypted in the database (see apps.core.crypto).

Dumps (`manage.py dumpdata`, in any format) hold these fields as the database does, encrypted;
loading a dump (`loaddata`, with the same keys) reads them back. What users type is never read
as an encrypted value: a stored value pasted into a field is kept as the text it is, so the
application cannot be made to decrypt a value copied out of the database.
"""

import datetime
import json

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.text import capfirst

from . import crypto
from .widgets import DateInput


class EncryptedTextField(models.TextField):
    """Text stored encrypted; read and written as plain text by the application.

    The database can neither search nor sort it: pair it with a keyed-hash column where an
    exact-match search is needed.
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        # Field's, not TextField's: subclasses' to_python (JSON, dates) must not undo the
        # serialisation they did before calling this.
        value = models.Field.get_prep_value(self, value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))

    def typed_value(self, value):
        """The Python value of what was typed or given, never decrypted."""
        return super().to_python(value)

    def to_python(self, value):
        # Deserializers (loaddata) call this with a dump's values, which are encrypted.
        if crypto.is_encrypted(value):
            return self.from_db_value(value, None, None)
        return self.typed_value(value)

    def clean(self, value, model_instance):
        # Model validation (full_clean: forms, services) takes values as typed.
        value = self.typed_value(value)
        self.validate(value, model_instance)
        self.run_validators(value)
        return value

    def value_to_string(self, obj):
        # What serializers (dumpdata) write: the stored, encrypted form.
        value = self.get_prep_value(self.value_from_object(obj))
        return "" if value is None else value


class EncryptedCharField(EncryptedTextField):
    """A short encrypted value: `max_length` limits the plain text (forms, API, validation);
    the column is text, since the ciphertext is longer."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(MaxLengthValidator(self.max_length))

    def formfield(self, **kwargs):
        return super().formfield(**{"widget": forms.TextInput, **kwargs})


class EncryptedDateField(EncryptedTextField):
    """A date stored encrypted (ISO format inside the ciphertext)."""

    def from_db_value(self, value, expression, connection):
        text = super().from_db_value(value, expression, connection)
        if not text:
            return None
        return datetime.date.fromisoformat(text)

    def typed_value(self, value):
        if value is None or value == "" or isinstance(value, datetime.date):
            return value or None
        return datetime.date.fromisoformat(str(value))

    def get_prep_value(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, datetime.date):
            value = value.isoformat()
        return super().get_prep_value(value)

    def formfield(self, **kwargs):
        return forms.DateField(
            required=not self.blank,
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
            # A form's own widget (ModelForm Meta.widgets) wins; the default is an ISO date input.
            widget=kwargs.get("widget") or DateInput(),
            **{k: v for k, v in kwargs.items() if k in {"initial"}},
        )


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (dict or list) stored encrypted; the database cannot look inside it."""

    def from_db_value(self, value, expression, connection):
        text = super().from_db_value(value, expression, connection)
        if text is None or text == "":
            return self.get_default()
        return json.loads(text)

    def typed_value(self, value):
        if isinstance(value, str):
            return json.loads(value) if value else self.get_default()
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        return super().get_prep_value(json.dumps(value, ensure_ascii=False, sort_keys=True))

    def formfield(self, **kwargs):
        from django.forms import JSONField as JSONFormField

        return JSONFormField(required=not self.blank, label=self.verbose_name, **kwargs)
