import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "SECRET_KEY": "x" * 30 + "-production-secret-for-the-check-only-1234567890",
    "DATABASE_URL": "postgres://casemgr@db.internal:5432/casemgr",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "CACHE_URL": "redis://redis.internal:6379/1",
    "ALLOWED_HOSTS": "casemgr.example.org",
    "CASEMGR_ENCRYPTION_KEYS": "hVrK3XHdw2b5GmN2p0E2rkK6KcYqKJ1m5dDqQ7r1h6Q=",
    "CASEMGR_SEARCH_KEY": "a-long-random-search-key-for-the-check-only",
    "CASEMGR_SITE_URL": "https://casemgr.example.org",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {*GOOD, "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "casemgr.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("missing", sorted(GOOD))
def test_production_refuses_to_start_without_each_required_variable(missing):
    env = {k: v for k, v in GOOD.items() if k != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = _manage("check", env={**GOOD, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY must be a random value" in result.stderr


@pytest.mark.parametrize("url", ["casemgr.example.org", "ftp://casemgr.example.org", "https://"])
def test_production_refuses_a_site_url_that_is_not_absolute(url):
    result = _manage("check", env={**GOOD, "CASEMGR_SITE_URL": url})
    assert result.returncode != 0
    assert "CASEMGR_SITE_URL must be the site's absolute address" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "DEBUG", env=GOOD)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_demo_data_is_refused_in_production():
    result = _manage("seed_demo", env=GOOD)
    assert result.returncode != 0
    assert "not allowed in production" in result.stderr


@pytest.mark.parametrize("command", [["seed_demo"], ["generate_synthetic", "--cases", "10"]])
def test_demo_and_synthetic_data_are_refused_under_production_settings(command):
    result = _manage(*command, env=GOOD)
    assert result.returncode != 0
    assert f"{command[0]} is not allowed in production" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("url", ["locmemcache://", "dummycache://"])
def test_production_refuses_a_cache_of_one_process(url):
    result = _manage("check", env={**GOOD, "CACHE_URL": url})
    assert result.returncode != 0
    assert "CACHE_URL must be a cache shared by every process" in result.stderr


def test_production_refuses_a_short_audit_key():
    result = _manage("check", env={**GOOD, "CASEMGR_AUDIT_KEY": "too-short"})
    assert result.returncode != 0
    assert "CASEMGR_AUDIT_KEY must be a random value" in result.stderr
