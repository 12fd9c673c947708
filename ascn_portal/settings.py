"""The one settings module of ASCN Portal, configured by environment variables.

Every variable is listed in README.md. With none set, the portal runs embedded: a SQLite
file and e-mail files under var/, tasks run in-process, no services needed. An https
SITE_URL marks a production deployment and turns on secure cookies, HSTS, the SSL
redirect and mandatory two-factor authentication for secretariat staff.
"""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from ascn_portal.env import env_bool, env_int, env_list, env_str, storage_from_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ASCN_VAR_DIR", str(BASE_DIR / "var")))
# Runtime files of the embedded mode (SQLite database, e-mail files, media) live here.
VAR_DIR.mkdir(parents=True, exist_ok=True)

# Empty: links in e-mails and calendar files follow the address a page was served on
# (ascn_portal/core/sites.py), and DEFAULT_SITE_URL outside a request.
SITE_URL = env_str("SITE_URL", "").rstrip("/")
DEFAULT_SITE_URL = env_str("ASCN_DEFAULT_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_site = urlsplit(SITE_URL or DEFAULT_SITE_URL)
SECURE = _site.scheme == "https"

DEBUG = env_bool("DEBUG", False)
# The demo key is flagged by `check --deploy` (security.W009) because of its prefix; it
# is public, so a production site (https) does not start with it, or without a key.
DEMO_SECRET_KEY = "django-insecure-ascn-portal-demo-key-not-for-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", "" if SECURE else DEMO_SECRET_KEY)
if SECURE and SECRET_KEY in ("", DEMO_SECRET_KEY):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SECRET_KEY (or SECRET_KEY_FILE) must be set to a key of this site's own when "
        "SITE_URL is https; the demo key is public."
    )
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    [_site.hostname or ""] if SECURE else [_site.hostname or "", "127.0.0.1", "localhost"],
)
CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}"]

INSTALLED_APPS = [
    "ascn_portal.accounts",
    "ascn_portal.core",
    "pilots",
    "meetings",
    "delegations",
    "panels",
    "ascn_portal",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ascn_portal.core.sites.ServedAtMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ascn_portal.accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ascn_portal.accounts.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "ascn_portal.urls"
WSGI_APPLICATION = "ascn_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ascn_portal.core.context_processors.portal",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ascn.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded mode writes from two processes (the server and run_periodic): wait
    # for the other's write instead of failing, and take the write lock up front.
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "ascn_portal.core.cache.RedisCache", "LOCATION": CACHE_URL}}
    # Sessions are read from the shared cache and written through to the database, so a
    # signed-in request costs no session query, and a cache flushed or restarted loses
    # no login.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif CACHE_URL in ("", "locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"CACHE_URL must be redis://… or locmem://, not {CACHE_URL!r}")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# The largest file a person may upload to a meeting's document register, in MB.
ASCN_UPLOAD_MAX_MB = env_int("ASCN_UPLOAD_MAX_MB", 50)
# Uploads larger than this go to a temporary file while the request is read, so a 50 MB
# file never sits in the web process's memory (Django's default, stated on purpose).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The register's search reads at most this many pages and characters of each PDF.
ASCN_TEXT_MAX_PAGES = env_int("ASCN_TEXT_MAX_PAGES", 300)
ASCN_TEXT_MAX_CHARS = env_int("ASCN_TEXT_MAX_CHARS", 200_000)
# Seconds a pre-signed download link of the object storage stays valid: long enough to
# follow the redirect, short enough that a forwarded link soon stops working.
ASCN_DOWNLOAD_URL_SECONDS = env_int("ASCN_DOWNLOAD_URL_SECONDS", 60)
# Empty: stored files (generated documents) live under MEDIA_ROOT on this machine.
# s3://KEY:SECRET@HOST:PORT/BUCKET?region=…: in an S3-compatible object store that every
# web and worker node reaches, so no two nodes need to share a disk.
STORAGE_URL = env_str("STORAGE_URL", "")
# A rendered document that could not be stored (the object store is down) is tried
# again after this many seconds, doubling up to 10 minutes, this many times in all.
ASCN_DOCUMENT_RETRY_BACKOFF = env_int("ASCN_DOCUMENT_RETRY_BACKOFF", 30)
ASCN_DOCUMENT_MAX_ATTEMPTS = env_int("ASCN_DOCUMENT_MAX_ATTEMPTS", 6)
# A worker rendering a document renews its claim every quarter of this many seconds; a
# claim older than that belonged to a worker that died mid-render, and the sweep (beat
# every minute, or run_periodic) queues the document again. A pending document nobody
# claimed within the grace (its task was lost) is queued again too.
ASCN_DOCUMENT_CLAIM_TIMEOUT = env_int("ASCN_DOCUMENT_CLAIM_TIMEOUT", 60)
ASCN_DOCUMENT_QUEUED_GRACE = env_int("ASCN_DOCUMENT_QUEUED_GRACE", 600)
# Days a "download all" ZIP is kept after it was last asked for or downloaded; every
# change in the register makes new ones, so the hourly clean-up deletes the old.
ASCN_BUNDLE_KEEP_DAYS = env_int("ASCN_BUNDLE_KEEP_DAYS", 7)
STORAGES = {
    "default": storage_from_url(STORAGE_URL, download_seconds=ASCN_DOWNLOAD_URL_SECONDS),
    "staticfiles": {
        # Production serves hashed, compressed files collected at deploy time; the
        # embedded mode serves the source files directly so no collectstatic is needed.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if SECURE
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
WHITENOISE_USE_FINDERS = not SECURE

# --- Background work ------------------------------------------------------------------

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
# Without a broker every task runs in-process at call time, so a laptop needs no services.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Eager tasks still take a producer from Celery's pool: kombu's in-memory transport
    # stands in for it, so nothing looks for an AMQP server on localhost.
    CELERY_BROKER_WRITE_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A pool process left above this many MiB after a task is replaced by a fresh one, so
# its memory returns: WeasyPrint takes a process past 300 MiB rendering the booklet of a
# 1,200-session agenda and keeps it. (The prefork pool only; solo has no child.)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("ASCN_WORKER_MAX_MEMORY_MIB", 200) * 1024
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = "UTC"
# Beat keeps its schedule and a lock in Redis (celery-redbeat): however many beat
# processes are started, on however many machines, one runs the schedule and the others
# wait for its lock, taking over when it is released or lapses.
CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
CELERY_REDBEAT_REDIS_URL = env_str("CELERY_REDBEAT_REDIS_URL", CELERY_BROKER_URL)
# Portals sharing one Redis need prefixes of their own.
CELERY_REDBEAT_KEY_PREFIX = env_str("ASCN_BEAT_KEY_PREFIX", "ascn:beat:")
CELERY_REDBEAT_REDIS_OPTIONS: dict[str, object] = {}
# A waiting beat tries for the lock every 5 s, so it takes over within seconds of the
# running one stopping; one that died without releasing it is replaced after 60 s.
CELERY_BEAT_MAX_LOOP_INTERVAL = 5
CELERY_REDBEAT_LOCK_TIMEOUT = 60
CELERY_BEAT_SCHEDULE = {
    # The outbox's safety net: re-enqueue messages whose task was lost with a worker.
    "sweep-outbox": {"task": "ascn.core.sweep_outbox", "schedule": 60.0},
    # The same for documents whose render was lost with a killed worker.
    "sweep-documents": {"task": "ascn.core.sweep_documents", "schedule": 60.0},
    # And for registered PDFs whose text was never read (a lost task, files from before).
    "sweep-document-texts": {"task": "ascn.meetings.sweep_document_texts", "schedule": 600.0},
    # Deletes the "download all" ZIPs left unused (ASCN_BUNDLE_KEEP_DAYS) or never built.
    "delete-unused-zips": {"task": "ascn.meetings.delete_unused_bundles", "schedule": 60 * 60.0},
    # Once a day; the outbox's idempotency keys make a second run remind no one again.
    "registration-reminders": {
        "task": "ascn.delegations.send_registration_reminders",
        "schedule": 24 * 60 * 60.0,
    },
    # Frees the seats of invitees whose link lapsed unused.
    "expire-invitations": {"task": "ascn.delegations.expire_invitations", "schedule": 60 * 60.0},
    # Once a day per speaker at most: the reminder's idempotency key carries the date.
    "points-reminders": {"task": "ascn.panels.send_points_reminders", "schedule": 6 * 60 * 60.0},
    # Hourly, so each meeting's owners hear on their own morning; the outbox's keys hold
    # the item and the local date, so nobody gets more than one reminder a day per item.
    "action-item-reminders": {
        "task": "ascn.meetings.send_action_item_reminders",
        "schedule": 60 * 60.0,
    },
}

# --- E-mail ---------------------------------------------------------------------------

EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
else:
    # Each message becomes a file under var/mail/ that a person can open.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ASCN Portal <noreply@ascn-portal.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[ASCN Portal] "
# Right-hand side of the Message-IDs the outbox derives from idempotency keys.
ASCN_MAIL_DOMAIN = env_str("ASCN_MAIL_DOMAIN", DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">"))
# Outbox delivery: how often and how patiently a message is retried, how long a claim
# may last before the sweep takes the message back, and how many go over one connection.
ASCN_MAIL_MAX_ATTEMPTS = env_int("ASCN_MAIL_MAX_ATTEMPTS", 8)
ASCN_MAIL_RETRY_BACKOFF = env_int("ASCN_MAIL_RETRY_BACKOFF", 30)
ASCN_MAIL_RETRY_BACKOFF_MAX = env_int("ASCN_MAIL_RETRY_BACKOFF_MAX", 3600)
ASCN_MAIL_SENDING_TIMEOUT = env_int("ASCN_MAIL_SENDING_TIMEOUT", 300)
ASCN_MAIL_QUEUED_GRACE = env_int("ASCN_MAIL_QUEUED_GRACE", 120)
ASCN_MAIL_BATCH_SIZE = env_int("ASCN_MAIL_BATCH_SIZE", 50)

# Largest file (font, image, stylesheet) a PDF may load from the static files.
ASCN_PDF_MAX_RESOURCE_BYTES = env_int("ASCN_PDF_MAX_RESOURCE_BYTES", 5 * 1024 * 1024)

# --- People and sign-in ---------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # The admin's model permissions count for staff only (accounts/backends.py).
    "ascn_portal.accounts.backends.ModelPermissionsForStaffOnly",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboards:home"

ACCOUNT_ADAPTER = "ascn_portal.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# "My account" changes the one address, confirmed from the new inbox before it counts.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = EMAIL_SUBJECT_PREFIX
ACCOUNT_DEFAULT_HTTP_PROTOCOL = _site.scheme
# Five failed logins for one address within five minutes lock it for the rest of that
# window; ten a minute from one IP address. Counted in the cache, so production needs a
# shared one (CACHE_URL=redis://…).
# The lockout message says how long to wait: this many minutes.
ASCN_LOGIN_LOCK_MINUTES = 5
ACCOUNT_RATE_LIMITS = {"login_failed": f"10/m/ip,5/{ASCN_LOGIN_LOCK_MINUTES}m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "ASCN Portal"
# The set-up keeps its secret until confirmed, and asks for the code on a numeric keypad.
MFA_FORMS = {"activate_totp": "ascn_portal.accounts.forms.ActivateTOTPForm"}
ASCN_REQUIRE_MFA = env_bool("ASCN_REQUIRE_MFA", SECURE)

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 60 * 60)

# --- Language and time ----------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("id", _("Bahasa Indonesia"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Security -------------------------------------------------------------------------

SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000) if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE and env_bool("SECURE_HSTS_PRELOAD", True)
BEHIND_PROXY = env_bool("ASCN_BEHIND_PROXY", False)
if BEHIND_PROXY:
    # Only behind a proxy that overwrites this header on every request.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The per-IP login limit counts the client's address: behind proxies, the one the
# nearest trusted proxy appended to X-Forwarded-For (REMOTE_ADDR is the proxy's own, so
# one attacker would lock everyone out); directly, REMOTE_ADDR and no header is trusted.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ASCN_TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SAMESITE = "Lax"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for the TOTP QR code drawn inline by allauth's MFA set-up page.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# --- Logging --------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Request paths can carry a token (invitation, calendar, password links): masked.
    "filters": {"mask_secrets": {"()": "ascn_portal.core.logs.MaskSecretsFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.server": {"filters": ["mask_secrets"]},
        "django.request": {"filters": ["mask_secrets"]},
        # WeasyPrint reports every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
