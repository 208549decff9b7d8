"""Encryption of personal data at rest, and keyed hashes that keep it searchable.

Keys come from the environment: `CASEMGR_ENCRYPTION_KEYS` is a comma-separated list of Fernet
keys, the first used to encrypt and all tried to decrypt (so keys can be rotated), and
`CASEMGR_SEARCH_KEY` keys the HMAC used for exact-match search. Without them (development and
tests) keys are derived from SECRET_KEY; production refuses to start without real ones.
"""

import base64
import hashlib
import hmac
import unicodedata
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "enc1:"


def _derived_key(purpose: str) -> bytes:
    digest = hashlib.sha256(f"casemgr:{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


@cache
def _fernet() -> MultiFernet:
    configured = [k.strip() for k in getattr(settings, "CASEMGR_ENCRYPTION_KEYS", []) if k.strip()]
    keys = configured or [_derived_key("encryption").decode()]
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "CASEMGR_ENCRYPTION_KEYS must hold Fernet keys (32 url-safe base64-encoded bytes)."
        ) from exc


@cache
def _search_key() -> bytes:
    configured = getattr(settings, "CASEMGR_SEARCH_KEY", "")
    return configured.encode() if configured else _derived_key("search")


def reset_keys() -> None:
    """Forget cached keys (after settings change, in tests and key rotation)."""
    _fernet.cache_clear()
    _search_key.cache_clear()


def encrypt(value: str) -> str:
    return PREFIX + _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token.startswith(PREFIX):
        # Written before encryption was switched on: readable as it is; rotation encrypts it.
        return token
    try:
        return _fernet().decrypt(token[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "Encrypted data cannot be read with the configured CASEMGR_ENCRYPTION_KEYS."
        ) from exc


def rotate(token: str) -> str:
    """Re-encrypt with the first (current) key; plain legacy values get encrypted."""
    if not token.startswith(PREFIX):
        return encrypt(token)
    return PREFIX + _fernet().rotate(token[len(PREFIX) :].encode()).decode()


def normalize_for_search(value: str) -> str:
    """Case, accents, spacing and look-alike letters do not defeat an exact-match search."""
    text = unicodedata.normalize("NFKC", value or "").casefold()
    text = text.replace("ё", "е")
    return " ".join(text.replace("-", " ").split())


def search_hash(value: str | None) -> str:
    """A keyed hash of the normalized value: equal inputs match, nothing can be read back."""
    if not value:
        return ""
    normalized = normalize_for_search(value)
    return hmac.new(_search_key(), normalized.encode(), hashlib.sha256).hexdigest()
