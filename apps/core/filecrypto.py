"""Files encrypted at rest in chunks, so that a large file is never whole in memory.

The construction is the STREAM scheme of Hoang, Reyhanitabar, Rogaway and Vizár, "Online
Authenticated-Encryption and its Nonce-Reuse Misuse-Resistance" (CRYPTO 2015), as Google Tink's
AES-GCM-HKDF streaming AEAD uses it, over `cryptography`'s AES-256-GCM:

    header  = version (1 byte, 0x01) || salt (16 random bytes) || nonce prefix (7 random bytes)
    key     = HKDF-SHA256(configured key, salt, info="casemgr:file-stream") (32 bytes)
    chunk i = AES-256-GCM(key, nonce = prefix || i (4 bytes, big-endian) || last (1 byte),
                          plaintext chunk of CHUNK_BYTES (the last one shorter, or empty),
                          associated data = header)

Each chunk carries its own tag; the counter and the "last" flag in the nonce make reordering,
dropping, duplicating or truncating chunks fail authentication, and the header (authenticated
as associated data) binds every chunk to its file. A fresh salt per file gives a fresh key, so
nonces never repeat across files. The stored bytes begin with 0x01 and random bytes: no file
signature (JPEG, PNG, PDF, ZIP) survives. Decryption tries every configured key, newest first
(apps/core/crypto.py), so keys rotate as they do for fields; `reencrypt` rewrites a file with
the newest.
"""

import os
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from . import crypto

VERSION = b"\x01"
SALT_BYTES = 16
PREFIX_BYTES = 7
HEADER_BYTES = 1 + SALT_BYTES + PREFIX_BYTES
TAG_BYTES = 16
CHUNK_BYTES = 64 * 1024
# 2**32 chunks of 64 KiB: 256 TiB, far beyond any upload cap.
MAX_CHUNKS = 2**32


class UnreadableFile(Exception):
    """The stored file was changed, cut short, or sealed with a key that is not configured."""


def _key_material() -> list[bytes]:
    import base64

    return [base64.urlsafe_b64decode(key) for key in crypto._configured_keys()]  # noqa: SLF001


def _file_cipher(material: bytes, salt: bytes) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"casemgr:file-stream").derive(
        material
    )
    return AESGCM(key)


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    if index >= MAX_CHUNKS:
        raise ValueError("file too large for one stream")
    return prefix + struct.pack(">I", index) + (b"\x01" if last else b"\x00")


def _read_full(src: BinaryIO, size: int) -> bytes:
    """Exactly `size` bytes, or fewer only at the end of the stream."""
    parts, left = [], size
    while left:
        part = src.read(left)
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def encrypt_chunks(src: BinaryIO, *, chunk_bytes: int = CHUNK_BYTES) -> Iterator[bytes]:
    """The sealed file, piece by piece (the header, then each sealed chunk)."""
    salt, prefix = os.urandom(SALT_BYTES), os.urandom(PREFIX_BYTES)
    header = VERSION + salt + prefix
    cipher = _file_cipher(_key_material()[0], salt)
    yield header
    index = 0
    current = _read_full(src, chunk_bytes)
    while True:
        following = _read_full(src, chunk_bytes)
        last = not following
        yield cipher.encrypt(_nonce(prefix, index, last), current, header)
        if last:
            return
        current, index = following, index + 1


def encrypt_stream(src: BinaryIO, dst: BinaryIO, *, chunk_bytes: int = CHUNK_BYTES) -> int:
    """Write `src` sealed to `dst`; returns the bytes written."""
    written = 0
    for piece in encrypt_chunks(src, chunk_bytes=chunk_bytes):
        dst.write(piece)
        written += len(piece)
    return written


def decrypt_chunks(src: BinaryIO, *, chunk_bytes: int = CHUNK_BYTES) -> Iterator[bytes]:
    """The plain file, chunk by chunk; raises UnreadableFile on any change or truncation
    (a consumer must not act on the chunks already given before the last one checks out)."""
    header = _read_full(src, HEADER_BYTES)
    if len(header) != HEADER_BYTES or header[:1] != VERSION:
        raise UnreadableFile("not a casemgr encrypted file")
    salt, prefix = header[1 : 1 + SALT_BYTES], header[1 + SALT_BYTES :]
    sealed_bytes = chunk_bytes + TAG_BYTES
    current = _read_full(src, sealed_bytes)
    cipher = None
    index = 0
    while True:
        following = _read_full(src, sealed_bytes)
        last = not following
        nonce = _nonce(prefix, index, last)
        if cipher is None:
            cipher, plain = _first_chunk(salt, nonce, current, header)
        else:
            try:
                plain = cipher.decrypt(nonce, current, header)
            except (InvalidTag, ValueError) as exc:
                raise UnreadableFile("the file was changed or cut short") from exc
        yield plain
        if last:
            return
        current, index = following, index + 1


def _first_chunk(salt: bytes, nonce: bytes, sealed: bytes, header: bytes):
    """The cipher whose key opens the first chunk (the key ring, newest first)."""
    for material in _key_material():
        cipher = _file_cipher(material, salt)
        try:
            return cipher, cipher.decrypt(nonce, sealed, header)
        except (InvalidTag, ValueError):
            continue
    raise UnreadableFile("the file was changed, cut short, or sealed with an unknown key")


def decrypt_stream(src: BinaryIO, dst: BinaryIO, *, chunk_bytes: int = CHUNK_BYTES) -> int:
    """Write the plain file to `dst`; returns its size. On UnreadableFile `dst` holds a part:
    write to a temporary file and keep it only when this returns."""
    size = 0
    for plain in decrypt_chunks(src, chunk_bytes=chunk_bytes):
        dst.write(plain)
        size += len(plain)
    return size


def reencrypt(src: BinaryIO, dst: BinaryIO, *, chunk_bytes: int = CHUNK_BYTES) -> int:
    """Seal a stored file again with the newest key (key rotation), chunk by chunk."""

    class _Plain:
        """A readable stream over the decrypted chunks, so encryption reads it as a file."""

        def __init__(self):
            self._chunks = decrypt_chunks(src, chunk_bytes=chunk_bytes)
            self._buffer = b""

        def read(self, size: int) -> bytes:
            while len(self._buffer) < size:
                chunk = next(self._chunks, None)
                if chunk is None:
                    break
                self._buffer += chunk
            out, self._buffer = self._buffer[:size], self._buffer[size:]
            return out

    return encrypt_stream(_Plain(), dst, chunk_bytes=chunk_bytes)
