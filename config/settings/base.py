"""Settings shared by every environment. Values that differ come from environment variables."""

import datetime
import os
import urllib.parse
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "guardian",
    "axes",
    "pgtrigger",
    "pghistory",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "core",
    "background",
    "organization",
    "conversations",
    "goals",
    "reports",
    "identity",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "identity.language.SignInLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "core.audit.AuditMiddleware",
    "reports.statistics_refresh.StatisticsAfterWritesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, with a flush that empties the audit trail too (core/sqlite_backend).
    DATABASES["default"]["ENGINE"] = "core.sqlite_backend"
    # SQLite as a web server's database (many threads writing at once): readers never wait for the
    # writer (WAL), a writer waits up to 20 s for the lock instead of failing at once with "database is
    # locked", and a transaction takes the write lock when it begins (IMMEDIATE), so it never fails
    # half-way when it turns from reading to writing (a lock SQLite cannot wait for).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organization.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if os.environ.get("SAMTALE_OIDC_CLIENT_ID"):
    AUTHENTICATION_BACKENDS.append("identity.oidc.OIDCBackend")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("nn", _("Norsk nynorsk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Where the accessibility statement (/tilgjengelighet/) asks people to write; empty: to HR or user support.
SAMTALE_ACCESSIBILITY_CONTACT = os.environ.get("SAMTALE_ACCESSIBILITY_CONTACT", "")
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
# One date format per language everywhere (core.dates).
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Client addresses: how many reverse proxies in front of the service append to X-Forwarded-For. 0 (no
# proxy): the header is ignored, REMOTE_ADDR is the client. Every limit by address reads it through
# core.security.client_address (DRF's throttles, django-axes, the password reset).
SAMTALE_TRUSTED_PROXY_COUNT = max(0, int(os.environ.get("SAMTALE_TRUSTED_PROXY_COUNT", "0")))

# Password guessing (django-axes): after 5 failures from one address, that account is locked there for
# 15 minutes (429); after 20 failures from one address at any accounts, the address is locked (people
# behind one NAT share an address, so its limit is higher). core.security.AddressLockingAxesHandler.
AXES_FAILURE_LIMIT = int(os.environ.get("SAMTALE_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("SAMTALE_AXES_COOLOFF_MINUTES", "15")))
SAMTALE_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("SAMTALE_LOGIN_FAILURES_PER_ADDRESS", "20"))
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_HANDLER = "core.security.AddressLockingAxesHandler"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.security.client_address"
# Only read if django-ipware is installed and the callable above is removed; kept equal to it.
AXES_IPWARE_PROXY_COUNT = SAMTALE_TRUSTED_PROXY_COUNT or None
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "core.security.axes_username"

# Password reset mail (organization.views): per account and per client address, per hour.
SAMTALE_PASSWORD_RESETS_PER_ACCOUNT = int(os.environ.get("SAMTALE_PASSWORD_RESETS_PER_ACCOUNT", "3"))
SAMTALE_PASSWORD_RESETS_PER_ADDRESS = int(os.environ.get("SAMTALE_PASSWORD_RESETS_PER_ADDRESS", "10"))

# Content-Security-Policy (django-csp): only our own scripts, styles, images and fonts; no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# guardian: no anonymous user object, our own permission tables carry the grants.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "identity.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
    # Only views that name a `throttle_scope` are throttled (429 beyond the rate), anonymous clients
    # by core.security.client_address; NUM_PROXIES gives DRF's own get_ident the same rule.
    "DEFAULT_THROTTLE_CLASSES": ["core.security.ClientAddressThrottle"],
    "NUM_PROXIES": SAMTALE_TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "auth": os.environ.get("SAMTALE_THROTTLE_AUTH", "20/min"),
        "pdf": os.environ.get("SAMTALE_THROTTLE_PDF", "60/min"),
        "statistics": os.environ.get("SAMTALE_THROTTLE_STATISTICS", "60/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Samtale API",
    "DESCRIPTION": "Medarbeidersamtaler: contracts, confirmations and follow-up.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.document_unsupported_media_type",
    ],
    # Several fields are named "kind"; each set of choices gets a name of its own.
    "ENUM_NAME_OVERRIDES": {
        "FollowUpKindEnum": "conversations.models.FollowUp.Kind",
        "WaitingKindEnum": "conversations.notify.waiting.KINDS",
        "WaitingItemKindEnum": "conversations.notify.waiting.ITEM_KINDS",
        "GoalKindEnum": "goals.models.Goal.Kind",
        "ProposalKindEnum": "goals.models.Proposal.Kind",
        "ProposalStateEnum": "goals.models.Proposal.State",
    },
}

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "samtale@localhost")

# Background work (Django's task framework; the django-tasks backport on Django 5.2): e-mail, statistics
# snapshots and PDF archives run in `manage.py worker`. By default tasks are rows in the project's own
# database (django-tasks-db). SAMTALE_TASKS_BACKEND names another backend of the same API, e.g. the RQ
# one of django-tasks-rq, when one database-polling worker is not enough.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("SAMTALE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A task (or an e-mail being sent) still marked as running after this many seconds was left by a worker
# that died: `requeue_stale_tasks` and a starting worker run it again (every task is idempotent).
SAMTALE_TASK_STALE_AFTER = int(os.environ.get("SAMTALE_TASK_STALE_AFTER", "900"))
# An e-mail the mail server refuses is tried again after 30 s, 60 s, 120 s ... (at most 1 h apart), at
# most this many times; then it is marked failed for an operator (`manage.py mail_outbox --failed`).
SAMTALE_EMAIL_MAX_ATTEMPTS = int(os.environ.get("SAMTALE_EMAIL_MAX_ATTEMPTS", "8"))
SAMTALE_EMAIL_RETRY_SECONDS = int(os.environ.get("SAMTALE_EMAIL_RETRY_SECONDS", "30"))

# Domain settings
SAMTALE_MIN_GROUP_SIZE = max(5, int(os.environ.get("SAMTALE_MIN_GROUP_SIZE", "5")))
# Statistics are answered from a snapshot at most this many seconds behind the data while a newer one
# is computed in the background (reports.statistics_cache); 0: always computed up to date.
SAMTALE_STATISTICS_MAX_AGE = int(os.environ.get("SAMTALE_STATISTICS_MAX_AGE", "600"))
# ... and a newer one is computed once the answered one is this many seconds old.
SAMTALE_STATISTICS_REFRESH_AFTER = int(os.environ.get("SAMTALE_STATISTICS_REFRESH_AFTER", "60"))
# How long (seconds) a request waits for the snapshot another process is computing, before computing its own.
SAMTALE_STATISTICS_WAIT_SECONDS = float(os.environ.get("SAMTALE_STATISTICS_WAIT_SECONDS", "30"))
SAMTALE_RETENTION_YEARS_AFTER_CLOSING = int(os.environ.get("SAMTALE_RETENTION_YEARS_AFTER_CLOSING", "5"))
SAMTALE_RETENTION_YEARS_AFTER_LEAVING = int(os.environ.get("SAMTALE_RETENTION_YEARS_AFTER_LEAVING", "2"))
SAMTALE_REMINDER_AFTER_DAYS = int(os.environ.get("SAMTALE_REMINDER_AFTER_DAYS", "7"))
# The address people reach Samtale at, for links in e-mail (e.g. https://samtale.example.kommune.no).
SAMTALE_SITE_URL = os.environ.get("SAMTALE_SITE_URL", "").rstrip("/")
# The longest free text a party may write (core.free_text): it bounds what one conversation PDF lays out.
# Texts stored under an earlier, higher limit stay readable; at most 5000 (the columns' limit).
SAMTALE_TEXT_MAX_LENGTH = int(os.environ.get("SAMTALE_TEXT_MAX_LENGTH", "3000"))
# `import_org` refuses a file that would mark more than this share of the active people as having left
# (0.10: 10 %), unless run with --allow-mass-leave.
SAMTALE_IMPORT_MAX_LEAVE_SHARE = float(os.environ.get("SAMTALE_IMPORT_MAX_LEAVE_SHARE", "0.10"))

# Sign-in by OpenID Connect (identity.oidc, mozilla-django-oidc): on when a client id is set. The
# authorization code flow with PKCE, state and nonce; the ID token's signature (the provider's JWKS),
# audience, issuer and expiry are verified. See the README for Entra ID and ID-porten.
OIDC_RP_CLIENT_ID = os.environ.get("SAMTALE_OIDC_CLIENT_ID", "")
SAMTALE_OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = os.environ.get("SAMTALE_OIDC_CLIENT_SECRET", "")
SAMTALE_OIDC_ISSUER = os.environ.get("SAMTALE_OIDC_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("SAMTALE_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("SAMTALE_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("SAMTALE_OIDC_JWKS_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = ""  # not used: the person is found from the verified ID token's claims
SAMTALE_OIDC_LOGOUT_ENDPOINT = os.environ.get("SAMTALE_OIDC_LOGOUT_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("SAMTALE_OIDC_SIGN_ALGORITHM", "RS256")
OIDC_RP_SCOPES = os.environ.get("SAMTALE_OIDC_SCOPES", "openid profile")
OIDC_TOKEN_USE_BASIC_AUTH = env_bool("SAMTALE_OIDC_CLIENT_SECRET_BASIC", False)
SAMTALE_OIDC_EMPLOYEE_ID_CLAIM = os.environ.get("SAMTALE_OIDC_EMPLOYEE_ID_CLAIM", "employee_id")
SAMTALE_OIDC_PROVIDER_NAME = os.environ.get("SAMTALE_OIDC_PROVIDER_NAME", "")
SAMTALE_OIDC_CLOCK_SKEW = int(os.environ.get("SAMTALE_OIDC_CLOCK_SKEW", "60"))
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # the hint for the provider's logout
OIDC_CREATE_USER = False  # people come from the organisation (import_org, SCIM), never from a sign-in
OIDC_TIMEOUT = 10
if SAMTALE_OIDC_LOGOUT_ENDPOINT:
    # Signing out is a form whose redirect ends at the provider's logout: form-action must allow it.
    _logout = urllib.parse.urlsplit(SAMTALE_OIDC_LOGOUT_ENDPOINT)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_logout.scheme}://{_logout.netloc}")
# Local passwords (login page, API token endpoint); false: only the identity provider signs people in.
SAMTALE_PASSWORD_LOGIN = env_bool("SAMTALE_PASSWORD_LOGIN", True)
# How long an API token lasts; then it is refused and the owner makes a new one.
SAMTALE_API_TOKEN_LIFETIME_DAYS = int(os.environ.get("SAMTALE_API_TOKEN_LIFETIME_DAYS", "30"))

# SCIM 2.0 provisioning (django-scim2, identity.scim) at /scim/v2/, for provisioning clients' bearer
# tokens only (`manage.py create_scim_token`).
SCIM_SERVICE_PROVIDER = {
    "NETLOC": "localhost",  # not used: locations come from the request (identity.scim_support.base_location)
    "AUTHENTICATION_SCHEMES": [
        {
            "type": "oauthbearertoken",
            "name": "Bearer token",
            "description": "A token made by `manage.py create_scim_token`.",
            "primary": True,
        }
    ],
    "USER_ADAPTER": "identity.scim.PersonAdapter",
    "USER_FILTER_PARSER": "identity.scim_support.PersonFilter",
    "SERVICE_PROVIDER_CONFIG_MODEL": "identity.scim_support.ServiceProviderConfig",
    "BASE_LOCATION_GETTER": "identity.scim_support.base_location",
    "AUTH_CHECK_MIDDLEWARE": "identity.scim_support.BearerTokenCheck",
    "GET_EXTRA_MODEL_EXCLUDE_KWARGS_GETTER": "identity.scim_support.exclude_superusers",
    "GET_OBJECT_POST_PROCESSOR_GETTER": "identity.scim_support.refuse_superusers",
    "GET_QUERYSET_POST_PROCESSOR_GETTER": "identity.scim_support.with_unit_and_manager",
    "WWW_AUTHENTICATE_HEADER": 'Bearer realm="samtale-scim"',
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step at INFO, and warns once for every character drawn that the
    # bundled fonts lack: a PDF of CJK or emoji text logged tens of thousands of lines, which doubled its
    # CPU time (1.2 -> 2.0 s for the worst case in CJK). Its errors are still logged.
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        **{name: {"level": "WARNING"} for name in ("fontTools", "axes")},
    },
}
