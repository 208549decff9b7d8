"""Absolute links for messages read outside the site (e-mails)."""

from django.conf import settings
from django.urls import reverse


def absolute_url(viewname: str, *, args: list | tuple = ()) -> str:
    """The address of a page under CASEMGR_SITE_URL: an e-mail has no request to take a host from."""
    return settings.CASEMGR_SITE_URL.rstrip("/") + reverse(viewname, args=args)
