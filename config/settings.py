"""Safehold settings: one module, driven by environment variables, failing fast on bad values.

Environment variables
---------------------
DATABASE_URL            sqlite:///path or postgres://user:pass@host:port/name (default: SQLite in var/)
SAFEHOLD_SECRET_KEY     required unless SAFEHOLD_DEBUG=1
SAFEHOLD_DEBUG          0 or 1 (default 0)
SAFEHOLD_ALLOWED_HOSTS  comma-separated host names (default: 127.0.0.1,localhost)
SAFEHOLD_TIME_ZONE      default Europe/London
SAFEHOLD_WD_START_IS_DAY_ONE  0 or 1: working-day counting convention (default 0: start is day 0)
SAFEHOLD_LA_CODE        3-digit DfE LA code (default 318, borrowed by the synthetic demo borough)
SAFEHOLD_LA_NAME        the council's name
SAFEHOLD_LA_ONS_CODE    the council's ONS area code (e.g. E09000002), for the SSDA903 checks that compare a
                        placement's local authority with the postcode directory (default: none, those checks skip)
SAFEHOLD_EMAIL_BACKEND  Django email backend (default: console); SAFEHOLD_EMAIL_HOST, _PORT, _USER, _PASSWORD,
                        _USE_TLS and SAFEHOLD_FROM_EMAIL configure SMTP (password reset links)
SAFEHOLD_FGDM_DUTY_FROM YYYY-MM-DD: applications from this date need a family group decision-making offer
                        (default 2026-06-01; Children's Wellbeing and Schools Act 2026 s.1)
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw in {"1", "true", "True", "yes"}:
        return True
    if raw in {"0", "false", "False", "no"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 0 or 1, not {raw!r}")


DEBUG = _bool("SAFEHOLD_DEBUG", False)
# Without a key (and not a local demo) the key stays empty: anything that signs (sessions, CSRF, password resets)
# refuses to run, the web server refuses to start (config/wsgi.py) and ``manage.py check --deploy`` reports it
# (safehold.core.checks); commands that sign nothing (``makemigrations --check``, ``migrate``) still run.
SECRET_KEY_MISSING_MESSAGE = "SAFEHOLD_SECRET_KEY is not set. Set it, or set SAFEHOLD_DEBUG=1 for a local demo."  # noqa: S105
SECRET_KEY = os.environ.get("SAFEHOLD_SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-local-demo-key-never-use-in-production"  # noqa: S105
SAFEHOLD_HAS_SECRET_KEY = bool(SECRET_KEY)  # read this: settings.SECRET_KEY itself raises when the key is empty

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("SAFEHOLD_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]

_db_url = os.environ.get("DATABASE_URL", "").strip()
if not _db_url:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    _db_url = f"sqlite:///{BASE_DIR / 'var' / 'safehold.sqlite3'}"
if not _db_url.startswith(("sqlite://", "postgres://", "postgresql://")):
    raise ImproperlyConfigured(f"DATABASE_URL must be a sqlite:// or postgres:// URL, not {_db_url.split(':')[0]!r}")
try:
    DATABASES = {"default": dj_database_url.parse(_db_url, conn_max_age=60)}
except Exception as exc:  # pragma: no cover - fail fast with the reason
    raise ImproperlyConfigured(f"DATABASE_URL could not be read: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "safehold.core",
    "safehold.audit",
    "safehold.accounts",
    "safehold.workforce",
    "safehold.people",
    "safehold.casework",
    "safehold.looked_after",
    "safehold.timescales",
    "safehold.returns",
    "safehold.inspection",
    "safehold.early_help",
    "safehold.proceedings",
    "safehold.exploitation",
    "safehold.adoption",
    "safehold.oversight",
    "safehold.documents",
    "safehold.retention",
    "safehold.api",
    "safehold.subject_access",
    "safehold.frontend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "safehold.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "safehold.accounts.middleware.SessionIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "safehold.core.middleware.SecurityHeadersMiddleware",
    "safehold.accounts.policies.PolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "frontend:home"
AUTHENTICATION_BACKENDS = [
    # django-axes refuses sign-in attempts for locked-out accounts before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password reset by emailed link: the link works once (its token is bound to the password hash) and expires.
PASSWORD_RESET_TIMEOUT = 60 * 60
# Email (password reset links). The console backend prints mail for a local demo; a deployment sets
# SAFEHOLD_EMAIL_BACKEND to django.core.mail.backends.smtp.EmailBackend and the SAFEHOLD_EMAIL_* variables below.
EMAIL_BACKEND = os.environ.get("SAFEHOLD_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("SAFEHOLD_FROM_EMAIL", "safehold@localhost")
EMAIL_HOST = os.environ.get("SAFEHOLD_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SAFEHOLD_EMAIL_PORT") or "587")
EMAIL_HOST_USER = os.environ.get("SAFEHOLD_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SAFEHOLD_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _bool("SAFEHOLD_EMAIL_USE_TLS", True)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("SAFEHOLD_TIME_ZONE", "Europe/London")
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS: list[Path] = []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Sign-out after inactivity (seconds); SESSION_COOKIE_AGE above is the absolute limit.
SAFEHOLD_SESSION_IDLE_SECONDS = 30 * 60

# Two-factor authentication (django-otp): TOTP plus single-use backup codes, required for every account.
OTP_TOTP_ISSUER = "Safehold"
SAFEHOLD_BACKUP_CODE_COUNT = 10
# Break-glass access to a restricted record lasts this long (seconds).
SAFEHOLD_BREAK_GLASS_SECONDS = 30 * 60

# Login throttling and lockout (django-axes): 5 failures lock the account for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
# Locked per account: rotating IP address, user agent or cookies does not reset the count. Per-IP rate
# limiting (a council's offices share a few addresses) belongs to the reverse proxy: docs/deployment.md.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "safehold.accounts.views.locked_out"
# Masked in django-axes log lines (no credentials or personal data in logs).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "token"]

# The local authority this deployment serves: DfE LA code (3 digits, used in the CIN census header and UPNs)
# and name (Annex A "LA of Placement"; blank when unset). The demo borough's children are synthetic, but it
# borrows a real LA code (318) and that area's postcodes so the sector's validators accept its returns.
SAFEHOLD_LA_CODE = os.environ.get("SAFEHOLD_LA_CODE", "318")
if not (len(SAFEHOLD_LA_CODE) == 3 and SAFEHOLD_LA_CODE.isdigit()):
    raise ImproperlyConfigured(f"SAFEHOLD_LA_CODE must be a 3-digit DfE LA code, not {SAFEHOLD_LA_CODE!r}")
SAFEHOLD_LA_NAME = os.environ.get("SAFEHOLD_LA_NAME", "")
SAFEHOLD_LA_ONS_CODE = os.environ.get("SAFEHOLD_LA_ONS_CODE", "").strip().upper()
if SAFEHOLD_LA_ONS_CODE and not (
    len(SAFEHOLD_LA_ONS_CODE) == 9 and SAFEHOLD_LA_ONS_CODE[0] in "EW" and SAFEHOLD_LA_ONS_CODE[1:].isdigit()
):
    raise ImproperlyConfigured(
        f"SAFEHOLD_LA_ONS_CODE must be an ONS area code such as E09000002, not {SAFEHOLD_LA_ONS_CODE!r}"
    )

# Working-day convention: False = the start date is day 0 (the usual reading of "within N working days");
# True = the start date counts as day 1 (the DfE CIN validator's convention).
SAFEHOLD_WD_START_IS_DAY_ONE = _bool("SAFEHOLD_WD_START_IS_DAY_ONE", False)

# Children's Wellbeing and Schools Act 2026 s.1 (new Children Act 1989 s.31ZA): before applying for a care or
# supervision order the council must offer the parents a family group decision-making meeting. An application
# issued on or after this date is refused until the offer is recorded. Default 1 June 2026: the date from which
# legislation.gov.uk holds a version of s.1 (STATUTE.md section 1.3, source CWSA26; the commencement order itself
# was not checked there). Override with SAFEHOLD_FGDM_DUTY_FROM=YYYY-MM-DD.
try:
    SAFEHOLD_FGDM_DUTY_FROM = dt.date.fromisoformat(os.environ.get("SAFEHOLD_FGDM_DUTY_FROM") or "2026-06-01")
except ValueError as exc:
    raise ImproperlyConfigured("SAFEHOLD_FGDM_DUTY_FROM must be a date as YYYY-MM-DD") from exc

# Background jobs (returns, Annex A): django-tasks with its database backend. Requests enqueue a task in the
# same transaction as the job record; `manage.py db_worker` runs them (`make worker`; `make demo` starts one).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
