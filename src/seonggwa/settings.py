"""Django settings, read from the environment.

- ``DATABASE_URL``: the store. Unset → an SQLite file under ``var/`` (local use).
  PostgreSQL (``postgres://…``) is the production store.
- ``SEONGGWA_DEBUG``: ``1`` for local development. Off by default.
- ``SEONGGWA_SECRET_KEY``: required when debug is off. With debug on and no key, one is
  generated once and kept in ``var/secret_key`` so sessions survive restarts.
- ``SEONGGWA_ALLOWED_HOSTS``: comma-separated; defaults to loopback names.
- ``SEONGGWA_VAR_DIR``: where local state (SQLite, secret key, uploads) lives.
- ``SEONGGWA_EMAIL_BACKEND``: defaults to the console backend.
"""

from __future__ import annotations

import os
import secrets
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

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("SEONGGWA_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "seonggwa.core",
    "seonggwa.accounts",
    "seonggwa.registry",
    "seonggwa.evaluations",
    "seonggwa.access",
    "seonggwa.office",
    "seonggwa.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
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
# 5 MB, and the import forms refuse files over SEONGGWA_MAX_UPLOAD_BYTES (office/forms.py).
# A hard cap on the whole request belongs in the web server in front.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
SEONGGWA_MAX_UPLOAD_BYTES = int(os.environ.get("SEONGGWA_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))

EMAIL_BACKEND = os.environ.get(
    "SEONGGWA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)

if not DEBUG:
    SESSION_COOKIE_SECURE = _flag("SEONGGWA_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = _flag("SEONGGWA_SECURE_COOKIES", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SEONGGWA_LOG_LEVEL", "WARNING")},
}
