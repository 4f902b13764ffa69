"""Settings for stprogram.

Everything comes from environment variables with safe embedded defaults:
SQLite, no Redis, e-mail written to files under var/. Production switches to
PostgreSQL (DATABASE_URL) and Redis (REDIS_URL) by environment alone.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from stprogram.env import env_bool, env_int, env_list, env_str, served_url, url_host

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("STPROGRAM_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _embedded_secret_key() -> str:
    """Create (once) and read a random key kept in var/, for the embedded default."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DJANGO_DEBUG", False)
# Production: secure cookies, HSTS, SSL redirect, MFA required for staff.
HTTPS = env_bool("DJANGO_HTTPS", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or _embedded_secret_key()
# Links in e-mails (reminders, digests, assessor and password mails) point
# here. Production names its public address; `make run` serves on HOST:PORT
# and passes both to the web server and the scheduler, so that is the default.
SITE_URL = env_str("STPROGRAM_SITE_URL") or served_url(
    env_str("HOST", "127.0.0.1"), env_int("PORT", 8000)
)
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", url_host(SITE_URL)]
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "guardian",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "stprogram",
    "regions",
    "trainees",
    "supervision",
    "assessments",
    "inspections",
    "obligations",
]
# Benchmarks, load tests and demo data (devtools/: `seed_demo`, `bench_*`, the
# demo password) are development tools. On by default for `make run`, the tests
# and development; off behind HTTPS, and the production image neither sets it
# nor contains the app (Dockerfile, .dockerignore), so it cannot seed demo accounts.
STPROGRAM_DEV_TOOLS = env_bool("STPROGRAM_DEV_TOOLS", not HTTPS)
if STPROGRAM_DEV_TOOLS:
    INSTALLED_APPS.append("devtools")

MIDDLEWARE = [
    # First: an oversized request is refused before anything reads its body.
    "stprogram.request_limits.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "stprogram.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "regions.middleware.RegionMiddleware",
    "stprogram.middleware.HtmxLoginRedirectMiddleware",
    "stprogram.middleware.SessionTimeoutMiddleware",
    "stprogram.middleware.StaffMfaMiddleware",
    "stprogram.middleware.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "stprogram.urls"
WSGI_APPLICATION = "stprogram.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "regions.context_processors.navigation",
                "stprogram.reminders.context.bell",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the reminder worker share the file: WAL lets them read
    # while the other writes, and IMMEDIATE transactions avoid upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # PostgreSQL: each view runs in one transaction, so the row-level security
    # scope (regions.rls) is set once per request instead of once per query.
    DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PostgreSQL: the role the application connects as. It owns no table and has no
# BYPASSRLS; migrations run as the tables' owner and grant it data rights.
STPROGRAM_DB_APP_ROLE = env_str("STPROGRAM_DB_APP_ROLE", "stprogram_app")

# --- Cache (allauth's rate limits need a cache every process shares) --------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "stprogram.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "stprogram.cache.LockAwareDatabaseCache",
            "LOCATION": "stprogram_cache",
        }
    }

# --- Authentication -----------------------------------------------------------
AUTH_USER_MODEL = "stprogram.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "stprogram.adapters.VerifiedEmailBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# django-guardian holds explicit per-object grants only (a cross-region rotation
# supervisor, a deputy for a period), never for visitors who are not logged in:
# no anonymous user, which with the e-mail login would be a fake "AnonymousUser" account.
ANONYMOUS_USER_NAME = None
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "stprogram.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "stprogram.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# An address counts only once verified: the region vouches for the one it
# enrolled (stprogram.accounts), and one a user adds is confirmed by mail before
# it replaces the old one (CHANGE_EMAIL: one address per account, no "make
# primary" of an unconfirmed one). See issue 17, finding 1.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = env_int("STPROGRAM_REAUTH_SECONDS", 300)
# Per account: five failures, then a pause that a password reset lifts at once
# (allauth clears the account's failures on a successful reset, and the message
# says so). Per IP: the client's own address, also behind the proxy (below).
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("STPROGRAM_LOGIN_RATE", "10/m/ip,5/300s/key"),
}
# Behind the region's reverse proxy every request comes from the proxy's
# address, which would make the per-IP limit one limit for everybody: the
# number of proxies in front whose X-Forwarded-For entries are trusted.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("STPROGRAM_TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "ST-programmet"
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Staff (every role but trainee) must set up a second factor before any other
# page (stprogram.middleware.StaffMfaMiddleware); on by default in production.
STPROGRAM_REQUIRE_MFA = env_bool("STPROGRAM_REQUIRE_MFA", HTTPS)

SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_LOGIN_ON_GET = False
# The region's identity provider (e.g. SITHS via Inera), configured by environment.
OIDC_SERVER_URL = env_str("OIDC_SERVER_URL")
SOCIALACCOUNT_PROVIDERS: dict = {"openid_connect": {"APPS": []}}
# The claim that carries the person's HSA-id; a login is matched on it first
# (stprogram.adapters). Inera's IdP releases it as employeeHsaId.
OIDC_HSA_ID_CLAIM = env_str("OIDC_HSA_ID_CLAIM", "employeeHsaId")
# How long a new account's link to set its password lasts (regions.invitations).
STPROGRAM_INVITATION_DAYS = env_int("STPROGRAM_INVITATION_DAYS", 7)
if OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"].append(
        {
            "provider_id": env_str("OIDC_PROVIDER_ID", "siths"),
            "name": env_str("OIDC_NAME", "SITHS-kort (Inera)"),
            "client_id": env_str("OIDC_CLIENT_ID"),
            "secret": env_str("OIDC_CLIENT_SECRET"),
            "settings": {
                "server_url": OIDC_SERVER_URL,
                "token_auth_method": env_str("OIDC_TOKEN_AUTH_METHOD", "client_secret_basic"),
                "oauth_pkce_enabled": True,
            },
        }
    )

# --- Sessions and security headers ------------------------------------------
# A session ends after this long without a request (the store's own expiry,
# refreshed at most once a minute by stprogram.middleware.SessionTimeoutMiddleware)
# and at the latest this long after login, however active the user is.
STPROGRAM_SESSION_IDLE_SECONDS = env_int("STPROGRAM_SESSION_IDLE_SECONDS", 30 * 60)
STPROGRAM_SESSION_MAX_SECONDS = env_int("STPROGRAM_SESSION_MAX_SECONDS", 10 * 3600)
SESSION_COOKIE_AGE = STPROGRAM_SESSION_IDLE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
# htmx sends the token from the page (hx-headers), so no script needs the cookie.
CSRF_COOKIE_HTTPONLY = True
# Lax, not Strict: the identity provider's callback is a cross-site navigation
# that must carry the session holding the login state.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = HTTPS and env_bool("DJANGO_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# X-Forwarded-Proto is believed only when a proxy that sets it is in front
# (docker-compose's nginx); served directly, any client could send it.
BEHIND_PROXY = env_bool("STPROGRAM_BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF, *env_list("STPROGRAM_CSP_FORM_ACTION")],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded files (inspection reports) live outside the static root and are
# served only through permission-checked views.
MEDIA_ROOT = Path(env_str("STPROGRAM_MEDIA_ROOT", str(VAR_DIR / "private")))
# Review reports larger than this are refused (bytes); 20 MB holds a long SPUR report.
STPROGRAM_REPORT_MAX_BYTES = env_int("STPROGRAM_REPORT_MAX_BYTES", 20 * 1024 * 1024)
# A request body larger than this is refused with 413 unread
# (stprogram.request_limits); the report upload allows a report and its form.
STPROGRAM_REQUEST_MAX_BYTES = env_int("STPROGRAM_REQUEST_MAX_BYTES", 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = STPROGRAM_REQUEST_MAX_BYTES
# An uploaded file larger than this goes to a temporary file, not memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- E-mail -------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ST-programmet <no-reply@stprogram.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# allauth's mails (templates/account/email/) carry the product's name, not the host's.
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ST-programmet] "
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": env_int("EMAIL_PORT", 25),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }
del EMAIL_HOST

# --- Celery -------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged when it has run, not when a worker takes it: one whose
# worker is killed (deploy, OOM, `docker kill`) goes back to Redis and runs
# again. Every task is idempotent by row id (docs/celery.md), so a second run
# finds its work claimed or done.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# No task runs longer than this; tasks with a shorter job set their own limit.
CELERY_TASK_SOFT_TIME_LIMIT = 30 * 60
CELERY_TASK_TIME_LIMIT = 32 * 60
# Redis hands an unacknowledged task to another worker after the visibility
# timeout; it must exceed every time limit, or a long task would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("STPROGRAM_CELERY_VISIBILITY_TIMEOUT", 60 * 60),
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TIMEZONE = TIME_ZONE
# Beat remembers when each entry last ran; kept under var/ (the shared volume in
# docker-compose.yml), so a restarted beat neither repeats nor skips an entry.
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# One schedule for both starts: Celery beat in production, and the embedded
# scheduler (`manage.py run_worker`) when there is no Redis.
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {
        "task": "stprogram.tasks.heartbeat",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
    # Reminder steps are days apart, so an hourly scan is on time; delivery
    # retries (failed e-mail) run more often and cost one indexed query when idle.
    "reminders-scan": {
        "task": "stprogram.tasks.scan_reminders",
        "schedule": timedelta(hours=1),
        "options": {"expires": 55 * 60},
    },
    "reminders-deliver": {
        "task": "stprogram.tasks.deliver_reminders",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 4 * 60 + 30},
    },
    # Packets are queued on request; this scan renders those whose task never
    # ran (no Redis in the embedded start, or a broker outage).
    "certificate-packets": {
        "task": "trainees.tasks.render_pending_packets",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
    "reminders-digest": {
        "task": "stprogram.tasks.send_reminder_digests",
        "schedule": timedelta(hours=1),
        "options": {"expires": 55 * 60},
    },
    # Bulk onboarding (regions.onboarding): confirmed imports whose task never
    # ran, and the invitations imported accounts are owed, a batch a minute.
    "onboarding-run": {
        "task": "regions.onboarding.tasks.run_pending_onboardings",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
    "onboarding-invitations": {
        "task": "regions.onboarding.tasks.send_onboarding_invitations",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
    # Object permissions (django-guardian) of rotation grants and delegations
    # whose last day has passed are taken away; every check also compares
    # their dates with today, so a late run opens nothing.
    "rotation-grants-end": {
        "task": "trainees.tasks.end_rotation_grants",
        "schedule": timedelta(days=1),
        "options": {"expires": 23 * 60 * 60},
    },
    "delegations-end": {
        "task": "regions.tasks.end_delegations",
        "schedule": timedelta(days=1),
        "options": {"expires": 23 * 60 * 60},
    },
}
STPROGRAM_ONBOARDING_INVITATION_BATCH = env_int("STPROGRAM_ONBOARDING_INVITATION_BATCH", 200)
# Weekly digests go out on this weekday (0 = Monday) from this hour, local time.
STPROGRAM_DIGEST_WEEKDAY = env_int("STPROGRAM_DIGEST_WEEKDAY", 0)
STPROGRAM_DIGEST_HOUR = env_int("STPROGRAM_DIGEST_HOUR", 7)
# A failed reminder e-mail is tried again after this, doubling up to 6 hours.
STPROGRAM_REMINDER_RETRY = timedelta(
    seconds=max(env_int("STPROGRAM_REMINDER_RETRY_SECONDS", 600), 1)
)

# --- Logging: personnummer and link tokens never reach a log (stprogram.logfilters)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_pnr": {"()": "stprogram.logfilters.MaskPersonnummerFilter"},
        "mask_tokens": {"()": "stprogram.logfilters.MaskTokensFilter"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["mask_pnr", "mask_tokens"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("STPROGRAM_LOG_LEVEL", "INFO")},
    # WeasyPrint reports every layout step at INFO; only its warnings are of interest.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
