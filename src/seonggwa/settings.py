"""Django settings, read from the environment.

- ``DATABASE_URL``: the store. Unset → an SQLite file under ``var/`` (local use).
  PostgreSQL (``postgres://…``) is the production store.
- ``SEONGGWA_DEBUG``: ``1`` for local development. Off by default.
- ``SEONGGWA_SECRET_KEY``: required when debug is off. With debug on and no key, one is
  generated once and kept in ``var/secret_key`` so sessions survive restarts.
- ``SEONGGWA_ALLOWED_HOSTS``: comma-separated; defaults to loopback names.
- ``SEONGGWA_VAR_DIR``: where local state (SQLite, secret key, uploads) lives.
- ``SEONGGWA_EMAIL_BACKEND``: defaults to the console backend.

Production (debug off) settings — HTTPS, proxy, HSTS, content security policy, request
caps, session timeout, login lockout, SQLite concurrency — are read from further
``SEONGGWA_*`` variables below; docs/deployment.md lists them all with their defaults.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent  # the checkout (src/seonggwa → repo root)
VAR_DIR = Path(os.environ.get("SEONGGWA_VAR_DIR", BASE_DIR / "var"))


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _local_secret_key() -> str:
    """A key generated once per checkout, for local use only."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = _flag("SEONGGWA_DEBUG")
SECRET_KEY = os.environ.get("SEONGGWA_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not _flag("SEONGGWA_TESTING"):
        raise ImproperlyConfigured(
            "SEONGGWA_SECRET_KEY must be set when SEONGGWA_DEBUG is off."
        )
    SECRET_KEY = _local_secret_key()
MIN_SECRET_KEY_LENGTH = 50  # what `check --deploy` asks for
if not DEBUG and len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH:
    raise ImproperlyConfigured(
        f"SEONGGWA_SECRET_KEY is too short ({len(SECRET_KEY)} characters): with "
        f"SEONGGWA_DEBUG off it must be at least {MIN_SECRET_KEY_LENGTH} random characters, "
        "e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

ALLOWED_HOSTS = _list("SEONGGWA_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "axes",
    "seonggwa.core",
    "django_tasks",
    "django_tasks_db",
    "seonggwa.accounts",
    "seonggwa.registry",
    "seonggwa.evaluations",
    # The evaluation as people run it (issue 9): each app owns one part of the process.
    "seonggwa.schedules",
    "seonggwa.submissions",
    "seonggwa.panels",
    "seonggwa.sheets",
    "seonggwa.appeals",
    "seonggwa.examples",  # the built-in examples, above every part they load
    "seonggwa.access",
    "seonggwa.office",
    "seonggwa.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "seonggwa.core.middleware.SessionIdleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Refuses an oversized body (413) from its Content-Length, before anything reads it.
    "seonggwa.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Messages resolve Korean particle pairs ("을(를)") once the text is filled in.
MESSAGE_STORAGE = "seonggwa.core.messages.ParticleStorage"

AUTHENTICATION_BACKENDS = [
    # First: refuses every login attempt, right password or not, while locked out.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, refusing demo accounts whenever debug is off.
    "seonggwa.accounts.backends.AccountBackend",
]

ROOT_URLCONF = "seonggwa.urls"
WSGI_APPLICATION = "seonggwa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'seonggwa.sqlite3'}",
        conn_max_age=int(os.environ.get("SEONGGWA_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Several workers share one file: write-ahead log (readers never wait for a writer),
    # transactions that take the write lock when they begin (no "database is locked" on a
    # read-then-write upgrade), and a writer waits up to SEONGGWA_SQLITE_TIMEOUT seconds
    # for another writer to commit instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": _int("SEONGGWA_SQLITE_TIMEOUT", 60),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
    # An import writes all its rows in one transaction, holding the write lock throughout:
    # on SQLite it takes at most 5,000 rows (about 35 s measured on a saturated 2-core
    # machine, a few seconds on an idle one), so it commits well within the other writers'
    # wait. PostgreSQL keeps the import's own default (20,000 rows; core/xlsx.py).
    SEONGGWA_IMPORT_MAX_ROWS = _int("SEONGGWA_IMPORT_MAX_ROWS", 5000)
elif os.environ.get("SEONGGWA_IMPORT_MAX_ROWS", "").strip():
    SEONGGWA_IMPORT_MAX_ROWS = _int("SEONGGWA_IMPORT_MAX_ROWS", 0)
if os.environ.get("SEONGGWA_IMPORT_MAX_UNCOMPRESSED_BYTES", "").strip():
    SEONGGWA_IMPORT_MAX_UNCOMPRESSED_BYTES = _int("SEONGGWA_IMPORT_MAX_UNCOMPRESSED_BYTES", 0)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "office:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

# Korean first; English is the second locale.
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["seonggwa.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request otherwise
MEDIA_ROOT = Path(os.environ.get("SEONGGWA_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or _flag("SEONGGWA_TESTING")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Request bodies: form data is small; uploaded workbooks spill to a temporary file past
# FILE_UPLOAD_MAX_MEMORY_SIZE, and the import forms refuse files over
# SEONGGWA_MAX_UPLOAD_BYTES (office/forms.py). RequestSizeLimitMiddleware refuses, from the
# Content-Length alone, any request larger than one such file plus the form fields
# (SEONGGWA_MAX_REQUEST_BYTES), so an oversized body is never read.
DATA_UPLOAD_MAX_MEMORY_SIZE = _int("SEONGGWA_DATA_UPLOAD_MAX_BYTES", 2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = _int("SEONGGWA_FILE_UPLOAD_MEMORY_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
SEONGGWA_MAX_UPLOAD_BYTES = _int("SEONGGWA_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
SEONGGWA_MAX_REQUEST_BYTES = _int(
    "SEONGGWA_MAX_REQUEST_BYTES", SEONGGWA_MAX_UPLOAD_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE
)

EMAIL_BACKEND = os.environ.get(
    "SEONGGWA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)

# Background tasks (the deadline sweep, seonggwa.schedules.tasks): stored in the database
# and run by `seonggwa manage db_worker`, so no extra server is needed; cron calling
# `seonggwa tick` every few minutes does the same sweep without a worker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- HTTPS and the proxy in front ---------------------------------------------------------
# With debug off the site is taken to be reached over HTTPS (SEONGGWA_HTTPS=0 for plain
# HTTP, e.g. a load test on loopback): secure cookies, redirect to HTTPS, HSTS.
HTTPS = _flag("SEONGGWA_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = _flag("SEONGGWA_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = _flag("SEONGGWA_SECURE_COOKIES", HTTPS)
SECURE_SSL_REDIRECT = _flag("SEONGGWA_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = _int("SEONGGWA_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("SEONGGWA_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _flag("SEONGGWA_HSTS_PRELOAD", False)
# Behind a TLS-terminating proxy: trust its X-Forwarded-Proto (only set this when the proxy
# always sets or strips that header), and name the public origins for CSRF.
if _flag("SEONGGWA_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = _flag("SEONGGWA_USE_X_FORWARDED_HOST", False)
CSRF_TRUSTED_ORIGINS = _list("SEONGGWA_CSRF_TRUSTED_ORIGINS")
# How many proxies append to X-Forwarded-For: the client address (login lockout) is the
# one the outermost trusted proxy saw. 0: the connection's own address.
SEONGGWA_PROXY_COUNT = _int("SEONGGWA_PROXY_COUNT", 0)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy (django-csp 4) -------------------------------------------------
# Everything from this site only: no inline scripts or styles anywhere (the templates
# use static files), charts are inline SVG with presentation attributes.
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
    },
}
if HTTPS:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
if DEBUG:
    # Django's debug pages use inline styles and scripts: locally the same policy is only
    # reported (violations show in the browser console), never enforced.
    CONTENT_SECURITY_POLICY_REPORT_ONLY = CONTENT_SECURITY_POLICY
    CONTENT_SECURITY_POLICY = None

# --- Cache: public pages and open-data files, per published data version ------------------
# SEONGGWA_CACHE_URL=redis://host:6379/0 → Redis (shared by every app server); otherwise the
# database cache table (created by migrate, shared by every server on the same database)
# with debug off, and local memory with debug on. The portal keys pages by the published
# data version, which lives in the database (seonggwa.portal.cache): a publish on any
# server is seen by all on their next request. SEONGGWA_PUBLIC_CACHE=0 turns the portal's
# page and open-data file caching off (the test suite's default; its cache tests turn it on).
_CACHE_URL = os.environ.get("SEONGGWA_CACHE_URL", "").strip()
if _CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    try:
        import redis  # noqa: F401  (Django's RedisCache needs the client; not a default)
    except ImportError:
        raise ImproperlyConfigured(
            "SEONGGWA_CACHE_URL names Redis: install its client (pip install redis)."
        ) from None
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": _CACHE_URL}}
elif _CACHE_URL:
    raise ImproperlyConfigured("SEONGGWA_CACHE_URL must be a redis:// address.")
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": "seonggwa_cache",
                          "OPTIONS": {"MAX_ENTRIES": _int("SEONGGWA_CACHE_MAX_ENTRIES", 20000)}}}
SEONGGWA_PUBLIC_CACHE = _flag("SEONGGWA_PUBLIC_CACHE", not _flag("SEONGGWA_TESTING"))
# A cached public page is also dropped after this long (a safety net for changes that are
# not publications, e.g. a department renamed in the registry).
SEONGGWA_PAGE_CACHE_SECONDS = _int("SEONGGWA_PAGE_CACHE_SECONDS", 600)

# --- Sessions: signed out after SEONGGWA_SESSION_IDLE_MINUTES without a request ------------
# SessionIdleMiddleware renews a session in use at most every SEONGGWA_SESSION_REFRESH_SECONDS
# (not on every request: SESSION_SAVE_EVERY_REQUEST would write the store on every page).
SESSION_COOKIE_AGE = _int("SEONGGWA_SESSION_IDLE_MINUTES", 60) * 60
SEONGGWA_SESSION_REFRESH_SECONDS = min(_int("SEONGGWA_SESSION_REFRESH_SECONDS", 60),
                                       SESSION_COOKIE_AGE // 2)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Login lockout (django-axes) ------------------------------------------------------------
# After SEONGGWA_LOGIN_FAILURE_LIMIT failed logins for one user name from one address,
# that pair is refused (even with the right password) for SEONGGWA_LOGIN_COOLOFF_MINUTES.
# Keyed on the pair, so one office behind a shared address is not locked out by one person.
AXES_ENABLED = _flag("SEONGGWA_LOGIN_LOCKOUT", True)
AXES_FAILURE_LIMIT = _int("SEONGGWA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=_int("SEONGGWA_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "seonggwa.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "seonggwa.core.middleware.client_ip"
AXES_VERBOSE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403, or another 4xx logged with its exception) is one line, not
    # a traceback (seonggwa.core.middleware.OneLineRefusals): on the logger for records
    # Django writes there, on the handler for those of its child loggers.
    "filters": {"one_line_refusals": {"()": "seonggwa.core.middleware.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler",
                             "filters": ["one_line_refusals"]}},
    "loggers": {"django.request": {"filters": ["one_line_refusals"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("SEONGGWA_LOG_LEVEL", "WARNING")},
}
