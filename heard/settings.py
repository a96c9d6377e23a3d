"""One settings module, driven by the environment (12-factor).

Every setting an operator may need comes from an environment variable; the defaults
give an embedded install (SQLite and a generated secret key under ``HEARD_DATA_DIR``)
that runs with nothing else installed.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from heard.core import error_reporting
from heard.core.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_networks(name: str) -> list[str]:
    """A comma-separated list of IP networks, each checked now: a mistyped one stops the
    process starting with a message that names it, rather than failing later at each use."""
    networks = env_list(name)
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError as error:
            raise ImproperlyConfigured(
                f"{name}: {network!r} is not an IP network ({error}). Write networks as "
                "addresses with a prefix length, separated by commas: 10.20.0.0/16,fd00:1::/64"
            ) from None
    return networks


DATA_DIR = Path(env("HEARD_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Use SECRET_KEY if set; otherwise generate one once and keep it in the data dir."""
    configured = env("SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "heard.core",
    "heard.org",
    "heard.procedures",
    "heard.cases",
    "heard.demo",
    "heard.jobs",
    "heard.notify",
    "heard.schedules",
    "heard.portal",
    "heard.equality",
    "heard.accounts",
    "heard.staff",
    "heard.correspondence",
    "heard.reporting",
    "heard.privacy",
    "heard.channels",
    "heard.improvement",
    "heard.learning",
    "heard.webhooks",
]

MIDDLEWARE = [
    "heard.core.middleware.RequestIdMiddleware",
    "heard.core.middleware.ProxiedClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "heard.accounts.middleware.IdleTimeoutMiddleware",
    "heard.accounts.middleware.TwoStepVerificationMiddleware",
    "heard.improvement.middleware.ExternalAssessorMiddleware",
    "axes.middleware.AxesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "heard.core.middleware.SecurityHeadersMiddleware",
    "heard.core.middleware.ApiErrorShapeMiddleware",
    "heard.core.middleware.ApiBodyLimitMiddleware",
    "heard.privacy.middleware.ApiReadAuditMiddleware",
]

ROOT_URLCONF = "heard.urls"
WSGI_APPLICATION = "heard.wsgi.application"

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
                "heard.staff.context.staff",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'heard.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; IMMEDIATE avoids lock upgrades
    # that would otherwise fail under concurrent writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file, not memory, so that a real worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-heard.sqlite3")}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's JIT compiles the report aggregates afresh on every run and spends longer
    # compiling than querying (0.4-1.2 s per figure at a million cases, bench/README.md).
    # HEARD_POSTGRES_JIT=on gives it back; a pooler that refuses startup options needs jit
    # set on the database instead (ALTER DATABASE ... SET jit = off).
    if (
        DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
        and env("HEARD_POSTGRES_JIT", "off") == "off"
    ):
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # The same backend, with a health check that costs no round trip while the
        # connection is well (heard/core/postgresql/base.py).
        DATABASES["default"]["ENGINE"] = "heard.core.postgresql"
        # Parameters bound on the server, and a statement prepared once it has run five times
        # on a connection: PostgreSQL then parses and plans intake's few statements once per
        # connection instead of on every request (a third of its time per contact,
        # bench/README.md). HEARD_POSTGRES_PREPARE=off gives Django's defaults back, for a
        # pooler in transaction mode that cannot keep prepared statements (PgBouncer < 1.21).
        if env("HEARD_POSTGRES_PREPARE", "on") != "off":
            options = DATABASES["default"].setdefault("OPTIONS", {})
            options.setdefault("server_side_binding", True)
            options.setdefault("prepare_threshold", 5)

LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"  # stored in UTC; judged in the organisation's own time zone
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# An image collects the static files at build time, outside the data volume.
STATIC_ROOT = Path(env("HEARD_STATIC_ROOT", str(DATA_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# GOV.UK Frontend comes from npm (`make install` runs `npm ci`); its stylesheet asks for
# its fonts and images at /assets/, which WhiteNoise serves from the same package.
GOVUK_FRONTEND = BASE_DIR.parent / "node_modules" / "govuk-frontend" / "dist" / "govuk"
# The MOJ Frontend's case-management patterns (filter layout, sortable table, timeline,
# badges, sub-navigation) for the staff screens, from the same npm install.
MOJ_FRONTEND = BASE_DIR.parent / "node_modules" / "@ministryofjustice" / "frontend" / "moj"
STATICFILES_DIRS = [
    (prefix, path)
    for prefix, path in (("govuk", GOVUK_FRONTEND), ("moj", MOJ_FRONTEND))
    if path.exists()
]
WHITENOISE_ROOT = GOVUK_FRONTEND if GOVUK_FRONTEND.exists() else None
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
# Customers' attachments: kept outside anything the web server serves, read only through
# Heard (which checks who may see the case).
HEARD_ATTACHMENTS_DIR = Path(env("HEARD_ATTACHMENTS_DIR", str(DATA_DIR / "attachments")))
HEARD_ATTACHMENT_MAX_BYTES = int(env("HEARD_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
HEARD_ATTACHMENTS_PER_CONTACT = int(env("HEARD_ATTACHMENTS_PER_CONTACT", "5"))
HEARD_ATTACHMENTS_PER_CASE = int(env("HEARD_ATTACHMENTS_PER_CASE", "50"))  # staff may add more
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Mail: SMTP in production; the console in the embedded default.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Heard <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background jobs: django-tasks with its database backend (a durable queue in the same
# database; workers claim jobs with SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL). Run them
# with `heard worker`. HEARD_TASKS_BACKEND may name another django-tasks backend.
TASKS = {
    "default": {
        # django-tasks-db's backend, keeping the enqueuing request's ID with each job.
        "BACKEND": env("HEARD_TASKS_BACKEND", "heard.jobs.backend.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Messages: "smtp" (Django's mail settings above) or "notify" (GOV.UK Notify). Text messages
# always go through Notify. Notify needs one email template with ((subject)) and ((body)),
# and one text-message template with ((body)).
HEARD_MESSAGE_BACKEND = env("HEARD_MESSAGE_BACKEND", "smtp")
NOTIFY_API_KEY = env("NOTIFY_API_KEY")
NOTIFY_BASE_URL = env("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_EMAIL_TEMPLATE_ID = env("NOTIFY_EMAIL_TEMPLATE_ID")
NOTIFY_SMS_TEMPLATE_ID = env("NOTIFY_SMS_TEMPLATE_ID")
HEARD_MESSAGE_ID_DOMAIN = env("HEARD_MESSAGE_ID_DOMAIN", "heard.invalid")
# A message whose sending has shown no progress for this long is tried again.
HEARD_MESSAGE_STALE_SECONDS = int(env("HEARD_MESSAGE_STALE_SECONDS", "120"))
# A worker silent for this long is presumed dead and its jobs go back on the queue.
HEARD_WORKER_PRESUMED_DEAD_SECONDS = int(env("HEARD_WORKER_PRESUMED_DEAD_SECONDS", "30"))
# Outbound webhooks (heard.webhooks): how long to wait for a receiving system to answer.
HEARD_WEBHOOK_TIMEOUT_SECONDS = float(env("HEARD_WEBHOOK_TIMEOUT_SECONDS", "10"))
# Receivers inside the organisation's own network that webhooks may post to, as networks
# ("10.20.0.0/16,fd00:1::/64"). Every other private, link-local (cloud metadata) or reserved
# address is refused, so that a subscription cannot reach what only the server can see.
HEARD_WEBHOOK_ALLOWED_NETWORKS = env_networks("HEARD_WEBHOOK_ALLOWED_NETWORKS")
# Where customers answer the satisfaction survey; {reference} is replaced. Empty: no invitations.
HEARD_SURVEY_URL = env("HEARD_SURVEY_URL")

# Security headers. HTTPS-only settings switch on with HEARD_HTTPS=true behind TLS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(60 * 60 * 8)))
# Database sessions, each update one statement (heard/core/sessions.py).
SESSION_ENGINE = "heard.core.sessions"
HTTPS = env_bool("HEARD_HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("HEARD_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
# HSTS covers subdomains unless HEARD_HSTS_INCLUDE_SUBDOMAINS=false (e.g. a subdomain still on
# plain HTTP). Asking browsers to preload the domain is a decision for its owner, not a default:
# HEARD_HSTS_PRELOAD=true sends the preload flag; without it, the deploy check's reminder
# (security.W021) is silenced.
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env_bool("HEARD_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = HTTPS and env_bool("HEARD_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = ["security.W021"] if HTTPS and not SECURE_HSTS_PRELOAD else []
# Covering indexes (Index(include=...)) are PostgreSQL's; SQLite builds them without the
# included columns, which is all the embedded database needs (models.W040 says so).
SILENCED_SYSTEM_CHECKS.append("models.W040")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$", r"^readyz$"]
CONTENT_SECURITY_POLICY = env(
    "HEARD_CSP",
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
)

HEARD_API_MAX_BODY_BYTES = int(env("HEARD_API_MAX_BODY_BYTES", str(2 * 1024 * 1024)))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "heard.org.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "heard.core.api.Pagination",
    "EXCEPTION_HANDLER": "heard.core.api.exception_handler",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"anon": env("HEARD_ANON_RATE", "60/minute")},
    "DEFAULT_THROTTLE_CLASSES": ["heard.core.throttling.TokenReadThrottle"],
}
# API reads (GET) per token in a rolling minute; 0 switches the limit off.
HEARD_API_READS_PER_TOKEN_PER_MINUTE = int(env("HEARD_API_READS_PER_TOKEN_PER_MINUTE", "600"))

SPECTACULAR_SETTINGS = {
    "TITLE": "Heard API",
    "DESCRIPTION": (
        "Version 1 of the Heard API: the organisation's working-day calendar and the "
        "case lifecycle. Authenticate with `Authorization: Bearer TOKEN` "
        "(create a token with `heard apitoken USERNAME --role ROLE`)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "CaseKindEnum": "heard.cases.models.Kind",
        "RemedyKindEnum": "heard.cases.models.RemedyKind",
        "ChannelEnum": "heard.cases.models.Channel",
        "OutcomeEnum": "heard.cases.models.Outcome",
    },
}

CACHES = {
    "default": {
        "BACKEND": env("HEARD_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": env("HEARD_CACHE_LOCATION", "heard"),
    }
}
# Public forms: submissions per client address and per email address in a rolling hour.
HEARD_PUBLIC_RATE_PER_ADDRESS = int(env("HEARD_PUBLIC_RATE_PER_ADDRESS", "20"))
HEARD_PUBLIC_RATE_PER_EMAIL = int(env("HEARD_PUBLIC_RATE_PER_EMAIL", "5"))
# How long a case-tracking link emailed to a customer works.
HEARD_TRACKING_LINK_DAYS = int(env("HEARD_TRACKING_LINK_DAYS", "7"))
# The address the public reach Heard at, for links in emails.
HEARD_PUBLIC_URL = env("HEARD_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

# Logs: every record carries the request ID (X-Request-ID, accepted from the proxy or made
# here), also in the worker for the jobs a request enqueued. HEARD_LOG_FORMAT=json writes one
# JSON object a line for a log collector; text (the default) is for a terminal. With
# HEARD_ACCESS_LOG (default: on for json) each request answered is logged with its status and
# duration.
HEARD_LOG_FORMAT = env("HEARD_LOG_FORMAT", "text").strip().lower()
LOGGING = logging_config(
    log_format=HEARD_LOG_FORMAT,
    level=env("LOG_LEVEL", "INFO"),
    access_log=env_bool("HEARD_ACCESS_LOG", HEARD_LOG_FORMAT == "json"),
)

# -- Staff sign-in (heard.accounts)
# Passwords are checked by Django behind django-axes, which pauses signing in for a username
# from one address after repeated failures (the admin's login page too). Single sign-on
# (OpenID Connect, e.g. Microsoft Entra ID) is on when HEARD_OIDC_CLIENT_ID is set; its
# backend does nothing otherwise. docs/administrators.md explains every setting here.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "heard.accounts.single_sign_on.SingleSignOnBackend",
]
HEARD_SIGNIN_FAILURE_LIMIT = int(env("HEARD_SIGNIN_FAILURE_LIMIT", "5"))
HEARD_SIGNIN_COOLOFF_MINUTES = int(env("HEARD_SIGNIN_COOLOFF_MINUTES", "30"))
AXES_FAILURE_LIMIT = "heard.accounts.services.sign_in_failure_limit"
AXES_COOLOFF_TIME = "heard.accounts.services.sign_in_cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A try while paused does not restart the pause, so "wait 30 minutes" stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "heard.accounts.views.locked_out"
# The identity provider counts single sign-on failures itself.
AXES_WHITELIST_CALLABLE = "heard.accounts.services.is_single_sign_on_attempt"
# Behind reverse proxies that append to X-Forwarded-For, how many there are; 0 uses the
# connecting address. It applies to sign-in, the public forms' and Open311's per-address limits
# and the audit of reads (HEARD_SIGNIN_PROXY_COUNT is its earlier name).
HEARD_PROXY_COUNT = int(env("HEARD_PROXY_COUNT", env("HEARD_SIGNIN_PROXY_COUNT", "0")))
HEARD_SIGNIN_PROXY_COUNT = HEARD_PROXY_COUNT
AXES_IPWARE_PROXY_COUNT = HEARD_SIGNIN_PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if HEARD_SIGNIN_PROXY_COUNT else ("REMOTE_ADDR",)
)

# Two-step verification with an authenticator app (django-otp, TOTP). Optional for each
# person unless HEARD_REQUIRE_2FA is true; people who sign in with single sign-on are not
# asked for a Heard code (their identity provider applies the organisation's own policy).
HEARD_REQUIRE_2FA = env_bool("HEARD_REQUIRE_2FA")
OTP_TOTP_ISSUER = env("HEARD_TOTP_ISSUER", "Heard")

# Signed out after this many minutes without a request.
HEARD_SESSION_IDLE_MINUTES = int(env("HEARD_SESSION_IDLE_MINUTES", "30"))

HEARD_OIDC_CLIENT_ID = env("HEARD_OIDC_CLIENT_ID")
HEARD_OIDC_PROVIDER_NAME = env("HEARD_OIDC_PROVIDER_NAME", "your organisation's account")
HEARD_OIDC_ISSUER = env("HEARD_OIDC_ISSUER")
HEARD_OIDC_USERNAME_CLAIM = env("HEARD_OIDC_USERNAME_CLAIM", "preferred_username")
HEARD_OIDC_GROUPS_CLAIM = env("HEARD_OIDC_GROUPS_CLAIM", "groups")
# "IdP group = role[, role]; other group = role": see heard.accounts.single_sign_on.
HEARD_OIDC_ROLE_MAP = env("HEARD_OIDC_ROLE_MAP")
OIDC_RP_CLIENT_ID = HEARD_OIDC_CLIENT_ID
OIDC_RP_CLIENT_SECRET = env("HEARD_OIDC_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("HEARD_OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env("HEARD_OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env("HEARD_OIDC_USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env("HEARD_OIDC_JWKS_ENDPOINT") or None
OIDC_RP_SIGN_ALGO = env("HEARD_OIDC_SIGN_ALGORITHM", "RS256")
OIDC_RP_SCOPES = env("HEARD_OIDC_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:single-sign-on-callback"

# -- Channels in (heard.channels)
# Email arrives by IMAP (mailboxes are set up in the admin; each names the environment
# variable holding its password or OAuth2 token) or from a mail relay posting each message to
# /channels/email/relay, signed with HEARD_MAIL_RELAY_SECRET (empty: the webhook is off).
# docs/administrators.md explains every setting here.
HEARD_MAIL_RELAY_SECRET = env("HEARD_MAIL_RELAY_SECRET")
HEARD_MAIL_RELAY_TOLERANCE_SECONDS = int(env("HEARD_MAIL_RELAY_TOLERANCE_SECONDS", "300"))
HEARD_MAIL_MAX_BYTES = int(env("HEARD_MAIL_MAX_BYTES", str(40 * 1024 * 1024)))
# The account automatic intake (email, Open311, imports) records contacts as.
HEARD_INTAKE_USERNAME = env("HEARD_INTAKE_USERNAME", "heard-intake")
# Open311: requests per client key, and per address for the public reads, in a rolling hour.
HEARD_OPEN311_RATE_PER_KEY = int(env("HEARD_OPEN311_RATE_PER_KEY", "1000"))
HEARD_OPEN311_RATE_PER_ADDRESS = int(env("HEARD_OPEN311_RATE_PER_ADDRESS", "600"))

# -- Personal data (heard.privacy)
# Subject access exports are written here (outside anything the web server serves), can be
# downloaded only by whoever asked for them, and are deleted this many days after they are
# ready (by the retention job). docs/privacy.md explains the audit, erasure and retention.
HEARD_SUBJECT_ACCESS_DIR = Path(env("HEARD_SUBJECT_ACCESS_DIR", str(DATA_DIR / "subject-access")))
HEARD_SUBJECT_ACCESS_DAYS = int(env("HEARD_SUBJECT_ACCESS_DAYS", "7"))

# -- Learning (heard.learning)
# Suggested themes come from a model trained on the organisation's own classified cases (no
# network). Related cases: the same customer or postcode, or similar wording, within a window.
# Early warnings: the last 7 days against the average of the weeks before, raised when so many
# would happen by chance with probability under HEARD_LEARNING_WARNING_PROBABILITY (negative
# binomial where the weeks before varied more than Poisson, else Poisson).
# docs/officers.md explains them.
HEARD_LEARNING_SUGGEST_MIN_CONFIDENCE = float(env("HEARD_LEARNING_SUGGEST_MIN_CONFIDENCE", "0.15"))
HEARD_LEARNING_MAX_TRAINING_CASES = int(env("HEARD_LEARNING_MAX_TRAINING_CASES", "200000"))
HEARD_LEARNING_CORRECTION_WEIGHT = float(env("HEARD_LEARNING_CORRECTION_WEIGHT", "5"))
HEARD_LEARNING_RELATED_DAYS = int(env("HEARD_LEARNING_RELATED_DAYS", "90"))
HEARD_LEARNING_DUPLICATE_DAYS = int(env("HEARD_LEARNING_DUPLICATE_DAYS", "14"))
HEARD_LEARNING_DUPLICATE_SIMILARITY = float(env("HEARD_LEARNING_DUPLICATE_SIMILARITY", "0.45"))
HEARD_LEARNING_DUPLICATE_CANDIDATES = int(env("HEARD_LEARNING_DUPLICATE_CANDIDATES", "1000"))
HEARD_LEARNING_WARNING_BASELINE_WEEKS = int(env("HEARD_LEARNING_WARNING_BASELINE_WEEKS", "12"))
HEARD_LEARNING_WARNING_PROBABILITY = float(env("HEARD_LEARNING_WARNING_PROBABILITY", "0.001"))
HEARD_LEARNING_WARNING_MIN_COUNT = int(env("HEARD_LEARNING_WARNING_MIN_COUNT", "5"))
# A repeat contact (failure demand): the same customer about the same thing within this many
# days; "the same thing" includes wording at least this similar (TF-IDF cosine, 0-1).
HEARD_LEARNING_REPEAT_DAYS = int(env("HEARD_LEARNING_REPEAT_DAYS", "28"))
HEARD_LEARNING_REPEAT_SIMILARITY = float(env("HEARD_LEARNING_REPEAT_SIMILARITY", "0.3"))

# -- Error reporting and tracing (optional; off unless SENTRY_DSN is set)
# Needs the Sentry SDK: pip install 'heard[sentry]'. No request bodies, cookies or user details
# are sent; each event is tagged with the request ID. docs/administrators.md explains it.
SENTRY_DSN = env("SENTRY_DSN")
HEARD_ERROR_REPORTING = error_reporting.start(
    SENTRY_DSN,
    environment=env("SENTRY_ENVIRONMENT"),
    release=env("SENTRY_RELEASE"),
    traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", "0")),
)
