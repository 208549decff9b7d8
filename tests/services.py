"""Detect the external services some tests need; skip without them, fail in CI (REQUIRE_SERVICES=1)."""

import os
import shutil
import socket
from functools import cache
from urllib.parse import urlparse

import pytest

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") in {"1", "true", "yes"}


def unavailable(reason: str) -> None:
    """Skip the test, or fail it where the run promised every service (CI)."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@cache
def broker_url() -> str | None:
    """The Redis broker from CELERY_BROKER_URL, when it answers."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        return None
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            if not sock.recv(16).startswith(b"+PONG"):
                return None
    except OSError:
        return None
    return url


@cache
def chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if os.path.exists(path) else None


def celery_use(**conf) -> dict:
    """Reconfigure this process's Celery app (broker, eagerness, queue); the previous values.

    The app keeps its broker connections in pools made on first use: they are dropped, so the
    next publish connects to the broker now named."""
    from casemgr.celery import app

    if "broker_url" in conf:
        # CELERY_BROKER_URL in the environment outranks broker_url; the write URL outranks it.
        conf.setdefault("broker_write_url", conf["broker_url"])
    previous = {name: app.conf.get(name) for name in conf}
    app.conf.update(**conf)
    app._pool = None
    app.amqp._producer_pool = None
    return previous
