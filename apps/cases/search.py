"""Exact-match search over encrypted personal data, through keyed hashes (apps.core.crypto)."""

import re

from apps.core.crypto import search_hash


def normalize_document_number(number: str) -> str:
    """Upper case without spaces, dashes, dots or slashes: "ab 123-456" is "AB123456"."""
    return re.sub(r"[\s\-./]", "", number or "").upper()


def document_number_hash(number: str) -> str:
    return search_hash(normalize_document_number(number))


def name_hash(name: str) -> str:
    """The hash stored for a name; case, accents and ё/е do not matter."""
    return search_hash(name)


def date_hash(value) -> str:
    return search_hash(value.isoformat()) if value else ""
