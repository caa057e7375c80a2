"""CupManager settings: one file, every knob from the environment.

Development defaults are safe to run locally; with DJANGO_DEBUG off the site
refuses to start without DJANGO_SECRET_KEY.
"""

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {value!r}")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envrate(name: str, default: str) -> str:
    """A request rate as DRF reads it: a count per s, min, hour or day, e.g. 120/min."""
    value = os.environ.get(name, default).strip()
    if not re.fullmatch(r"[1-9]\d*/(s|sec|second|m|min|minute|h|hour|d|day)", value):
        raise ImproperlyConfigured(f"{name} must be a rate like 120/min, got {value!r}")
    return value


def proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """DJANGO_PROXY_SSL_HEADER as Django wants it: the header's META name and "https"."""
    name = name.strip().upper()
    if not name:
        return None
    if not re.fullmatch(r"HTTP_[A-Z0-9_]+", name):
        raise ImproperlyConfigured(
            "DJANGO_PROXY_SSL_HEADER must name a request header as Django sees it, "
            f"like HTTP_X_FORWARDED_PROTO, got {name!r}"
        )
    return (name, "https")


CACHE_BACKENDS = {
    "redis": "django.core.cache.backends.redis.RedisCache",
    "rediss": "django.core.cache.backends.redis.RedisCache",
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "dummy": "django.core.cache.backends.dummy.DummyCache",
    "db": "django.core.cache.backends.db.DatabaseCache",
}
# The table of the db:// cache (created by `manage.py createcachetable`, which `make serve` runs).
DATABASE_CACHE_TABLE = "cupmanager_cache"


def cache_from_url(url: str) -> dict[str, object]:
    """CACHE_URL as a cache: redis://[:password@]host:port/db, locmem:// (default), dummy://,
    db:// (the database's table ``cupmanager_cache``)."""
    scheme = urlsplit(url.strip()).scheme or "locmem"
    if scheme not in CACHE_BACKENDS:
        known = ", ".join(f"{name}://" for name in sorted(CACHE_BACKENDS))
        raise ImproperlyConfigured(f"CACHE_URL must start with one of {known}, got {url!r}")
    cache: dict[str, object] = {"BACKEND": CACHE_BACKENDS[scheme]}
    if scheme.startswith("redis"):
        cache["LOCATION"] = url.strip()
    elif scheme == "locmem":
        # Django's default of 300 entries would let a crowd's throttle counts (one per address)
        # push the kept pages and tables out; 20,000 small entries is a few tens of MB at most.
        cache["OPTIONS"] = {"MAX_ENTRIES": 20_000}
    elif scheme == "db":
        # One row per address and window: Django's default of 300 rows would cull live counts.
        cache["LOCATION"] = DATABASE_CACHE_TABLE
        cache["OPTIONS"] = {"MAX_ENTRIES": 100_000}
    return cache


def counters_cache_from_url(url: str, cache_url: str) -> dict[str, object]:
    """COUNTERS_CACHE_URL, the cache of the throttle and rate-limit counts: by default on
    CACHE_URL's server under a prefix of its own, and in memory its own store, so that a flood
    of kept pages never evicts a count (docs/OPERATIONS.md). CACHE_URL=dummy:// (nothing kept)
    still counts, in memory: only COUNTERS_CACHE_URL=dummy:// turns the counting off."""
    cache = cache_from_url(url or cache_url)
    if not url and cache["BACKEND"] == CACHE_BACKENDS["dummy"]:
        cache = cache_from_url("locmem://")
    if cache["BACKEND"] == CACHE_BACKENDS["locmem"]:
        cache["LOCATION"] = "counters"
    cache["KEY_PREFIX"] = "counters"
    return cache


DEBUG = envbool("DJANGO_DEBUG", "true")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off: "
            "export a long random value, e.g. from "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

INSTALLED_APPS = [
    # Before the admin: its TranslationAdmin and the translated fields it registers.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Django's own widget templates, for FORM_RENDERER below.
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "csp",
    "axes",
    "simple_history",
    # The task queue: `manage.py run_huey`, the worker of `make worker` (core/queue.py).
    "huey.contrib.djhuey",
    "core",
    "staff",
    "championships",
    "entries",
    "talentpool",
    "paddock",
    # Entrants' accounts on the public site (paddock): sign-up, e-mail verification, password
    # reset, and the list of one's signed-in sessions to sign out everywhere.
    "allauth",
    "allauth.account",
    "allauth.usersessions",
    "public",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # A friendly 503 page (JSON under /api/) while the database cannot be reached.
    "core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ?dry_run=1&dry_run=0: a parameter given twice is a 400 naming it, before any cache.
    "core.middleware.RepeatedParameterMiddleware",
    # ETag (a hash of the body, unless the view set a cheaper one) and 304 for every GET.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The back office in each staff member's own language (/admin/ only; after the two above).
    "staff.middleware.StaffLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change that the audit trail (django-simple-history) keeps.
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-allauth: its account flows, and the sessions an entrant can sign out of.
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the "locked out" answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cupmanager.urls"

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
                "cupmanager.context_processors.language_links",
                "public.context_processors.series_navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "cupmanager.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", "0"),
        # A kept connection that broke (the database restarted) is replaced, not reused.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with the health check of a kept connection made only after a second
    # idle (cupmanager/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "cupmanager.postgresql"
    # psycopg prepares a statement bound server-side after five runs on a kept connection, as
    # it does by default; off (None) behind a pooler that cannot keep prepared statements
    # (PgBouncer in transaction mode without max_prepared_statements). Django binds on the
    # client, so no query of the project is prepared today: the variable is still read, so
    # that deployments which set it keep their meaning (docs/OPERATIONS.md).
    prepared = envbool("DATABASE_PREPARED_STATEMENTS", "true")
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5 if prepared else None
    # DATABASE_POOL=N: each server process lends its requests up to N connections from a pool
    # (psycopg_pool), waiting DATABASE_POOL_TIMEOUT seconds for one when all are out. Under the
    # ASGI server each request runs in a thread of its own: without a pool, kept connections
    # (DATABASE_CONN_MAX_AGE) would be one per thread, unbounded. The pool keeps them instead.
    pool_size = envint("DATABASE_POOL", "0")
    if pool_size:
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": 1,
            "max_size": pool_size,
            "timeout": envint("DATABASE_POOL_TIMEOUT", "10"),
        }
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# What fans read (series, championship, circuit and prize names, supporting events, the
# stewards' reasons) in each language (django-modeltranslation: name_en, name_zh_hans);
# Chinese falls back to English, the language the season bundle reads and writes.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "zh-hans")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# Model(name=...) and objects.create(name=...) always fill the English text too, whatever
# the language active at the time (a Chinese back office, an API call in Chinese).
MODELTRANSLATION_AUTO_POPULATE = "default"
# A new series or season takes its slug from its English name, in either back office.
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]

# Widgets render through TEMPLATES, so templates/ may override one: the admin's split date
# and time (templates/admin/widgets/split_datetime.html) labels each of its two boxes.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
# People's documents and checked uploads (core/documents.py): each alias a folder under its
# *_ROOT on this machine, or a prefix of the one bucket that OBJECT_STORE_URL names
# (s3://BUCKET/PREFIX?endpoint=URL&region=NAME, keys in AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY): needed as soon as two app servers serve one site.
OBJECT_STORE_URL = os.environ.get("OBJECT_STORE_URL", "").strip()
DOCUMENT_STORAGES = {
    "talentpool": "TALENTPOOL_UPLOAD_ROOT",
    "paddock": "PADDOCK_UPLOAD_ROOT",
    "board": "BOARD_ROOT",
    "uploads": "CHECKED_UPLOAD_ROOT",
}
if OBJECT_STORE_URL:
    from core.object_store import storages_for

    _documents = storages_for(OBJECT_STORE_URL, {alias: alias for alias in DOCUMENT_STORAGES})
else:
    _documents = {
        alias: {"BACKEND": "core.documents.PrivateUploadStorage", "OPTIONS": {"root_setting": root}}
        for alias, root in DOCUMENT_STORAGES.items()
    }
STORAGES = {
    **_documents,
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Not compressed by collectstatic: WhiteNoise's own list, and the fonts of the notice board's
# PDFs (about 3 MB each, read by WeasyPrint from the disk; compressing them took a minute).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "otf")

REST_FRAMEWORK = {
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["core.api.FilterBackend", "core.api.OrderingFilter"],
    # Tokens are issued per staff user in the back office; the session serves staff in a browser.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Reads for anyone; writes for active staff with the model permissions (one class for all).
    "DEFAULT_PERMISSION_CLASSES": ["core.api.StaffWritePermission"],
    # An unexpected error is a JSON 500, like every other answer of the API.
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["core.api.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": envrate("API_ANON_RATE", "120/min")},
    # Behind a reverse proxy, set to the number of proxies so the client's address is used.
    "NUM_PROXIES": envint("API_NUM_PROXIES", "0"),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "CupManager API",
    "DESCRIPTION": "Calendar, entries, results and standings of the cup's championships.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",  # from our own static files, never a CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # A race's classification state and a version's state are one choice set: one name.
    "ENUM_NAME_OVERRIDES": {
        "ClassificationStateEnum": "championships.models.ClassificationState",
        "LiveCarStatusEnum": "championships.models.LiveCarStatus",
        "LiveFlagEnum": "championships.models.LiveFlag",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.document_errors",
    ],
}

# Bundles are small (a season is a few hundred kB); refuse anything far larger.
SEASON_BUNDLE_MAX_BYTES = envint("SEASON_BUNDLE_MAX_BYTES", str(10 * 1024 * 1024))

# Email: handed to the task queue (core/queue.py), which delivers it through the backend
# DJANGO_EMAIL_BACKEND names: printed on the console unless an SMTP host is given.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_BACKEND = "core.queue.QueuedEmailBackend"
EMAIL_DELIVERY_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
# A message the mail server refuses is tried again this many times, 1, 2, 4… minutes apart
# (6: for about an hour), then kept as a failed background task in the back office.
EMAIL_RETRIES = envint("EMAIL_RETRIES", "6")
EMAIL_RETRY_SECONDS = envint("EMAIL_RETRY_SECONDS", "60")
EMAIL_PORT = envint("DJANGO_EMAIL_PORT", "587")
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("DJANGO_EMAIL_USE_TLS", "true")
EMAIL_TIMEOUT = envint("DJANGO_EMAIL_TIMEOUT", "10")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "CupManager <noreply@localhost>")

# Talent Pool: applicants' documents live outside any public URL (git-ignored by default) and
# are served only through a view that checks the reviewer permission.
TALENTPOOL_UPLOAD_ROOT = Path(
    os.environ.get("TALENTPOOL_UPLOAD_ROOT") or BASE_DIR / "private" / "talentpool"
)
# Entrants' documents (licences, medical certificates), private in the same way: streamed only
# to the driver, their team's managers and the staff who may open them.
PADDOCK_UPLOAD_ROOT = Path(
    os.environ.get("PADDOCK_UPLOAD_ROOT") or BASE_DIR / "private" / "paddock"
)
# Applications received per network address, as <count>/<s|m|h|d>; every attempt, refused
# ones too, counts against the looser TALENTPOOL_ATTEMPT_RATE_LIMIT.
TALENTPOOL_RATE_LIMIT = os.environ.get("TALENTPOOL_RATE_LIMIT", "5/h").strip()
TALENTPOOL_ATTEMPT_RATE_LIMIT = os.environ.get("TALENTPOOL_ATTEMPT_RATE_LIMIT", "30/h").strip()
# Entrants' forms per address (core/ratelimit.py), in the same shape: applications for entries
# submitted; sign-ups, sign-ins and password-reset requests posted.
PADDOCK_APPLICATION_RATE_LIMIT = os.environ.get("PADDOCK_APPLICATION_RATE_LIMIT", "20/h").strip()
PADDOCK_SIGNUP_RATE_LIMIT = os.environ.get("PADDOCK_SIGNUP_RATE_LIMIT", "20/h").strip()
PADDOCK_LOGIN_RATE_LIMIT = os.environ.get("PADDOCK_LOGIN_RATE_LIMIT", "60/h").strip()
PADDOCK_PASSWORD_RESET_RATE_LIMIT = os.environ.get(
    "PADDOCK_PASSWORD_RESET_RATE_LIMIT", "10/h"
).strip()
# Document uploads on a driver's page, every attempt (an application's files count with it).
PADDOCK_UPLOAD_RATE_LIMIT = os.environ.get("PADDOCK_UPLOAD_RATE_LIMIT", "60/h").strip()
for _name, _rate in (
    ("TALENTPOOL_RATE_LIMIT", TALENTPOOL_RATE_LIMIT),
    ("TALENTPOOL_ATTEMPT_RATE_LIMIT", TALENTPOOL_ATTEMPT_RATE_LIMIT),
    ("PADDOCK_APPLICATION_RATE_LIMIT", PADDOCK_APPLICATION_RATE_LIMIT),
    ("PADDOCK_SIGNUP_RATE_LIMIT", PADDOCK_SIGNUP_RATE_LIMIT),
    ("PADDOCK_LOGIN_RATE_LIMIT", PADDOCK_LOGIN_RATE_LIMIT),
    ("PADDOCK_PASSWORD_RESET_RATE_LIMIT", PADDOCK_PASSWORD_RESET_RATE_LIMIT),
    ("PADDOCK_UPLOAD_RATE_LIMIT", PADDOCK_UPLOAD_RATE_LIMIT),
):
    _count, _, _unit = _rate.partition("/")
    if not (_count.isdecimal() and int(_count) > 0 and _unit in {"s", "m", "h", "d"}):
        raise ImproperlyConfigured(
            f"{_name} must look like 5/h (a count per s, m, h or d), got {_rate!r}"
        )
# Unsuccessful applications are deleted this many months after their edition's assessment.
TALENTPOOL_RETENTION_MONTHS = envint("TALENTPOOL_RETENTION_MONTHS", "12")
# The notice board's PDFs (public, but streamed by their view with their SHA-256).
BOARD_ROOT = Path(os.environ.get("BOARD_ROOT") or BASE_DIR / "private" / "board")
# Uploads checked in the back office, waiting for their apply (core/checked_uploads.py).
CHECKED_UPLOAD_ROOT = Path(
    os.environ.get("CHECKED_UPLOAD_ROOT") or BASE_DIR / "private" / "checked-uploads"
)
# A generated document's PDFs are drawn after the commit by the task queue's worker, so race
# control never waits for them (off: drawn before the response, as the tests do); the hourly
# job and `manage.py board_render` draw any a stopped worker left undrawn.
BOARD_DRAW_IN_BACKGROUND = envbool("BOARD_DRAW_IN_BACKGROUND", "true")
# Webhooks (core/webhooks.py): the deliveries an event creates are sent after the commit by the
# task queue's worker (off: before the response, as the tests do); retries by its scheduled
# `webhooks_due`, every minute (docs/OPERATIONS.md, "Webhooks").
WEBHOOKS_SEND_IN_BACKGROUND = envbool("WEBHOOKS_SEND_IN_BACKGROUND", "true")

# The site's address (https://cup.example.com), for the links of e-mails written outside a
# request: by the task queue's worker (a document's e-mail once its PDFs are drawn), a command.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")

# The task queue (core/queue.py, huey): e-mails, webhooks, the board's PDFs and the scheduled
# jobs, run by `make worker`. TASK_QUEUE_URL: redis://HOST:6379/N (what several app servers and
# workers share), sqlite:///PATH (one machine; by default <project>/private/tasks.sqlite3), or
# immediate:// (run at once in the process that queues: the tests).
TASK_QUEUE_URL = (
    os.environ.get("TASK_QUEUE_URL", "").strip()
    or f"sqlite:///{BASE_DIR / 'private' / 'tasks.sqlite3'}"
)
_queue = urlsplit(TASK_QUEUE_URL)
_queue_name = "cupmanager-" + re.sub(r"[^A-Za-z0-9_.-]", "-", str(DATABASES["default"]["NAME"]))
if _queue.scheme in {"redis", "rediss"}:
    import redis

    HUEY: dict = {
        "huey_class": "huey.RedisHuey",
        # A Redis that stops answering fails the queueing (then a failed task) in seconds,
        # never holding the request that queues. (A pool connects when first used.)
        "connection_pool": redis.ConnectionPool.from_url(
            TASK_QUEUE_URL, socket_connect_timeout=2, socket_timeout=5
        ),
        "immediate": False,
    }
elif _queue.scheme == "sqlite":
    # sqlite:////absolute/path, or sqlite:///path relative to the project, as DATABASE_URL.
    _queue_file = Path(_queue.path[1:])
    _queue_file = _queue_file if _queue_file.is_absolute() else BASE_DIR / _queue_file
    _queue_file.parent.mkdir(parents=True, exist_ok=True)
    HUEY = {"huey_class": "huey.SqliteHuey", "filename": str(_queue_file), "immediate": False}
elif _queue.scheme == "immediate":
    HUEY = {"huey_class": "huey.MemoryHuey", "immediate": True}
else:
    raise ImproperlyConfigured(
        "TASK_QUEUE_URL must be redis://HOST:6379/N, sqlite:///PATH or immediate://, "
        f"got {TASK_QUEUE_URL!r}"
    )
HUEY.update(
    name=_queue_name,
    utc=True,
    results=False,  # nothing reads a task's return value: none is kept
    # The worker (`manage.py run_huey`): threads, each task with its own database connection.
    consumer={"workers": envint("TASK_WORKERS", "2"), "worker_type": "thread"},
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint logs each step of every PDF it draws at INFO: only its warnings are kept.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# --- Security (docs/SECURITY.md) -----------------------------------------------------------
# Always: no MIME sniffing, no framing, no referrer sent to other sites.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# HTTPS only whenever debug is off; DJANGO_HTTPS=0 serves plain HTTP (loopback, a private
# network, a load test). Behind a proxy that terminates TLS, DJANGO_PROXY_SSL_HEADER names the
# header that says so, e.g. HTTP_X_FORWARDED_PROTO (the proxy must set or strip it).
HTTPS = envbool("DJANGO_HTTPS", "false" if DEBUG else "true")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", "31536000") if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", "true")
SECURE_HSTS_PRELOAD = envbool("DJANGO_HSTS_PRELOAD", "true")
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(os.environ.get("DJANGO_PROXY_SSL_HEADER", ""))
# Load balancers ask /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp 4): our own files only, nothing inline, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Back-office brute-force protection (django-axes): AXES_FAILURE_LIMIT failed logins with the
# same user name from the same address lock that pair out for AXES_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Entrants sign in on the public site with their e-mail address (paddock/accounts.py).
    "allauth.account.auth_backends.AuthenticationBackend",
]
# The one login page is the back office's. After it, a `next` refused as unsafe (another
# host) or none at all lands on the back office's index, not on /accounts/profile/ (a 404).
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
AXES_ENABLED = envbool("AXES_ENABLED", "true")
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "30"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # lockouts are still logged as warnings
AXES_LOCKOUT_TEMPLATE = "axes_locked_out.html"
# The client's address as the API throttle sees it, API_NUM_PROXIES hops behind proxies.
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
# The failures are counted in the database (axes' default handler); were a cache handler
# chosen, it would count in the counters' cache, never beside the kept pages.
AXES_CACHE = "counters"

# --- Serving (docs/OPERATIONS.md) ----------------------------------------------------------
# Live timing's shared channel (core/broadcast.py): LIVE_CHANNEL_URL=redis://host:6379/0,
# else CACHE_URL when it is Redis, so that every app server hears every push; local:// for a
# single process; empty: no stream, the live pages poll (ETag) every few seconds.
LIVE_CHANNEL_URL = os.environ.get("LIVE_CHANNEL_URL") or (
    os.environ.get("CACHE_URL", "")
    if os.environ.get("CACHE_URL", "").startswith(("redis://", "rediss://"))
    else ""
)

# CACHE_URL=redis://host:6379/1 shares one cache between the server's workers; without it
# each worker process keeps its own in memory. The counters (API throttle, Talent Pool rate
# limit) live in a cache of their own, COUNTERS_CACHE_URL (CACHE_URL's server by default);
# `make serve` refuses a per-process one.
CACHES = {
    "default": cache_from_url(os.environ.get("CACHE_URL", "")),
    "counters": counters_cache_from_url(
        os.environ.get("COUNTERS_CACHE_URL", ""), os.environ.get("CACHE_URL", "")
    ),
}
# PAGE_CACHE_SECONDS > 0 keeps whole anonymous GET answers (pages and API reads) that long, for
# race-day crowds: results then show up to that many seconds late. Off (0) by default. Answers
# that set a cookie, vary on it or say private or no-cache (the back office) are never kept.
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", "0")
# Django's pair, keyed on what an answer depends on only (core/pagecache.py).
PAGE_CACHE_MIDDLEWARE = (
    "core.pagecache.UpdateCacheMiddleware",
    # An API token's answers are kept apart from the anonymous ones.
    "core.middleware.VaryOnAuthorizationMiddleware",
)
if PAGE_CACHE_SECONDS > 0:
    MIDDLEWARE = [
        *PAGE_CACHE_MIDDLEWARE,
        *MIDDLEWARE,
        "core.pagecache.FetchFromCacheMiddleware",
    ]
CACHE_MIDDLEWARE_SECONDS = PAGE_CACHE_SECONDS
CACHE_MIDDLEWARE_KEY_PREFIX = "page"
# /bench/ping, the plain-text baseline of `make bench`'s load run: a 404 unless enabled.
BENCH_PING = envbool("BENCH_PING", "false")

# --- Entrants' accounts (django-allauth; paddock/accounts.py) ---------------------------------
# The e-mail address is the login; it must be verified before the first sign-in. Entrant
# accounts are never staff: the back office keeps its own login page (LOGIN_URL above).
ACCOUNT_ADAPTER = "paddock.accounts.EntrantAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "CupManager: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
# Sign-up, sign-in and password reset are limited per address twice: by the PADDOCK_*_RATE_LIMIT
# settings above, counted in the counters' cache that every worker shares (public/urls/
# accounts.py), and by allauth's own finer limits below (per address and per e-mail; counted in
# the default cache, so per worker unless CACHE_URL is shared, and off with dummy://).
ACCOUNT_RATE_LIMITS = {
    "signup": "10/h/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
}
USERSESSIONS_TRACK_ACTIVITY = False
# django-axes counts an entrant's failed sign-ins by e-mail and network address, as it counts
# staff's by user name and address: never every entrant behind one address as one nameless
# user, and never against a staff member's name.
AXES_USERNAME_CALLABLE = "paddock.accounts.axes_username"
