"""Test settings: fast hashing, in-memory mail, in-process tasks unless a test asks for a worker."""

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A test that starts a worker process points it at a mail directory it can read back.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=None)
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Tasks run in-process by default; the broker integration tests start a real worker and switch
# this off for themselves.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# A test's worker consumes a queue of its own and publishes the tasks it schedules to it too.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
LANGUAGE_CODE = "en"
DEMO_PASSWORDS_ALLOWED = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a worker process started by a test can open the same database.
    DATABASES["default"]["TEST"] = {
        "NAME": str(BASE_DIR / env("TEST_SQLITE_NAME", default=".test-db.sqlite3"))
    }
# runserver and the test live server serve static files themselves; WhiteNoise is for production.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
# Tests sign administrators in with force_login; the two-factor tests switch this on themselves.
CASEMGR_ADMIN_2FA_REQUIRED = False
