"""Production: every deploy-time value must come from the environment; refuse to start otherwise."""

import re

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False


def _required(name: str) -> str:
    value = env(name, default="")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production.")
    return value


SECRET_KEY = _required("SECRET_KEY")
if SECRET_KEY.startswith("insecure") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters.")
_required("DATABASE_URL")
# Personal data is encrypted with keys kept outside the database and its backups.
CASEMGR_ENCRYPTION_KEYS = [k for k in _required("CASEMGR_ENCRYPTION_KEYS").split(",") if k]
CASEMGR_SEARCH_KEY = _required("CASEMGR_SEARCH_KEY")
# Without it the audit chain's key is derived from SECRET_KEY; a key of its own lets SECRET_KEY
# be rotated without re-chaining the audit log.
if CASEMGR_AUDIT_KEY and len(CASEMGR_AUDIT_KEY) < 32:  # noqa: F405
    raise ImproperlyConfigured(
        "CASEMGR_AUDIT_KEY must be a random value of at least 32 characters."
    )
_required("CELERY_BROKER_URL")
# The sign-in throttle and the API's rate limits must be shared by every process: memory of one
# process would give each gunicorn worker a count of its own.
CACHES = {"default": env.cache_url_config(_required("CACHE_URL"))}
if CACHES["default"]["BACKEND"] in {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}:
    raise ImproperlyConfigured(
        "CACHE_URL must be a cache shared by every process in production, e.g. "
        "redis://redis.internal:6379/1."
    )
# E-mails link back to the site and have no request to take its address from.
CASEMGR_SITE_URL = _required("CASEMGR_SITE_URL")
if not re.fullmatch(r"https?://[^/\s]+(/\S*)?", CASEMGR_SITE_URL):
    raise ImproperlyConfigured(
        "CASEMGR_SITE_URL must be the site's absolute address, e.g. https://casemgr.example.org."
    )
ALLOWED_HOSTS = [h for h in _required("ALLOWED_HOSTS").split(",") if h]
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
DEMO_PASSWORDS_ALLOWED = False
# Demo and synthetic data never go into a production database (apps.core.safety).
CASEMGR_PRODUCTION = True
# Administrators always sign in with a second factor in production, whatever the environment says.
CASEMGR_ADMIN_2FA_REQUIRED = True
