"""Django messages that users see but Django's own Kazakh catalogue leaves untranslated.

Listing them here puts them in casemgr's catalogues (which take precedence over Django's), so
every message a user meets is in their language. The function is never called: makemessages
reads it.
"""

from django.utils.translation import gettext_noop, ngettext


def _messages_for_extraction() -> None:  # pragma: no cover
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both fields may be "
        "case-sensitive."
    )
    gettext_noop("This password is too common.")
    gettext_noop("This password is entirely numeric.")
    gettext_noop("The password is too similar to the %(verbose_name)s.")
    gettext_noop("Your password can't be too similar to your other personal information.")
    gettext_noop("Your password can't be a commonly used password.")
    gettext_noop("Your password can't be entirely numeric.")
    gettext_noop("Enter the same password as before, for verification.")
    gettext_noop("Email")
    gettext_noop("email address")
    gettext_noop("Password change")
    gettext_noop("Password change successful")
    ngettext(
        "This password is too short. It must contain at least %(min_length)d character.",
        "This password is too short. It must contain at least %(min_length)d characters.",
        1,
    )
    ngettext(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        1,
    )
    gettext_noop("Enter a valid integer.")
    gettext_noop("Enter a valid email address.")
    gettext_noop("Null characters are not allowed.")
    gettext_noop("%(model_name)s with this %(field_labels)s already exists.")
    gettext_noop("Value %(value)r is not a valid choice.")
    gettext_noop("Enter a valid duration.")
    gettext_noop("Enter a complete value.")
    gettext_noop("Enter a valid UUID.")
    gettext_noop("That page number is not an integer")
    gettext_noop("That page number is less than 1")
    gettext_noop("That page contains no results")
    gettext_noop("Date out of range")
    gettext_noop("Forbidden")
    gettext_noop("CSRF verification failed. Request aborted.")
    ngettext(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        1,
    )
    ngettext(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        1,
    )
    ngettext(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        1,
    )
    ngettext(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        1,
    )
    ngettext(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        1,
    )
    ngettext(
        "Ensure this filename has at most %(max)d character (it has %(length)d).",
        "Ensure this filename has at most %(max)d characters (it has %(length)d).",
        1,
    )
