"""Settings for the Technician Commitment Portal.

One file, every deployment value from the environment, safe local defaults: with nothing set
the portal runs on SQLite with tasks in-process. See README.md, "Configuration".
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    return env(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-local-development-key-only-for-debug-mode-0123456789"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

PORTAL_INSTITUTION_NAME = env("PORTAL_INSTITUTION_NAME", "University of Northfield")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
# The person a notification can be addressed to besides an account (like AUTH_USER_MODEL): a
# model with `email` (the staff-list address, where messages go whether or not the person has
# an account) and `user` (the account, nullable). The kernel resolves it with apps.get_model.
PORTAL_PERSON_MODEL = "technicians.Technician"
# Data protection (docs/data-protection.md): who answers questions about personal data (the
# privacy notice at /privacy/ names them), and how many years after someone leaves their
# personal data is anonymised (a periodic task, or `manage.py apply_retention`).
PORTAL_DPO_EMAIL = env("PORTAL_DPO_EMAIL", "dataprotection@example.ac.uk")
PORTAL_RETENTION_YEARS_AFTER_LEAVING = int(env("PORTAL_RETENTION_YEARS_AFTER_LEAVING", "6"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "django_filters",
    "django_htmx",
    "simple_history",
    "csp",
    "portal",
    "technicians",
    "skills",
    "actionplan",
    "training",
    "registration",
    "commitment",
    "voice",
    "announcements",
    "careers",
    "recognition",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The data versions behind shared figures, read once a request (portal.versions).
    "portal.middleware.DataVersionsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pages for signed-in people: Cache-Control private, no-cache (never in a shared cache).
    "portal.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's middleware, the policy written once a process (portal.csp).
    "portal.csp.FixedPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
# Django's renderer with list boxes written in Python (portal.forms.PortalFormRenderer).
FORM_RENDERER = "portal.forms.PortalFormRenderer"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
            # `{% url %}` reversing each URL name once per process (the module says why).
            "builtins": ["portal.templatetags.url_tag"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Behind PgBouncer in transaction pooling mode a server-side cursor cannot outlive its
# transaction's connection: DATABASE_PGBOUNCER=1 turns them off (README, Scaling out).
DATABASE_PGBOUNCER = env_bool("DATABASE_PGBOUNCER", False)
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = DATABASE_PGBOUNCER
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3 sends each query's values apart from its text, so the text of a query the
    # portal repeats is the same every time, and a text run twice on a connection becomes a
    # prepared statement: PostgreSQL plans it once rather than on every request (planning
    # the signed-in user's query took four times as long as running it). PgBouncer's
    # transaction pooling cannot hold a connection's prepared statements: not behind it.
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
    if not DATABASE_PGBOUNCER:
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 2
    # Django's backend, reading timestamps with psycopg's compiled loader (portal.postgresql).
    DATABASES["default"]["ENGINE"] = "portal.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The database cache: login rate limits must keep working when Redis is unreachable.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    }
}
# Anything else cached in Redis ("shared") lives apart from the broker: its own Redis (or
# database) with maxmemory and an LRU policy, so a flood of keys never evicts a queued task.
# Unset: this process's memory.
PORTAL_CACHE_URL = env("PORTAL_CACHE_URL")
if (
    PORTAL_CACHE_URL
    and env("REDIS_URL")
    and PORTAL_CACHE_URL.rstrip("/")
    in {
        env("REDIS_URL").rstrip("/"),
        env("REDIS_URL").rstrip("/").removesuffix("/0"),
    }
):
    raise ImproperlyConfigured(
        "PORTAL_CACHE_URL must not be the broker's Redis database (REDIS_URL): the broker "
        "never evicts, a cache must."
    )
CACHES["shared"] = (
    {
        # Django's Redis cache, keeping its Redis client between operations.
        "BACKEND": "portal.redis_cache.RedisCache",
        "LOCATION": PORTAL_CACHE_URL,
        # A paused Redis must not hold a page: after this long the figures are computed from
        # the database instead (portal.versions).
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
    }
    if PORTAL_CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"}
)

AUTHENTICATION_BACKENDS = [
    # Django's and allauth's backends, loading the user's technician with the user.
    "technicians.auth_backends.ModelBackend",
    "technicians.auth_backends.AccountBackend",
    "portal.auth_backends.AdministratorGroupBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# django-allauth: e-mail and password; sign-up only for addresses on HR's staff list.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_ADAPTER = "technicians.adapters.PortalAccountAdapter"
ACCOUNT_FORMS = {
    "signup": "technicians.adapters.StaffListSignupForm",
    "login": "technicians.password_login.StaffLoginForm",
}
# Off: SSO only. Password sign-up closes, and only administrators may sign in with a password.
PORTAL_PASSWORD_LOGIN = env_bool("PORTAL_PASSWORD_LOGIN", True)
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Technician Commitment: "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "signup": "20/m/ip",
}
# Addresses come from HR's staff list: an account never adds or changes its e-mail address
# (the /accounts/email/ page is replaced in config/urls.py), so nobody can take over a
# colleague's profile by confirming the colleague's address on their own account.
ACCOUNT_MAX_EMAIL_ADDRESSES = 1
ACCOUNT_CHANGE_EMAIL = False
# A password reset for an address with no account sends nothing (no mail to any address typed).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Behind the reverse proxy every request comes from the proxy's address: the login rate limits
# must count the client's. PORTAL_TRUSTED_PROXY_COUNT proxies append to X-Forwarded-For (the
# client is the entry that many from the right), or PORTAL_TRUSTED_PROXY_HEADER names a header
# the proxy sets to the client's address (e.g. X-Real-IP). Neither: the connecting address.
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("PORTAL_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("PORTAL_TRUSTED_PROXY_HEADER") or None
SOCIALACCOUNT_ADAPTER = "technicians.adapters.PortalSocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_PROVIDERS: dict = {}

# Single sign-on, off by default. Microsoft Entra ID through OpenID Connect:
# The test suite's own provider runs on a loopback address: SSO_OIDC_ALLOW_TEST_ISSUER lets the
# tenant check accept it, and never works with DEBUG off.
SSO_OIDC_ALLOW_TEST_ISSUER = env_bool("SSO_OIDC_ALLOW_TEST_ISSUER", False)
if SSO_OIDC_ALLOW_TEST_ISSUER and not DEBUG:
    raise ImproperlyConfigured(
        "SSO_OIDC_ALLOW_TEST_ISSUER is for the test suite only: it never works with DEBUG off."
    )


def _is_entra_tenant_url(url: str) -> bool:
    """https://login.microsoftonline.com/<tenant>/v2.0, naming one tenant."""
    parts = urlsplit(url.strip())
    segments = [segment for segment in parts.path.split("/") if segment]
    return (
        parts.scheme == "https"
        and parts.hostname in {"login.microsoftonline.com", "login.microsoftonline.us"}
        and len(segments) in (1, 2)
        and segments[1:] in ([], ["v2.0"])
        and segments[0].lower() not in {"common", "organizations", "consumers"}
    )


def _is_loopback_url(url: str) -> bool:
    return urlsplit(url.strip()).hostname in {"127.0.0.1", "localhost", "::1"}


if env("SSO_OIDC_CLIENT_ID"):
    # Its e-mail claim is trusted below, which is safe only from the university's own tenant:
    # through the multi-tenant endpoints any Microsoft account could claim a colleague's address.
    _server_url = env("SSO_OIDC_SERVER_URL")
    if not _is_entra_tenant_url(_server_url) and not (
        SSO_OIDC_ALLOW_TEST_ISSUER and _is_loopback_url(_server_url)
    ):
        raise ImproperlyConfigured(
            "SSO_OIDC_SERVER_URL must name the university's own tenant: "
            "https://login.microsoftonline.com/<tenant-id>/v2.0"
        )
    INSTALLED_APPS.append("allauth.socialaccount.providers.openid_connect")
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": "entra",
                "name": env("SSO_OIDC_NAME", "University login"),
                "client_id": env("SSO_OIDC_CLIENT_ID"),
                "secret": env("SSO_OIDC_SECRET"),
                "settings": {
                    "server_url": env("SSO_OIDC_SERVER_URL"),
                    # The university's own identity provider vouches for its addresses (Entra
                    # sends no email_verified claim): no confirmation e-mail at first login.
                    "verified_email": True,
                    "oauth_pkce_enabled": True,
                },
            }
        ]
    }
# Shibboleth (or any SAML 2.0 identity provider):
if env("SSO_SAML_IDP_METADATA_URL"):
    INSTALLED_APPS.append("allauth.socialaccount.providers.saml")
    SOCIALACCOUNT_PROVIDERS["saml"] = {
        "APPS": [
            {
                "provider_id": "shibboleth",
                "name": env("SSO_SAML_NAME", "Shibboleth"),
                "client_id": env("SSO_SAML_ORGANISATION", "university"),
                "settings": {
                    "verified_email": True,
                    # Only signed assertions are believed.
                    "advanced": {"want_assertion_signed": True},
                    "attribute_mapping": {
                        "uid": "urn:oid:0.9.2342.19200300.100.1.1",
                        "email": "urn:oid:0.9.2342.19200300.100.1.3",
                        "first_name": "urn:oid:2.5.4.42",
                        "last_name": "urn:oid:2.5.4.4",
                    },
                    "idp": {
                        "entity_id": env("SSO_SAML_IDP_ENTITY_ID"),
                        "metadata_url": env("SSO_SAML_IDP_METADATA_URL"),
                    },
                },
            }
        ]
    }

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads: MEDIA_ROOT on this machine (or a volume), or MEDIA_STORAGE=s3 for an S3-compatible
# bucket that every web and worker replica shares (django-storages). Files stay private: the
# portal's views read them and serve them after checking permission; no public URLs.
MEDIA_STORAGE = env("MEDIA_STORAGE", "filesystem").lower()
if MEDIA_STORAGE == "s3":
    _MEDIA_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("MEDIA_S3_BUCKET"),
            "endpoint_url": env("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": env("MEDIA_S3_REGION") or None,
            "access_key": env("MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": env("MEDIA_S3_SECRET_ACCESS_KEY") or None,
            "location": env("MEDIA_S3_PREFIX", "media"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if not _MEDIA_BACKEND["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET.")
elif MEDIA_STORAGE == "filesystem":
    _MEDIA_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("MEDIA_STORAGE must be filesystem or s3.")
STORAGES = {
    "default": _MEDIA_BACKEND,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "portal.staticfiles.ManifestStaticFilesStorage"
    },
}
# Uploads are never served from MEDIA_ROOT directly: views check permission first.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Files no URL serves (import previews waiting to be applied); default MEDIA_ROOT/private.
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", "")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Profile photos: at most this many pixels, read from the header before decoding (a 117 KB
# single-colour PNG can decode to 40 megapixels and hundreds of MB of memory).
PORTAL_PHOTO_MAX_PIXELS = int(env("PORTAL_PHOTO_MAX_PIXELS", "25000000"))
# Evidence files: what a document may unpack to in all, archives nested inside it included
# (they are opened three levels deep at most), in bytes.
PORTAL_EVIDENCE_MAX_EXPANDED_BYTES = int(
    env("PORTAL_EVIDENCE_MAX_EXPANDED_BYTES", str(200 * 1024 * 1024))
)

# E-mail: EMAIL_URL like smtp://user:pass@host:587?tls=1 (or ?ssl=1), console:// (the local
# default), locmem:// (tests), or file:///var/mail/portal (one file per message, for checks).
EMAIL_URL = env("EMAIL_URL", "console://")
if EMAIL_URL.startswith("console:"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif EMAIL_URL.startswith("locmem:"):
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
elif EMAIL_URL.startswith("file:"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = unquote(urlsplit(EMAIL_URL).path)
    if not EMAIL_FILE_PATH:
        raise ImproperlyConfigured("EMAIL_URL=file:///path needs a directory path.")
else:
    _email = urlsplit(EMAIL_URL)
    _email_flags = {
        name for name, values in parse_qs(_email.query).items() if values[0] in {"1", "true"}
    }
    if _email.scheme not in {"smtp", "smtps"}:
        raise ImproperlyConfigured(
            "EMAIL_URL must start with smtp://, smtps://, console://, locmem:// or file://."
        )
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or (465 if _email.scheme == "smtps" else 25)
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_TLS = "tls" in _email_flags
    EMAIL_USE_SSL = _email.scheme == "smtps" or "ssl" in _email_flags
    EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "technician-commitment@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The technician voice: survey results are shown only for groups of at least this many people.
VOICE_MIN_GROUP = int(env("VOICE_MIN_GROUP", "5"))

# Celery. No REDIS_URL: tasks run in-process, so the portal needs no server running.
REDIS_URL = env("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"

# Sessions live in the database: logging out, or deleting a user's sessions, signs them out at
# once, whatever state Redis is in.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker that loses the broker stops its running tasks: with acks_late they are redelivered.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Publishing (inside a web request, on commit) gives up fast: the outbox sweep sends it later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Longer than the longest task (the hard time limit), so a slow task is not redelivered.
    "visibility_timeout": 3600,
    "socket_timeout": 3,
    "socket_connect_timeout": 3,
    "max_retries": 1,
}
CELERY_TASK_DEFAULT_QUEUE = "celery"
# Reports run on their own queue, one at a time, so a long render never delays e-mail; large
# imports on theirs (portal.imports.background), so a 100,000-row preview delays neither.
CELERY_TASK_ROUTES = {
    "commitment.tasks.render_annual_report": {"queue": "reports"},
    "portal.tasks.run_import": {"queue": "imports"},
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    # The outbox sweep: notifications still pending a minute after they were written.
    "send-pending-notifications": {
        "task": "portal.tasks.send_pending_notifications",
        "schedule": 60.0,
    },
    # Reminders derived from the data (each app registers its producers); re-runs are harmless.
    "send-reminders": {"task": "portal.tasks.send_reminders", "schedule": 3600.0},
    # Annual reports: reset renders whose worker died, queue requests the broker never got.
    "sweep-annual-reports": {"task": "commitment.tasks.sweep_annual_reports", "schedule": 60.0},
    # HR's figures pages, worked out once for every reader (commitment.reports.stored).
    "refresh-report-figures": {
        "task": "commitment.tasks.refresh_all_figures",
        "schedule": 900.0,
    },
    # Leavers' personal data anonymised PORTAL_RETENTION_YEARS_AFTER_LEAVING years on (daily).
    "apply-retention": {"task": "technicians.tasks.apply_retention", "schedule": 86400.0},
    # The weekly digest of reminders people chose to have weekly: hourly, it acts on the digest
    # day only and once a week per person (portal.digest).
    "send-weekly-digests": {"task": "portal.tasks.send_weekly_digests", "schedule": 3600.0},
    # Import previews are kept an hour: delete the expired ones and their files.
    "delete-expired-imports": {"task": "portal.tasks.delete_expired_imports", "schedule": 900.0},
    # Large imports whose step stopped moving (message lost, worker died): queued again.
    "sweep-imports": {"task": "portal.tasks.sweep_imports", "schedule": 60.0},
}
# An import file of at least this many bytes is previewed and applied by a worker task on the
# `imports` queue, with a progress bar; smaller ones in the request (portal.imports.background).
PORTAL_IMPORT_BACKGROUND_BYTES = int(env("PORTAL_IMPORT_BACKGROUND_BYTES", "262144"))
# A large import's step that has not moved for this many seconds (and that no worker holds)
# is queued again by the sweep, at most PORTAL_IMPORT_ATTEMPTS times in all; then it is marked
# failed, with a sentence for the person.
PORTAL_IMPORT_STALLED_AFTER = int(env("PORTAL_IMPORT_STALLED_AFTER", "300"))
PORTAL_IMPORT_ATTEMPTS = int(env("PORTAL_IMPORT_ATTEMPTS", "3"))
# Announcements are queued to the outbox this many people at a time (one task per batch).
ANNOUNCEMENT_BATCH_SIZE = int(env("ANNOUNCEMENT_BATCH_SIZE", "500"))
# The weekday of the weekly digest of reminders (0 Monday … 6 Sunday).
NOTIFICATION_DIGEST_WEEKDAY = int(env("NOTIFICATION_DIGEST_WEEKDAY", "0"))
# A report still rendering after this many seconds lost its worker: the sweep resets it
# (longer than the render task's hard time limit). A queued one older than the second had
# its message lost (broker down): the sweep queues it again.
ANNUAL_REPORT_STUCK_AFTER = int(env("ANNUAL_REPORT_STUCK_AFTER", "900"))
ANNUAL_REPORT_REQUEUE_AFTER = int(env("ANNUAL_REPORT_REQUEUE_AFTER", "120"))
# A render in progress marks its row alive this often (seconds); three missed beats and the
# render is taken over by the next delivery of its task, or reset by the sweep.
ANNUAL_REPORT_HEARTBEAT_SECONDS = int(env("ANNUAL_REPORT_HEARTBEAT_SECONDS", "10"))

# The Technician Commitment's submission cycle (commitment.cycle): the host's submission
# windows ("MM-DD"), stage 1 in the first window at least this many months after the
# announcement, each later stage at least this many months after the window before.
COMMITMENT_SUBMISSION_WINDOWS = env_list("COMMITMENT_SUBMISSION_WINDOWS", "01-31,07-31")
COMMITMENT_FIRST_AFTER_MONTHS = int(env("COMMITMENT_FIRST_AFTER_MONTHS", "12"))
COMMITMENT_CYCLE_MONTHS = int(env("COMMITMENT_CYCLE_MONTHS", "36"))

# The Technician Commitment training target per UK academic year (1 August – 31 July), for a
# full-time technician (pro rata by Technician.fte): days in all, and by category.
TRAINING_TARGET_DAYS = int(env("TRAINING_TARGET_DAYS", "10"))
TRAINING_TARGET_SPLIT = {
    "on_the_job": int(env("TRAINING_TARGET_ON_THE_JOB", "7")),
    "conference_workshop": int(env("TRAINING_TARGET_CONFERENCE_WORKSHOP", "2")),
    "formal": int(env("TRAINING_TARGET_FORMAL", "1")),
}
TRAINING_HOURS_PER_DAY = int(env("TRAINING_HOURS_PER_DAY", "7"))  # logging hours, not days
# Waiting-list promotion stops this many hours before a session starts.
TRAINING_PROMOTION_CUTOFF_HOURS = int(env("TRAINING_PROMOTION_CUTOFF_HOURS", "24"))
# No-shows in 12 months after which new bookings only join the waiting list (0: off).
TRAINING_NO_SHOW_LIMIT = int(env("TRAINING_NO_SHOW_LIMIT", "3"))

# The skills matrix (skills.risk): a skill is covered in a unit with at least this many
# active holders at practitioner level or above, one of whom can train others; ratings
# unconfirmed for this many months are stale; units smaller than this show no people.
SKILLS_MIN_HOLDERS = int(env("SKILLS_MIN_HOLDERS", "2"))
SKILLS_REVIEW_MONTHS = int(env("SKILLS_REVIEW_MONTHS", "12"))
SKILLS_MIN_UNIT_FOR_PEOPLE = int(env("SKILLS_MIN_UNIT_FOR_PEOPLE", "3"))

# Recognition: the ORCID public API that works are imported from (requests, with a timeout in
# seconds), and the cut-off days (MM-DD) of the awards' judging rounds, in order: a nomination
# made after a cut-off goes to the next round.
ORCID_API_URL = env("ORCID_API_URL", "https://pub.orcid.org/v3.0")
ORCID_TIMEOUT = float(env("ORCID_TIMEOUT", "10"))
RECOGNITION_ROUND_CUTOFFS = [
    day.strip() for day in env("RECOGNITION_ROUND_CUTOFFS", "03-31,09-30").split(",") if day.strip()
]

# Security. Production (DEBUG off) passes `manage.py check --deploy --fail-level WARNING`.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# Browsers apply form-action to the redirect after a form is posted: the SSO buttons post to
# allauth, which redirects to the identity provider, so its origin must be allowed.
_SSO_ORIGINS = [
    origin
    for origin in (_origin(env("SSO_OIDC_SERVER_URL")), _origin(env("SSO_SAML_IDP_METADATA_URL")))
    if origin
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF, *_SSO_ORIGINS, *env_list("CSP_FORM_ACTION_EXTRA")],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Refusals (403) are logged at INFO by config.views.permission_denied, without a traceback.
    "filters": {"permission_refusals": {"()": "portal.logs.PermissionRefusalFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.request": {"filters": ["permission_refusals"]},
    },
}
