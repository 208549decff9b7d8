"""Settings shared by every environment; deploy-time values come from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env is convenient for development; production passes real environment variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-do-not-use-in-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    # Expiring, hashed API tokens (apps.accounts.models.APIToken, docs/security.md).
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "apps.core",
    "apps.accounts",
    "apps.audit",
    "apps.cases",
    "apps.screening",
    "apps.removals",
    "apps.protection",
    "apps.referrals",
    "apps.training",
    "apps.proceedings",
    "apps.caseplans",
    "apps.reports",
    "apps.tasks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "apps.accounts.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.audit.middleware.AuditContextMiddleware",
    "apps.audit.middleware.AdminReadAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "apps.accounts.middleware.SessionPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "casemgr.urls"
WSGI_APPLICATION = "casemgr.wsgi.application"
ASGI_APPLICATION = "casemgr.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.navigation",
            ],
        },
    },
]

# The embedded default is a local SQLite file; DATABASE_URL switches to PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock at BEGIN instead of failing midway with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env.bool(
    "DATABASE_JIT", default=False
):
    # PostgreSQL's JIT compiles "expensive" plans for 100-200 ms before running them, which
    # costs the report and large lists more than it saves (docs/benchmarks.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["apps.accounts.backends.RoleBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("kk", _("Kazakh")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date and number formats of our own for English and Kazakh (casemgr/formats/).
FORMAT_MODULE_PATH = ["casemgr.formats"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Almaty")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))

# Idle timeout: each request renews the session, which ends after SESSION_COOKIE_AGE of inactivity;
# CASEMGR_SESSION_MAX_AGE ends it however active it is.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CASEMGR_SESSION_MAX_AGE = env.int("CASEMGR_SESSION_MAX_AGE", default=60 * 60 * 12)
# The sign-in throttle (apps.accounts.throttle, docs/security.md): per username and per client
# address, a few failures free, then a wait that doubles with each further failure up to a cap.
# The username's cap is short, so that nobody can keep a real user out for long; the address's is
# long, so that whoever fails from one address is slowed the most.
CASEMGR_LOGIN_FREE_FAILURES = env.int("CASEMGR_LOGIN_FREE_FAILURES", default=5)
CASEMGR_LOGIN_ADDRESS_FREE_FAILURES = env.int("CASEMGR_LOGIN_ADDRESS_FREE_FAILURES", default=20)
CASEMGR_LOGIN_BACKOFF_SECONDS = env.int("CASEMGR_LOGIN_BACKOFF_SECONDS", default=30)
CASEMGR_LOGIN_ACCOUNT_MAX_WAIT = env.int("CASEMGR_LOGIN_ACCOUNT_MAX_WAIT", default=15 * 60)
CASEMGR_LOGIN_ADDRESS_MAX_WAIT = env.int("CASEMGR_LOGIN_ADDRESS_MAX_WAIT", default=24 * 60 * 60)
CASEMGR_LOGIN_FORGET_SECONDS = env.int("CASEMGR_LOGIN_FORGET_SECONDS", default=24 * 60 * 60)
# How many reverse proxies in front of the application append to X-Forwarded-For (0: none, the
# client is REMOTE_ADDR). The throttles take the address that many entries from the right.
CASEMGR_TRUSTED_PROXIES = env.int("CASEMGR_TRUSTED_PROXIES", default=0)
CASEMGR_ADMIN_2FA_REQUIRED = env.bool("CASEMGR_ADMIN_2FA_REQUIRED", default=True)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the cookie-free meta tag instead.
LANGUAGE_COOKIE_NAME = "casemgr_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update({k: v for k, v in EMAIL_CONFIG.items() if k != "EMAIL_BACKEND"})
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="casemgr <noreply@casemgr.local>")
# Seconds an SMTP server may take to answer: a stalled server fails the send (retried from the
# outbox) instead of holding a worker until its time limit.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# The cache holds the sign-in throttle and the API's rate limits: the embedded default is memory
# of one process; with several processes (gunicorn workers) use a shared one, e.g.
# CACHE_URL=redis://127.0.0.1:6379/1 (Django's RedisCache) or dbcache://casemgr_cache.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://casemgr")}

# Celery: with no broker configured, tasks run in-process (eagerly) after the transaction commits.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL.startswith("memory://")
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged when it has finished, not when a worker takes it, and a task whose
# worker process died is handed back to the broker: a task in flight when a worker is killed
# runs again (tasks are idempotent; docs/operations.md).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Redis hands an unacknowledged task to another worker this many seconds after it was
    # delivered: kombu's default is an hour. It must exceed the longest a task may legitimately
    # stay unacknowledged (CELERY_TASK_TIME_LIMIT; system check core.W001).
    "visibility_timeout": env.int("CELERY_BROKER_VISIBILITY_TIMEOUT", default=600),
    # Workers look for such tasks every 30 seconds (kombu: every 100).
    "unacked_restore_interval": 30,
    "unacked_restore_throttle": 1,
    # A broker that does not answer fails a publish in seconds instead of hanging the request.
    "socket_connect_timeout": 5,
    "socket_timeout": 10,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Side effects written to the outbox (e-mails, report jobs) that are due (apps.core.outbox).
    "core-outbox-dispatch": {
        "task": "apps.core.tasks.outbox_dispatch",
        "schedule": timedelta(minutes=1),
    },
    "audit-heartbeat": {
        "task": "apps.core.tasks.heartbeat",
        "schedule": timedelta(minutes=15),
    },
    "referrals-escalate-overdue": {
        "task": "referrals.escalate_overdue",
        "schedule": timedelta(minutes=30),
    },
    "cases-anonymise-due": {
        "task": "apps.cases.tasks.cases_anonymise_due",
        "schedule": crontab(hour=2, minute=30),
    },
    "training-certification-reminders": {
        "task": "training.send_certification_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "reports-refresh-history": {
        "task": "reports.refresh_history",
        "schedule": crontab(hour=1, minute=30),
    },
    # The rule tasks whose clocks move by themselves (apps.tasks.rules, docs/tasks.md).
    "tasks-sync-all": {
        "task": "tasks.sync_all",
        "schedule": crontab(hour=3, minute=15),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an API client without credentials gets 401 with WWW-Authenticate.
        "apps.accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Scoped rate limits (apps.core.throttling): the token endpoint per client address, the
    # duplicate check and search per user; over them the API answers 429 `rate_limited`.
    "DEFAULT_THROTTLE_RATES": {
        "auth_token": env("CASEMGR_API_RATE_TOKEN", default="30/minute"),
        "duplicate_check": env("CASEMGR_API_RATE_DUPLICATE_CHECK", default="30/minute"),
        "search": env("CASEMGR_API_RATE_SEARCH", default="60/minute"),
    },
    "NUM_PROXIES": CASEMGR_TRUSTED_PROXIES,
}
# API tokens (django-rest-knox): stored as hashes, valid CASEMGR_API_TOKEN_TTL seconds after they
# are made, revoked on password, role and activity changes (apps.accounts.tokens).
KNOX_TOKEN_MODEL = "accounts.APIToken"
# knox's own migrations create its default token table whatever KNOX_TOKEN_MODEL says; casemgr
# swaps it for accounts.APIToken, so the table would only hold a foreign key to the users that
# no model knows of (PostgreSQL then refuses to empty the users table: the test flush).
MIGRATION_MODULES = {"knox": None}
CASEMGR_API_TOKEN_TTL = env.int("CASEMGR_API_TOKEN_TTL", default=12 * 60 * 60)
# A user's live tokens beyond this many: the oldest are revoked when a new one is made.
CASEMGR_API_TOKENS_PER_USER = env.int("CASEMGR_API_TOKENS_PER_USER", default=20)
REST_KNOX = {
    "TOKEN_TTL": timedelta(seconds=CASEMGR_API_TOKEN_TTL),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "casemgr API",
    "DESCRIPTION": "Case management for trafficking risk among labour migrants.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several records have a `status`; name each choice set after its record in the schema.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "apps.cases.models.Case.Status",
        "VictimStatusEnum": "apps.cases.models.VictimStatus",
        "PersonLinkKindEnum": "apps.cases.models.PersonLink.Kind",
        "ReferralStatusEnum": "apps.referrals.models.Referral.Status",
        "RemovalStatusEnum": "apps.removals.models.Removal.Status",
        "ScreeningStatusEnum": "apps.screening.models.Screening.Status",
        "CasePlanStatusEnum": "apps.caseplans.models.CasePlan.Status",
        "GoalStatusEnum": "apps.caseplans.models.Goal.Status",
        "TaskKindEnum": "apps.tasks.models.Task.Kind",
        "TaskStatusEnum": "apps.tasks.models.Task.Status",
        "FollowUpKindEnum": "apps.tasks.models.FollowUp.Kind",
        "FollowUpStatusEnum": "apps.tasks.models.FollowUp.Status",
    },
}

# Logs keep no query strings (searches travel in them: apps/core/log_filters.py). Django's own
# loggers (requests, runserver's access lines) write through the same handler instead of
# Django's defaults, whose error e-mails would carry the request's query. Every handler added
# here needs the filter; gunicorn's access log has its own format (docs/operations.md).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_query_strings": {"()": "apps.core.log_filters.QueryStringFilter"},
        "no_template_context": {"()": "apps.core.log_filters.TemplateContextFilter"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_query_strings"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        # On the logger, not a handler: whatever handler or level, the record never holds
        # the template's context.
        "django.template": {"filters": ["no_template_context"], "propagate": True},
    },
}

# Encryption of personal data at rest (apps.core.crypto): keys in the format of Fernet keys,
# newest first, and the key of the search hashes. Without them keys are derived from
# SECRET_KEY (development only).
CASEMGR_ENCRYPTION_KEYS = env.list("CASEMGR_ENCRYPTION_KEYS", default=[])
CASEMGR_SEARCH_KEY = env("CASEMGR_SEARCH_KEY", default="")

# The outbox of side effects (apps.core.outbox, docs/operations.md): how long a message handed
# to a worker is left alone before it is handed out again (default CELERY_TASK_TIME_LIMIT + 60),
# and how many attempts a message gets before it is marked failed.
CASEMGR_OUTBOX_LEASE_SECONDS = env.int("CASEMGR_OUTBOX_LEASE_SECONDS", default=0) or (
    CELERY_TASK_TIME_LIMIT + 60
)
CASEMGR_OUTBOX_MAX_ATTEMPTS = env.int("CASEMGR_OUTBOX_MAX_ATTEMPTS", default=12)
# The audit chain's HMAC key (apps.audit.chain; derived from SECRET_KEY when unset), the keys it
# had before (read only by `audit_rechain`), and where beat appends the signed checkpoints: a
# directory the database's roles cannot reach (docs/operations.md, "Audit log").
CASEMGR_AUDIT_KEY = env("CASEMGR_AUDIT_KEY", default="")
CASEMGR_AUDIT_PREVIOUS_KEYS = env.list("CASEMGR_AUDIT_PREVIOUS_KEYS", default=[])
CASEMGR_AUDIT_CHECKPOINT_DIR = Path(
    env("CASEMGR_AUDIT_CHECKPOINT_DIR", default=str(BASE_DIR / "var" / "audit-checkpoints"))
)
CASEMGR_AUDIT_CHECKPOINT_MINUTES = env.int("CASEMGR_AUDIT_CHECKPOINT_MINUTES", default=15)
CELERY_BEAT_SCHEDULE["audit-checkpoint"] = {
    "task": "audit.write_checkpoint",
    "schedule": timedelta(minutes=CASEMGR_AUDIT_CHECKPOINT_MINUTES),
}
# generate_synthetic and seed_demo refuse to run where this is set (casemgr/settings/production.py).
CASEMGR_PRODUCTION = False

# Domain settings (see docs/settings.md).
CASEMGR_RETENTION_YEARS = env.float("CASEMGR_RETENTION_YEARS", default=5)
# Indicative tier thresholds: keys of apps.reports.tier.TierThresholds (JSON in the environment).
CASEMGR_TIER_THRESHOLDS = env.json("CASEMGR_TIER_THRESHOLDS", default={})
CASEMGR_SUPPRESSION_THRESHOLD = env.int("CASEMGR_SUPPRESSION_THRESHOLD", default=5)
CASEMGR_REFERRAL_WITHIN_DAYS = env.int("CASEMGR_REFERRAL_WITHIN_DAYS", default=7)
# A presumed victim counts as planned for when their case has a case plan within these days.
CASEMGR_CASE_PLAN_WITHIN_DAYS = env.int("CASEMGR_CASE_PLAN_WITHIN_DAYS", default=7)
# Kept metrics of earlier years are recomputed after this many seconds (docs/reports.md).
CASEMGR_REPORT_HISTORY_MAX_AGE = env.int("CASEMGR_REPORT_HISTORY_MAX_AGE", default=86400)
CASEMGR_SCREENING_VALIDITY_DAYS = env.int("CASEMGR_SCREENING_VALIDITY_DAYS", default=30)
CASEMGR_REFLECTION_DAYS = env.int("CASEMGR_REFLECTION_DAYS", default=30)
CASEMGR_SITE_URL = env("CASEMGR_SITE_URL", default="http://127.0.0.1:8000")
CASEMGR_REFERRAL_ESCALATION_HOURS = env.int("CASEMGR_REFERRAL_ESCALATION_HOURS", default=48)
# Tasks (apps.tasks, docs/tasks.md): how many days before a legal end date its task appears,
# how many days after reasonable grounds formal identification is due to have been requested,
# and how many cases the nightly sync handles per transaction.
CASEMGR_TASK_LEAD_DAYS = env.int("CASEMGR_TASK_LEAD_DAYS", default=14)
CASEMGR_TASK_IDENTIFICATION_DAYS = env.int("CASEMGR_TASK_IDENTIFICATION_DAYS", default=14)
CASEMGR_TASK_SYNC_BATCH = env.int("CASEMGR_TASK_SYNC_BATCH", default=500)
CASEMGR_CERTIFICATION_MONTHS = env.int("CASEMGR_CERTIFICATION_MONTHS", default=24)
CASEMGR_CERTIFICATION_REMINDER_DAYS = env.int("CASEMGR_CERTIFICATION_REMINDER_DAYS", default=30)
AUDIT_TRUST_X_FORWARDED_FOR = env.bool("AUDIT_TRUST_X_FORWARDED_FOR", default=False)
CASEMGR_REFERENCE_PREFIX = env("CASEMGR_REFERENCE_PREFIX", default="KZ")
# National lists count their matches exactly up to this many, then say "10,000+" (0: always
# count exactly; docs/settings.md).
CASEMGR_LIST_COUNT_LIMIT = env.int("CASEMGR_LIST_COUNT_LIMIT", default=10_000)
