"""Form fields shared by every app."""

from django import forms


class MultilineField(forms.CharField):
    """Text typed in a `<textarea>`, stored with `\\n` line breaks whatever sent it.

    A browser submits a textarea's line breaks as `\\r\\n` (HTML's form encoding), so text
    written by the API or an import (`\\n`) changed on every save of an unchanged form.
    """

    widget = forms.Textarea

    def to_python(self, value):
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n") if isinstance(text, str) else text
