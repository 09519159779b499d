"""Django settings, built from the typed environment in `config.env`.

Concern-specific settings live beside this file (`oidc.py`, `resource_server.py`) and are
merged at the end, so that each concern reads and validates its own variables.
"""

from __future__ import annotations

import os

from whitenoise.compress import Compressor

from config.database import DATABASE_ENV, databases
from config.env import BASE_DIR, Env, load, settings_from

ENV: Env = load(Env)

DEBUG = ENV.DJANGO_DEBUG
# Development fallback only: production (DJANGO_DEBUG=false) refuses to start without one.
SECRET_KEY = ENV.DJANGO_SECRET_KEY or "development-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = ENV.DJANGO_ALLOWED_HOSTS or (["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = ENV.DJANGO_CSRF_TRUSTED_ORIGINS
DATA_DIR = ENV.PEOPLE_DATA_DIR

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "mozilla_django_oidc",
    # The web interface: the State design system (templates, static css/fonts/icons; its
    # templates load widget_tweaks) and htmx.
    "dsfr",
    "widget_tweaks",
    "django_htmx",
    "people.core",
    "people.identity",
    "people.teams",
    "people.contacts",
    "people.mail",
    "people.resource_server",
    "people.scim",
    "people.portal",
]

# Under /api/ and /resource-server/ a CSRF refusal is JSON like every other answer there.
CSRF_FAILURE_VIEW = "people.core.middleware.csrf_failure"

MIDDLEWARE = [
    # First, so that it times every other middleware too.
    "people.core.monitoring.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before sessions and the rest of the stack.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "people.core.middleware.PrivateApiCacheMiddleware",
    "people.core.middleware.JsonApiErrorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the authentication: the signed-in user's language comes first.
    "people.core.middleware.LanguageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Outside the API, the design system's 404 and 500 pages, also with DEBUG on (no traceback).
    "people.core.web.errors.ErrorPagesMiddleware",
    "people.core.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# Pages that need a signed-in agent send the others here, with the page asked for in `next`.
LOGIN_URL = "signin"
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
                "django.template.context_processors.i18n",
                # What the layout needs (service name, languages, sign-in links), without SQL.
                "people.core.web.context_processors.layout",
                # `abilities` (as users/me/ gives them), computed when a template reads them.
                "people.portal.web.context_processors.abilities",
            ],
        },
    },
]

DATABASES = databases(DATABASE_ENV, data_dir=DATA_DIR)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if ENV.REDIS_URL:
    # Bounded waits: a Redis that stops answering fails requests and the heartbeat in seconds.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": ENV.REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "identity.User"
# django-axes refuses locked-out sign-ins to the backends after it: the password one. The OpenID
# Connect callback is authenticated before it, as guessing is the provider's concern there (no
# password reaches People; each code and state is single-use).
# Password sign-in (admin, operators) is Django's own backend: `UserManager.get_by_natural_key`
# matches the e-mail case-insensitively and refuses an address two accounts share, so that
# neither can sign in by password (e-mail uniqueness is a setting, see `email_index`).
AUTHENTICATION_BACKENDS = [
    "people.portal.signin.OIDCAuthenticationBackend",
    "axes.backends.AxesStandaloneBackend",
    "people.identity.auth.backends.PasswordBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# The e-mail is not a unique column: with USER_EMAIL_UNIQUE a partial unique index (created or
# dropped at `migrate`, see people.identity.email_index) and the identity services enforce it,
# so Django's "USERNAME_FIELD must be unique" warning does not apply.
# HSTS preload (security.W021) is the registrable domain's decision, not one service's: the
# preload list takes only whole domains. DJANGO_SECURE_HSTS_PRELOAD=true sends it when wanted.
SILENCED_SYSTEM_CHECKS = ["auth.W004", "security.W021"]

# French first: pages without a language signal are French. The API's callers without one keep
# English (see people.core.middleware.LanguageMiddleware). The order and labels of LANGUAGES are
# the API's `config/` (labels translated there); the switch shows each language in its own name.
LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("en-us", "English"), ("fr-fr", "French")]
# Each app's catalog is people/<app>/locale/ (found through INSTALLED_APPS), compiled by the
# Makefile (`make messages`); people.oidc is a package, not an app: its catalog is named here.
LOCALE_PATHS = [BASE_DIR / "people" / "oidc" / "locale"]
# Forms of the pages render with the design system's markup (labels, hints, errors next to
# their field, aria-describedby); Django's and the admin's own templates are found after it.
FORM_RENDERER = "dsfr.forms.DsfrDjangoTemplates"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = ENV.PEOPLE_STATIC_ROOT or DATA_DIR / "static"
# Collected by `make run` and `make prod` (`manage.py static`, which skips the work when no source
# changed): compressed, and named by their content's hash outside DEBUG, so that WhiteNoise lets
# browsers cache them for ever.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Once collected, WhiteNoise serves the collected copies (compressed) from a list made at start;
# before (`make dev`, tests), a DEBUG server reads the apps' folders at each request instead.
# Source maps are read by a developer's tools only: served as they are, not compressed (this
# halves the time of a collection).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG and not (STATIC_ROOT / "staticfiles.json").exists()

# Sessions live in the database; with Redis, each is also cached there, so that a request reads
# it without a query (a locmem cache would not see another worker's sign-out: database only).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if ENV.REDIS_URL else "django.contrib.sessions.backends.db"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "people.core.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "people.core.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "people.core.api.schema.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "people.core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "people.core.api.errors.exception_handler",
    "DATETIME_FORMAT": "%Y-%m-%dT%H:%M:%S.%fZ",
    "DEFAULT_THROTTLE_RATES": {
        "user_sustained": ENV.THROTTLE_USER_SUSTAINED,
        "user_burst": ENV.THROTTLE_USER_BURST,
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "People API",
    "DESCRIPTION": "Directory and permission service of the suite.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/(api|resource-server)/v1\.0",
    # Bodies are JSON: nested values (contact data, lists of ids) have no form encoding.
    "PARSER_WHITELIST": ["people.core.api.parsers.JSONParser"],
    # Swagger UI's assets are served by People (drf-spectacular-sidecar), not from a CDN, so
    # that the Content-Security-Policy can stay 'self'.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Teams and mail domains name their roles alike but offer different ones.
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "people.teams.models.TeamRole",
        "MailDomainRoleEnum": "people.mail.models.MailDomainRole",
    },
}

# --- E-mail
if ENV.EMAIL_BACKEND:
    EMAIL_BACKEND = ENV.EMAIL_BACKEND
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = ENV.EMAIL_FROM
PUBLIC_URL = ENV.PEOPLE_PUBLIC_URL.rstrip("/")

# --- Directory
FEATURES = {
    "CONTACTS_DISPLAY": ENV.FEATURE_CONTACTS_DISPLAY,
    "CONTACTS_CREATE": ENV.FEATURE_CONTACTS_CREATE,
    "MAILBOXES_CREATE": ENV.FEATURE_MAILBOXES_CREATE,
    "TEAMS_DISPLAY": ENV.FEATURE_TEAMS_DISPLAY,
    "TEAMS_CREATE": ENV.FEATURE_TEAMS_CREATE,
}
# Variables that are Django settings under their own name.
globals().update(
    settings_from(
        ENV,
        include=frozenset({
            "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS",
            "EMAIL_USE_SSL", "EMAIL_BRAND_NAME", "INVITATION_VALIDITY_DAYS", "USER_EMAIL_UNIQUE",
            "ORGANIZATION_REGISTRATION_ID_VALIDATORS", "PEOPLE_DEV_LOGIN", "RELEASE", "COMMIT",
            "CRISP_WEBSITE_ID", "OUTBOX_BACKOFF_BASE_SECONDS", "OUTBOX_BACKOFF_MAX_SECONDS",
            "OUTBOX_MAX_ATTEMPTS", "OUTBOX_LOCK_SECONDS",
        }),
    )
)

# --- Background jobs (outbox delivery)
JOBS_MODE = ENV.PEOPLE_JOBS_MODE or ("celery" if ENV.REDIS_URL and not DEBUG else "thread")
CELERY_BROKER_URL = ENV.REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = JOBS_MODE != "celery"
CELERY_TASK_ACKS_LATE = True
# Deliveries wait on peers (SMTP, HTTP) more than they compute: two processes per core.
CELERY_WORKER_CONCURRENCY = ENV.CELERY_WORKER_CONCURRENCY or min(2 * (os.cpu_count() or 1), 8)
CELERY_BEAT_SCHEDULE = {
    "outbox-deliver-due": {"task": "people.core.tasks.outbox_deliver_due", "schedule": 15.0},
}

# --- Logging: one JSON object a line for operators when PEOPLE_LOG_JSON is on.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "people.core.logging.JsonFormatter"},
        "plain": {"()": "people.core.logging.TextFormatter", "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json" if ENV.PEOPLE_LOG_JSON else "plain"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "people": {"handlers": ["console"], "level": ENV.PEOPLE_LOG_LEVEL, "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

from config.mail import *  # noqa: E402,F403
from config.monitoring import *  # noqa: E402,F403
from config.oidc import *  # noqa: E402,F403
from config.resource_server import *  # noqa: E402,F403
from config.security import *  # noqa: E402,F403
from config.teams import *  # noqa: E402,F403

CELERY_BEAT_SCHEDULE.update(MAIL_BEAT_SCHEDULE)  # noqa: F405 - from config.mail
CELERY_BEAT_SCHEDULE.update(TEAMS_BEAT_SCHEDULE)  # noqa: F405 - from config.teams
