"""Encryption of personal data at rest, and keyed hashes that keep it searchable.

Keys come from the environment: `CASEMGR_ENCRYPTION_KEYS` is a comma-separated list of keys
(32 url-safe base64-encoded bytes, the format of a Fernet key), the first used to encrypt and
all tried to decrypt (so keys can be rotated), and `CASEMGR_SEARCH_KEY` keys the HMAC used for
exact-match search. Without them (development and tests) keys are derived from SECRET_KEY;
production refuses to start without real ones.

Values are written as `enc2:` + base64(nonce || AES-256-GCM ciphertext and tag), with the
AES key derived from the configured key by HKDF-SHA256. AES-GCM authenticates like Fernet's
HMAC but is one OpenSSL call: about 3 µs to decrypt a value instead of Fernet's 50, which
is most of what a page of 50 cases spent decrypting. Values written earlier as `enc1:`
(Fernet, with the same configured keys) stay readable, and `rotate_encryption_keys` rewrites
them as `enc2:`.
"""

import base64
import hashlib
import hmac
import os
import unicodedata
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "enc2:"
FERNET_PREFIX = "enc1:"
NONCE_BYTES = 12


def _derived_key(purpose: str) -> bytes:
    digest = hashlib.sha256(f"casemgr:{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


def _configured_keys() -> list[str]:
    configured = [k.strip() for k in getattr(settings, "CASEMGR_ENCRYPTION_KEYS", []) if k.strip()]
    return configured or [_derived_key("encryption").decode()]


@cache
def _fernet() -> MultiFernet:
    """Reads values written as `enc1:` before AES-GCM (and checks the keys' format)."""
    try:
        return MultiFernet([Fernet(key) for key in _configured_keys()])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "CASEMGR_ENCRYPTION_KEYS must hold keys of 32 url-safe base64-encoded bytes."
        ) from exc


@cache
def _aeads() -> tuple[AESGCM, ...]:
    """One AES-256-GCM cipher per configured key, newest first."""
    _fernet()  # the same keys, so the same format check and error
    ciphers = []
    for key in _configured_keys():
        material = base64.urlsafe_b64decode(key)
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"casemgr:aes-256-gcm"
        ).derive(material)
        ciphers.append(AESGCM(derived))
    return tuple(ciphers)


@cache
def _search_key() -> bytes:
    configured = getattr(settings, "CASEMGR_SEARCH_KEY", "")
    return configured.encode() if configured else _derived_key("search")


def reset_keys() -> None:
    """Forget cached keys (after settings change, in tests and key rotation)."""
    _fernet.cache_clear()
    _aeads.cache_clear()
    _search_key.cache_clear()


def encrypt(value: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = _aeads()[0].encrypt(nonce, value.encode(), None)
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


BYTES_PREFIX = b"casemgr-bin1:"


def encrypt_bytes(data: bytes) -> bytes:
    """A file's content sealed with the current key (AES-256-GCM), for files kept in storage."""
    nonce = os.urandom(NONCE_BYTES)
    return BYTES_PREFIX + nonce + _aeads()[0].encrypt(nonce, data, None)


def decrypt_bytes(data: bytes) -> bytes:
    if not data.startswith(BYTES_PREFIX):
        raise _unreadable()
    raw = data[len(BYTES_PREFIX) :]
    nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    for aead in _aeads():
        try:
            return aead.decrypt(nonce, sealed, None)
        except (InvalidTag, ValueError):
            continue
    raise _unreadable()


def _unreadable() -> ImproperlyConfigured:
    return ImproperlyConfigured(
        "Encrypted data cannot be read with the configured CASEMGR_ENCRYPTION_KEYS."
    )


def decrypt(token: str) -> str:
    if token.startswith(PREFIX):
        try:
            raw = base64.urlsafe_b64decode(token[len(PREFIX) :])
        except ValueError as exc:
            raise _unreadable() from exc
        nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
        for aead in _aeads():
            try:
                return aead.decrypt(nonce, sealed, None).decode()
            except (InvalidTag, ValueError):  # another key's, or too short to be a value
                continue
        raise _unreadable()
    if token.startswith(FERNET_PREFIX):
        try:
            return _fernet().decrypt(token[len(FERNET_PREFIX) :].encode()).decode()
        except InvalidToken as exc:
            raise _unreadable() from exc
    # Written before encryption was switched on: readable as it is; rotation encrypts it.
    return token


def is_encrypted(value) -> bool:
    """Whether `value` has the form of a stored, encrypted value (`enc2:` or `enc1:`)."""
    return isinstance(value, str) and value.startswith((PREFIX, FERNET_PREFIX))


def rotate(token: str) -> str:
    """Re-encrypt with the first (current) key in the current format; plain legacy values
    get encrypted."""
    return encrypt(decrypt(token))


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
