"""Chunked authenticated encryption of files (apps/core/filecrypto.py)."""

import io
import os
import tracemalloc

import pytest

from apps.core import crypto, filecrypto
from apps.core.filecrypto import UnreadableFile

CHUNK = 1024
SIGNATURES = {
    "JPEG": b"\xff\xd8\xff",
    "PNG": b"\x89PNG\r\n\x1a\n",
    "PDF": b"%PDF-",
    "ZIP": b"PK\x03\x04",
}


def seal(data: bytes, chunk: int = CHUNK) -> bytes:
    out = io.BytesIO()
    filecrypto.encrypt_stream(io.BytesIO(data), out, chunk_bytes=chunk)
    return out.getvalue()


def unseal(data: bytes, chunk: int = CHUNK) -> bytes:
    out = io.BytesIO()
    filecrypto.decrypt_stream(io.BytesIO(data), out, chunk_bytes=chunk)
    return out.getvalue()


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 5])
def test_files_of_every_length_round_trip(size):
    data = os.urandom(size)
    sealed = seal(data)
    chunks = max(1, -(-size // CHUNK))
    assert len(sealed) == filecrypto.HEADER_BYTES + size + chunks * filecrypto.TAG_BYTES
    assert unseal(sealed) == data


@pytest.mark.parametrize("kind", sorted(SIGNATURES))
def test_the_stored_bytes_keep_no_file_signature_and_no_plain_text(kind):
    data = SIGNATURES[kind] + b"Karimov Dilshod passport FA1234567 " * 200
    sealed = seal(data)
    for signature in SIGNATURES.values():
        assert signature not in sealed
    assert b"Karimov" not in sealed and b"FA1234567" not in sealed


def test_the_same_file_sealed_twice_differs():
    data = b"same content" * 100
    assert seal(data) != seal(data)


def _chunks(sealed: bytes) -> tuple[bytes, list[bytes]]:
    header, body = sealed[: filecrypto.HEADER_BYTES], sealed[filecrypto.HEADER_BYTES :]
    size = CHUNK + filecrypto.TAG_BYTES
    return header, [body[i : i + size] for i in range(0, len(body), size)]


@pytest.mark.parametrize(
    "tamper",
    [
        "flip a byte",
        "drop the last chunk",
        "cut the last chunk short",
        "swap two chunks",
        "repeat a chunk",
        "another file's header",
        "header only",
        "empty",
        "not ours",
    ],
)
def test_any_change_to_the_stored_file_is_refused(tamper):
    data = os.urandom(3 * CHUNK + 100)
    sealed = seal(data)
    header, chunks = _chunks(sealed)
    if tamper == "flip a byte":
        changed = bytearray(sealed)
        changed[filecrypto.HEADER_BYTES + CHUNK + 40] ^= 0x01
        changed = bytes(changed)
    elif tamper == "drop the last chunk":
        changed = header + b"".join(chunks[:-1])
    elif tamper == "cut the last chunk short":
        changed = sealed[:-5]
    elif tamper == "swap two chunks":
        changed = header + chunks[1] + chunks[0] + b"".join(chunks[2:])
    elif tamper == "repeat a chunk":
        changed = header + chunks[0] + chunks[0] + b"".join(chunks[1:])
    elif tamper == "another file's header":
        changed = _chunks(seal(data))[0] + b"".join(chunks)
    elif tamper == "header only":
        changed = header
    elif tamper == "empty":
        changed = b""
    else:
        changed = b"%PDF-1.7 plain file"
    with pytest.raises(UnreadableFile):
        unseal(changed)


def test_keys_rotate_old_files_stay_readable_and_reencrypt_uses_the_new_key(settings):
    old, new = crypto._configured_keys()[0], "A" * 43 + "="  # noqa: SLF001
    settings.CASEMGR_ENCRYPTION_KEYS = [old]
    crypto.reset_keys()
    data = os.urandom(2 * CHUNK + 7)
    sealed_old = seal(data)
    settings.CASEMGR_ENCRYPTION_KEYS = [new, old]
    crypto.reset_keys()
    assert unseal(sealed_old) == data
    rotated = io.BytesIO()
    filecrypto.reencrypt(io.BytesIO(sealed_old), rotated, chunk_bytes=CHUNK)
    settings.CASEMGR_ENCRYPTION_KEYS = [new]
    crypto.reset_keys()
    assert unseal(rotated.getvalue()) == data
    with pytest.raises(UnreadableFile):
        unseal(sealed_old)
    crypto.reset_keys()


class _Generated(io.RawIOBase):
    """`size` bytes produced on demand: a large upload that never exists whole in memory."""

    def __init__(self, size: int):
        self.left = size

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.left)
        buffer[:n] = b"\xab" * n
        self.left -= n
        return n


class _Sink(io.RawIOBase):
    def __init__(self):
        self.size = 0

    def writable(self):
        return True

    def write(self, data):
        self.size += len(data)
        return len(data)


def test_a_large_file_is_sealed_without_holding_it_in_memory():
    size = 32 * 1024 * 1024
    sink = _Sink()
    tracemalloc.start()
    try:
        filecrypto.encrypt_stream(_Generated(size), sink)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sink.size == filecrypto.HEADER_BYTES + size + (size // filecrypto.CHUNK_BYTES) * 16
    # A few chunks of 64 KiB at a time, not the 32 MiB file.
    assert peak < 2 * 1024 * 1024
