"""Settings, read from the environment (see README, "Configuration").

DATABASE_URL        SQLite file db.sqlite3 by default; postgres://... in production and CI
CELERY_BROKER_URL   unset: Celery tasks run eagerly in-process
SECRET_KEY          required when DEBUG is off
DEBUG               "1" (default) or "0"
ALLOWED_HOSTS       comma-separated; default "localhost,127.0.0.1" (plus "*" with DEBUG)
SECURE_SSL_REDIRECT on by default when DEBUG is off; "0" behind a TLS-terminating proxy
PG_LOCK_TIMEOUT_MS  PostgreSQL lock_timeout for flow locks, default 5000
UPLOAD_MAX_BYTES    largest request body / upload, default 20 MB
ALARM_INTAKE_SECRET shared secret of the municipal monitoring system's alarms (unset: intake refuses all)
ESCALATION_BATCH_SIZE tasks per transaction of the escalation scan, default 1000
IMAGE_MAX_PIXELS    the largest photo accepted, in pixels, default 100,000,000
HISTORY_KEY         key of the case history's hash chain; required when DEBUG is off
HISTORY_RETIRED_KEYS earlier history keys, comma-separated, to verify rows written before a rotation
HISTORY_CHECKPOINT_DIR where signed checkpoints of the history chains are written (outside the repository
                    and the database's host in production); default var/history-checkpoints when DEBUG is on
DATABASE_OWNER_URL  the role that owns the tables, used by ``migrate`` and ``bench`` (docs/history.md)
STATIC_ROOT         where collectstatic writes, default staticfiles/ in the repository
DATABASE_REPLICA_URL a streaming replica for the dashboard, statistics and workbook (common/replica.py)
CACHE_URL           redis://... for the cache shared by every process; default CELERY_BROKER_URL, else memory
LOG_LEVEL           INFO by default; logs are JSON lines on stderr (common/logs.py)
EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS  the mail server (SMTP backend)
Every setting read is listed, with its default, in deploy/nankai.env.example.
"""
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. A production start (DEBUG=0) needs SECRET_KEY "
            "in the environment, for example: export SECRET_KEY=$(python -c "
            "'import secrets; print(secrets.token_urlsafe(50))')"
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h.strip()]
if DEBUG:
    ALLOWED_HOSTS += ["testserver", "*"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "viewflow",
    "viewflow.workflow",
    # ours, from the bottom up: each imports only the ones above it (docs/architecture.md)
    "org",
    "cases",
    "enforcement",
    "flows",
    "supervision",
    "register",
    "planning",
    "desk",
    "bench",
]
# Apps whose ``kinds`` package holds more case kinds (flows.registry), comma-separated.
EXTRA_KIND_APPS = [app.strip() for app in os.environ.get("EXTRA_KIND_APPS", "").split(",") if app.strip()]
INSTALLED_APPS += EXTRA_KIND_APPS

MIDDLEWARE = [
    "common.logs.RequestIdMiddleware",  # first: every log line of the request carries its id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "common.middleware.ApiErrorFormatMiddleware",  # every error under /api/ in the error format
    "common.middleware.QueryStringGuardMiddleware",  # no control characters in any query string
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "org.views.unread_notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# --- database (config/databases.py: primary, replica, owner role) ---------
from config.databases import DATABASE_OWNER, DATABASE_RUNTIME_ROLE, DATABASES  # noqa: E402, F401

DATABASE_ROUTERS = ["common.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # locks out repeated failed logins
    "org.backends.AgencyBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# After 5 failed logins the account and the address are each locked for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
API_TOKEN_TTL_HOURS = int(os.environ.get("API_TOKEN_TTL_HOURS", str(7 * 24)))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "desk:inbox"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- cache -----------------------------------------------------------------
# Shared by every process (the web workers, the Celery workers): Redis at
# CACHE_URL, else at CELERY_BROKER_URL; without either, each process's memory.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("CELERY_BROKER_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL,
                          "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "nankai"),
                          "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- language and time ----------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and uploads ---------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder", "common.storage.AppDirectoriesFinder"]
# Production (DEBUG off): ``collectstatic`` writes compressed copies (common.storage) under hashed
# names, which WhiteNoise serves with a year's max-age (an edited file gets a new
# name); with DEBUG on, files are served as they are from the apps.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG else
                    "common.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MEDIA_URL = "/media/"  # never served directly: evidence is downloaded through a checked view
ALARM_INTAKE_SECRET = os.environ.get("ALARM_INTAKE_SECRET", "")
# The largest photo accepted, in pixels (a header may claim far more than the file holds).
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", str(100_000_000)))

# The key of the history chain's HMAC (cases.history). Kept outside the
# database, so that its owner cannot rewrite a case's history unseen; it must
# not change once history is written (docs/history.md).
HISTORY_KEY = os.environ.get("HISTORY_KEY", "")
if not HISTORY_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "HISTORY_KEY is not set. A production start (DEBUG=0) needs HISTORY_KEY, the key of the case "
            "history's hash chain, kept outside the database and never changed: export HISTORY_KEY=$(python "
            "-c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    HISTORY_KEY = "dev-only-history-key-do-not-use-in-production"
# Keys the history was written with before HISTORY_KEY replaced them (comma-separated,
# oldest first): used only to verify rows older than the rotation (docs/history.md).
HISTORY_RETIRED_KEYS = [key.strip() for key in os.environ.get("HISTORY_RETIRED_KEYS", "").split(",") if key.strip()]
# Signed checkpoints of every chain's length and head (cases.checkpoints), written
# every HISTORY_CHECKPOINT_EVERY seconds by beat, the latest HISTORY_CHECKPOINT_KEEP kept.
HISTORY_CHECKPOINT_DIR = os.environ.get("HISTORY_CHECKPOINT_DIR") or (
    str(BASE_DIR / "var" / "history-checkpoints") if DEBUG else "")
HISTORY_CHECKPOINT_EVERY = float(os.environ.get("HISTORY_CHECKPOINT_EVERY") or 3600)
HISTORY_CHECKPOINT_KEEP = int(os.environ.get("HISTORY_CHECKPOINT_KEEP") or 168)

# --- API ------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "org.auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["common.inputs.CheckedJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "common.api.Pagination",
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "common.schema.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
from config.api_schema import SPECTACULAR_SETTINGS  # noqa: E402,F401 - the API schema's settings

# --- Celery ---------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Processes of a worker (CELERY_CONCURRENCY); unset: one per CPU.
CELERY_WORKER_CONCURRENCY = int(os.environ.get("CELERY_CONCURRENCY") or 0) or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker and beat log through LOGGING above (config.celery), not a root logger of Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
# Seconds between two escalation scans by beat.
ESCALATION_SCAN_EVERY = float(os.environ.get("ESCALATION_SCAN_EVERY") or 300)
ESCALATION_BATCH_SIZE = max(1, int(os.environ.get("ESCALATION_BATCH_SIZE") or 1000))
# New work in a queue is told to those who chose a digest once per interval
# (flows.arrivals); the pages' live counts are refreshed every so many seconds.
ARRIVAL_DIGEST_MINUTES = int(os.environ.get("ARRIVAL_DIGEST_MINUTES", "15"))
LIVE_COUNTS_SECONDS = int(os.environ.get("LIVE_COUNTS_SECONDS", "20"))
# The address people reach the site at (https://aqsc.nankai.gov.local): links
# in e-mails and group-robot messages are absolute only when it is set.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

CELERY_BEAT_SCHEDULE = {
    "escalation-scan": {"task": "supervision.tasks.escalation_scan", "schedule": ESCALATION_SCAN_EVERY},
    "deliver-notifications": {"task": "org.tasks.deliver_notifications", "schedule": 60.0},
    "report-reminders": {"task": "planning.tasks.report_reminders", "schedule": 3600.0},
    "plan-units": {"task": "planning.tasks.plan_units", "schedule": 86400.0},
    "render-documents": {"task": "enforcement.tasks.render_pending_documents", "schedule": 60.0},
    "arrival-digests": {"task": "flows.tasks.send_arrival_digests", "schedule": 60.0 * ARRIVAL_DIGEST_MINUTES},
    "history-checkpoint": {"task": "cases.tasks.history_checkpoint", "schedule": HISTORY_CHECKPOINT_EVERY},
    # beat sends, a worker runs: /readyz tells from its age whether both are alive (config.health)
    "heartbeat": {"task": "config.heartbeat", "schedule": 60.0, "options": {"expires": 60.0}},
    "licence-reminders": {"task": "register.tasks.licence_reminders", "schedule": 3600.0},
    "pending-imports": {"task": "register.tasks.pending_imports", "schedule": 60.0},
}
# The largest register workbook accepted for import (register.services).
REGISTER_IMPORT_MAX_BYTES = int(os.environ.get("REGISTER_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
# With a broker, check and write an imported workbook in a worker (the page polls its progress).
REGISTER_IMPORT_IN_WORKER = env_bool("REGISTER_IMPORT_IN_WORKER", True)
# Draw a document's PDF in a worker right after the step that issued it (with a
# broker); without one, or with this off, it is drawn when first downloaded.
DOCUMENTS_RENDER_AFTER_ISSUE = env_bool("DOCUMENTS_RENDER_AFTER_ISSUE", True)
# ... but a web worker asks at most once in this many seconds (the sweep above, or the next ask, takes the rest).
DOCUMENTS_RENDER_NUDGE_SECONDS = float(os.environ.get("DOCUMENTS_RENDER_NUDGE_SECONDS", "2"))

# --- mail (notifications by e-mail go through Django's backend) -----------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@nankai.gov.local")

# --- security -------------------------------------------------------------
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# The probes answer over plain HTTP from the proxy or load balancer, redirect or not.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy: everything from our own origin, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Logs: one JSON object a line on stderr (journald, docker), each with the id of
# the request or task it belongs to (common.logs); they never carry request
# bodies (names, addresses, evidence) nor anything that looks like a secret.
# Django's and Celery's loggers write through the same one handler (a line once,
# not twice as runserver did); the worker says "ready" at INFO.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "common.logs.RequestIdFilter"}},
    "formatters": {"json": {"()": "common.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own configuration gives these handlers of their own; here they only propagate to root.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        "celery": {"level": LOG_LEVEL},
        "gunicorn.error": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "gunicorn.access": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
    },
}

# Viewflow's frontend is not mounted; our pages call our services.
VIEWFLOW = {}
