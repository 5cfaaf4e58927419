"""Settings shared by every environment.

Every value that differs between installations comes from an environment variable, declared with
its type and default through `env.py`; README.md lists them all (a test holds the two together).
"""

from pathlib import Path

import dj_database_url

from .env import env_bool, env_float, env_int, env_int_list, env_json, env_list, env_str, served_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("CCHC_VAR_DIR", str(BASE_DIR / "var"), shown="var/"))

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "", shown="chỉ `local` có khóa mặc định")
DEBUG = env_bool("DJANGO_DEBUG", False)
# True only in config.settings.production: cchc.core.checks then refuses inconsistent settings.
CCHC_PRODUCTION = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# A refused form shows the site's Vietnamese page, not Django's English "CSRF verification failed".
CSRF_FAILURE_VIEW = "cchc.core.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "ninja",
    "csp",
    "django_htmx",  # ships htmx itself as a static file (the counter filters procedures as the officer types)
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_tasks",
    "django_tasks_db",
    "django_prometheus",
    "cchc.core",
    "cchc.accounts",
    "cchc.audit",
    "cchc.procedures",
    "cchc.dossiers",
    "cchc.payments",
    "cchc.dvcqg",
    "cchc.postal",
    "cchc.digitisation",
    "cchc.messaging",
    "cchc.appointments",
    "cchc.results",
    "cchc.surveys",
    "cchc.complaints",
    "cchc.reports",
    "cchc.reform",
    "cchc.plans",
    "cchc.simplification",
    "cchc.initiatives",
    "cchc.news",
    "cchc.privacy",
    "cchc.demo",
    # News pages (Wagtail): editors, moderation workflow, images, scheduled publishing.
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses an attempt that must still wait (cchc.accounts.lockout), before any password check.
    "cchc.accounts.lockout.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "cchc.accounts.permissions.RolePermissionBackend",
]

MIDDLEWARE = [
    # Operations first: the request id and its log line, 503 for an outage, then the probes (which
    # need no host check, HTTPS redirect, session or user), then django-prometheus's timing.
    "cchc.core.observability.RequestIdMiddleware",
    "cchc.core.outage.OutageMiddleware",
    "cchc.core.probes.ProbeMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cchc.core.csp.SiteCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cchc.core.middleware.ApiGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cchc.accounts.middleware.SessionSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
# Form widgets are rendered by the TEMPLATES engines, so the project's templates override them too:
# Wagtail's date and date-time widgets (cchc/templates/wagtailadmin/widgets/) start their pickers
# without the inline script the Content-Security-Policy refuses. Django's default renderer reads
# only the apps' and django.forms' own templates.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cchc" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cchc.core.context_processors.site",
                "cchc.accounts.context_processors.can",
            ],
        },
    },
]

# SQLite under var/ is the embedded default; DATABASE_URL selects PostgreSQL in production.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cchc.sqlite3'}", shown="var/cchc.sqlite3"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        # A kept connection is tested before each request reuses it, so one that died with a database
        # restart costs a reconnect instead of failing the next request (on PostgreSQL without a round
        # trip: cchc.core.postgresql).
        conn_health_checks=True,
    )
}
# A PostgreSQL streaming replica for the reports and dashboards (cchc.core.replica); they read from the
# primary whenever the replica lags by more than CCHC_REPLICA_MAX_LAG_SECONDS or cannot be reached.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
CCHC_REPLICA_MAX_LAG_SECONDS = env_float("CCHC_REPLICA_MAX_LAG_SECONDS", 30, minimum=0)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    # Tests run against the primary's test database: the replica is its mirror there.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["cchc.core.replica.ReplicaRouter"]
# PostgreSQL through Django's backend with a health check that sends nothing to the server
# (cchc.core.postgresql: the socket of a dropped connection reads as closed) and server-side prepared
# statements for the hottest read (the public status lookup); off for a transaction-mode pooler that
# cannot keep them.
CCHC_DB_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database["ENGINE"] = "cchc.core.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web process and the task worker read while the other writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# Accounts (django-allauth): citizens sign up with email and password; staff log in with
# their username. A national e-ID (VNeID) or any OpenID Connect provider is configured by
# the OIDC_* variables and appears as a login button.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "cchc.accounts.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = env_str(
    "ACCOUNT_EMAIL_VERIFICATION", "optional", choices=("none", "optional", "mandatory")
)
ACCOUNT_LOGOUT_ON_GET = False
# Tell the account holder by email when their password or email address changes (someone else may have).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_ADAPTER = "cchc.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "cchc.accounts.adapters.SocialAccountAdapter"
# The outside services (docs/integrations.md): while CCHC_SIMULATORS is on, each one whose own URL is
# empty is played by the simulator server at CCHC_SIMULATOR_URL (`python -m cchc.simulators`, started by
# `make run`; cchc.core.integrations). One switch for all of them; CCHC_PAYMENT_SIMULATOR, its former
# name for payments alone, is still read when CCHC_SIMULATORS is not set. Off in production.
CCHC_SIMULATORS = env_bool("CCHC_SIMULATORS", env_bool("CCHC_PAYMENT_SIMULATOR", True))
CCHC_SIMULATOR_URL = env_str("CCHC_SIMULATOR_URL", "http://127.0.0.1:8001").rstrip("/")
# VNeID's profile (cchc.accounts.vneid): the scope and acr_values asked for, and the identity level from
# which a citizen counts as verified (their name, ID number, birth date and address then come from VNeID).
OIDC_SCOPE = env_str("OIDC_SCOPE", "openid")
OIDC_ACR_VALUES = env_str("OIDC_ACR_VALUES", "")
CCHC_VNEID_VERIFIED_LEVEL = env_int("CCHC_VNEID_VERIFIED_LEVEL", 2, minimum=1)
OIDC_PROVIDER = {
    "provider_id": env_str("OIDC_PROVIDER_ID", "vneid"),
    "name": env_str("OIDC_PROVIDER_NAME", "VNeID"),
    "client_id": env_str("OIDC_CLIENT_ID", ""),
    "secret": env_str("OIDC_CLIENT_SECRET", ""),
    "settings": {
        "server_url": env_str("OIDC_SERVER_URL", ""),
        "scope": OIDC_SCOPE.split(),
        "auth_params": {"acr_values": OIDC_ACR_VALUES} if OIDC_ACR_VALUES else {},
        # The national e-ID may give no email: the account is made without one.
        "verified_email": False,
    },
}
SOCIALACCOUNT_PROVIDERS = {}
if OIDC_PROVIDER["client_id"]:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {"APPS": [OIDC_PROVIDER]}
# Without OIDC_CLIENT_ID and with the simulators on, the VNeID simulator is the provider
# (cchc.accounts.adapters.SocialAccountAdapter.list_apps).
SOCIALACCOUNT_EMAIL_REQUIRED = False
SOCIALACCOUNT_AUTO_SIGNUP = True

# allauth's own hard lock after failed logins is off: cchc.accounts.lockout is the one policy.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
# Wrong passwords: free failures per account (an address gets four times as many), then waits that
# double with each failure up to these ceilings (seconds). No hard lock.
CCHC_LOGIN_FREE_FAILURES = env_int("CCHC_LOGIN_FREE_FAILURES", 5, minimum=0)
CCHC_LOGIN_MAX_DELAY_ACCOUNT_SECONDS = env_int("CCHC_LOGIN_MAX_DELAY_ACCOUNT_SECONDS", 300, minimum=1)
CCHC_LOGIN_MAX_DELAY_ADDRESS_SECONDS = env_int("CCHC_LOGIN_MAX_DELAY_ADDRESS_SECONDS", 3600, minimum=1)

# Second factor (django-allauth MFA) under /tai-khoan/2fa/: an authenticator app (TOTP), recovery
# codes, security keys and passkeys (WebAuthn). Optional for applicants; required for staff when
# CCHC_MFA_REQUIRED_FOR_STAFF is on (production's default; `make run` leaves it off so the demo
# accounts sign in with their password alone).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True

MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
CCHC_MFA_REQUIRED_FOR_STAFF = env_bool("CCHC_MFA_REQUIRED_FOR_STAFF", False)
# Sessions: staff end after 30 idle minutes and 12 hours at most; applicants after 2 idle hours.
CCHC_STAFF_SESSION_IDLE_MINUTES = env_float("CCHC_STAFF_SESSION_IDLE_MINUTES", 30.0, minimum=1)
CCHC_STAFF_SESSION_MAX_HOURS = env_float("CCHC_STAFF_SESSION_MAX_HOURS", 12.0, minimum=0.5)
CCHC_CITIZEN_SESSION_IDLE_MINUTES = env_float("CCHC_CITIZEN_SESSION_IDLE_MINUTES", 120.0, minimum=1)
SESSION_COOKIE_AGE = int(CCHC_CITIZEN_SESSION_IDLE_MINUTES * 60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
# Vietnamese only: with English among the LANGUAGES, a browser asking for English got Django's messages
# and Wagtail's whole admin (/cms/) in English (issue 14); the CMS offers no other language either.
LANGUAGES = [("vi", "Tiếng Việt")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "cchc" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "H:i d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
FORMAT_MODULE_PATH = ["cchc.core.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "cchc" / "static"]
# Uploaded and generated files have no public address: MEDIA_URL is only the prefix a storage
# names them by. Views hand them out after their access check (cchc.core.files).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("CCHC_MEDIA_ROOT", str(VAR_DIR / "media"), shown="var/media"))

# Files: local storage by default, any S3-compatible store when a bucket is configured.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME", "")
S3_OPTIONS = {
    "bucket_name": AWS_STORAGE_BUCKET_NAME,
    "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
    "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
    "access_key": env_str("AWS_ACCESS_KEY_ID", ""),
    "secret_key": env_str("AWS_SECRET_ACCESS_KEY", ""),
    "default_acl": "private",
    # Downloads are redirects to signed URLs that expire (cchc.core.files).
    "querystring_auth": True,
    "signature_version": "s3v4",
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": S3_OPTIONS}

# How a checked file is sent (cchc.core.files): empty streams it through Django; a prefix such as
# `/_protected/` answers `X-Accel-Redirect: <prefix><name>` for nginx's internal location over MEDIA_ROOT.
CCHC_FILES_X_ACCEL_PREFIX = env_str("CCHC_FILES_X_ACCEL_PREFIX", "")
# With S3 storage: seconds a signed download URL stays valid.
CCHC_FILES_URL_EXPIRY_SECONDS = env_int("CCHC_FILES_URL_EXPIRY_SECONDS", 60, minimum=5)


# Content-Security-Policy on every page (django-csp, cchc.core.csp): scripts from this site only (no
# inline script, no eval), never framed by another site. Inline style attributes stay allowed (the
# server-rendered charts and Wagtail's admin use them). Forms may also go to the payment gateway and
# the OpenID Connect provider, and news images may come from the S3 store.
def _origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


CCHC_CSP_REPORT_ONLY = env_bool("CCHC_CSP_REPORT_ONLY", False)
CCHC_CSP_REPORT_URI = env_str("CCHC_CSP_REPORT_URI", "")
_CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", *filter(None, [_origin(S3_OPTIONS["endpoint_url"] or "")])],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    # The pay button and VNeID's sign-in post here, then are redirected to the provider (or its simulator).
    "form-action": [
        "'self'",
        *filter(None, [_origin(OIDC_PROVIDER["settings"]["server_url"])]),
        *([_origin(CCHC_SIMULATOR_URL)] if CCHC_SIMULATORS else []),
    ],
}
if CCHC_CSP_REPORT_URI:
    _CSP_DIRECTIVES["report-uri"] = [CCHC_CSP_REPORT_URI]
if CCHC_CSP_REPORT_ONLY:
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every record carries the request id (`-` outside a request); production logs JSON lines.
    "filters": {"request_id": {"()": "cchc.core.observability.RequestIdFilter"}},
    "formatters": {"json": {"()": "cchc.core.observability.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"]}},
    "root": {
        "handlers": ["console"],
        "level": env_str("CCHC_LOG_LEVEL", "INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")),
    },
    # WeasyPrint narrates every PDF at INFO, Wagtail every page it creates or publishes.
    "loggers": {
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# Background work: Django's Tasks API with the database backend, so a job is written in
# the same transaction as the change that causes it. `make run` starts a worker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Queued by `manage.py run_scheduler` every 15 minutes: each returns whether it queued a job.
# Workers (`manage.py run_worker`) record a beat this often; one silent for longer than the stale age
# is reported by /readyz and the jobs it had claimed go back to the queue (at the scheduler's tick).
CCHC_WORKER_BEAT_SECONDS = env_int("CCHC_WORKER_BEAT_SECONDS", 10, minimum=1)
CCHC_WORKER_STALE_SECONDS = env_int("CCHC_WORKER_STALE_SECONDS", 60, minimum=5)
# Monitoring (/metrics): a bearer token Prometheus must send (empty: open; production warns); CCHC's
# own figures, each a function returning metric families, computed at most once per cache period;
# prometheus_client's folder for summing gunicorn's workers.
CCHC_METRICS_TOKEN = env_str("CCHC_METRICS_TOKEN", "")
CCHC_METRICS_CACHE_SECONDS = env_int("CCHC_METRICS_CACHE_SECONDS", 15, minimum=0)
CCHC_METRICS_COLLECTORS = ["cchc.core.metrics.collect_tasks", "cchc.dossiers.metrics.collect"]
PROMETHEUS_MULTIPROC_DIR = env_str("PROMETHEUS_MULTIPROC_DIR", "")
CCHC_PERIODIC_JOBS = [
    "cchc.dossiers.tasks.scan_deadlines_enqueue",
    "cchc.dossiers.tasks.sweep_staged_uploads_enqueue",
    "cchc.payments.tasks.reconcile_enqueue",
    "cchc.dvcqg.tasks.sync_enqueue",
    "cchc.postal.tasks.track_enqueue",
    "cchc.appointments.tasks.mark_no_shows_enqueue",
    "cchc.reports.tasks.refresh_rollups_enqueue",
    "cchc.plans.tasks.remind_enqueue",
    "cchc.news.tasks.publish_scheduled_enqueue",
    "cchc.simplification.tasks.refresh_candidates_enqueue",
    "cchc.audit.tasks.seal_days_enqueue",
    "cchc.core.tasks.sweep_files_enqueue",
]

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CCHC <khong-tra-loi@cchc.local>")

# Project settings
# Empty: "Cổng dịch vụ công" and the name of whoever runs the installation, from the data.
CCHC_SITE_NAME = env_str("CCHC_SITE_NAME", "")
MFA_TOTP_ISSUER = CCHC_SITE_NAME or "Cổng dịch vụ công"
CCHC_CATALOGUE_PAGE_SIZE = 20
CCHC_IMPORT_MAX_BYTES = 5 * 1024 * 1024
# Audit log: the key chaining the events by HMAC. Empty: derived from SECRET_KEY (see
# cchc.audit.models.audit_hmac_key). Set it in production and never change it: with the derived key,
# rotating SECRET_KEY would make every existing event fail verification.
CCHC_AUDIT_HMAC_KEY = env_str("CCHC_AUDIT_HMAC_KEY", "", shown="dẫn xuất từ `DJANGO_SECRET_KEY`")
# Only behind a reverse proxy that overwrites X-Forwarded-For: the client address recorded in the
# audit log is then its first entry instead of REMOTE_ADDR (otherwise a client could forge it).
CCHC_TRUST_X_FORWARDED_FOR = env_bool("CCHC_TRUST_X_FORWARDED_FOR", False)
# Links in e-mails, the signed result's verification address and QR: by default where `make run` serves.
CCHC_PUBLIC_URL = env_str("CCHC_PUBLIC_URL", served_url(), shown="`http://HOST:PORT`").rstrip("/")
# Electronic results are signed with the agency's certificate and key from this PKCS#12 file
# (`make run` creates a self-signed demo one there if it is missing).
CCHC_SIGNING_P12_PATH = env_str(
    "CCHC_SIGNING_P12_PATH", str(VAR_DIR / "signing" / "demo-agency.p12"), shown="var/signing/demo-agency.p12"
)
CCHC_SIGNING_P12_PASSWORD = env_str("CCHC_SIGNING_P12_PASSWORD", "demo12345")
CCHC_UPLOAD_MAX_BYTES = env_int("CCHC_UPLOAD_MAX_MB", 10, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# SMS and Zalo go through a provider class (dotted path); empty: messages are only logged.
CCHC_SMS_ENABLED = env_bool("CCHC_SMS_ENABLED", False)
CCHC_SMS_PROVIDER = env_str("CCHC_SMS_PROVIDER", "")
CCHC_ZALO_PROVIDER = env_str("CCHC_ZALO_PROVIDER", "")
CCHC_ZALO_ENABLED = env_bool("CCHC_ZALO_ENABLED", False)
# SMS brandname (cchc.messaging.providers.BrandnameSms, VNPT's JSON API) and Zalo ZNS
# (cchc.messaging.providers.ZaloZns). Empty URLs mean the simulator server's /sms/…, /zalo/….
CCHC_SMS_URL = env_str("CCHC_SMS_URL", "")
CCHC_SMS_USERNAME = env_str("CCHC_SMS_USERNAME", "cchcdemo", shown="giá trị minh họa")
CCHC_SMS_PASSWORD = env_str("CCHC_SMS_PASSWORD", "demo-sms-password", shown="giá trị minh họa")
CCHC_SMS_BRANDNAME = env_str("CCHC_SMS_BRANDNAME", "SO GTVT")
CCHC_SMS_CONTRACT_ID = env_str("CCHC_SMS_CONTRACT_ID", "")
CCHC_SMS_AGENT_ID = env_str("CCHC_SMS_AGENT_ID", "")
# Viettel's bulk SMS (cchc.messaging.providers.ViettelSms) names the contract by a CP code.
CCHC_SMS_CP_CODE = env_str("CCHC_SMS_CP_CODE", "CCHCDEMO", shown="giá trị minh họa")
CCHC_SMS_REPORT_SECRET = env_str("CCHC_SMS_REPORT_SECRET", "demo-sms-report-secret", shown="giá trị minh họa")
CCHC_ZALO_URL = env_str("CCHC_ZALO_URL", "")
CCHC_ZALO_ACCESS_TOKEN = env_str("CCHC_ZALO_ACCESS_TOKEN", "demo-zalo-oa-token", shown="giá trị minh họa")
CCHC_ZALO_APP_ID = env_str("CCHC_ZALO_APP_ID", "cchcdemo")
CCHC_ZALO_SECRET = env_str("CCHC_ZALO_SECRET", "demo-zalo-oa-secret", shown="giá trị minh họa")
# Public status lookups allowed per client address per minute.
CCHC_LOOKUP_RATE_PER_MINUTE = env_int("CCHC_LOOKUP_RATE_PER_MINUTE", 30, minimum=1)
# Complaints and petitions: working days to answer; submissions allowed per client address per hour.
CCHC_COMPLAINT_DAYS = env_int("CCHC_COMPLAINT_DAYS", 15, minimum=1)
CCHC_COMPLAINT_RATE_PER_HOUR = env_int("CCHC_COMPLAINT_RATE_PER_HOUR", 10, minimum=1)
# API bearer tokens: days a token stays valid; tokens a client may ask for per minute.
CCHC_API_TOKEN_DAYS = env_int("CCHC_API_TOKEN_DAYS", 30, minimum=1)
CCHC_API_TOKEN_RATE_PER_MINUTE = env_int("CCHC_API_TOKEN_RATE_PER_MINUTE", 10, minimum=1)
# Officers' lists (desk, reports, dashboards): rows per page.
CCHC_OFFICE_PAGE_SIZE = env_int("CCHC_OFFICE_PAGE_SIZE", 20, minimum=5, maximum=200)
# The font of the visible stamp on signed results (must hold Vietnamese diacritics).
CCHC_SIGNING_STAMP_FONT = env_str(
    "CCHC_SIGNING_STAMP_FONT", "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
)
# Look-ups in applicants' data stores allowed per counter officer per hour.
CCHC_STORE_LOOKUPS_PER_HOUR = env_int("CCHC_STORE_LOOKUPS_PER_HOUR", 60, minimum=1)

# Appointments at the counter (cchc.appointments): slot length, how many working days ahead a citizen
# may book, and the minutes after a slot begins before a booking nobody checked in for is a no-show.
CCHC_APPOINTMENT_SLOT_MINUTES = env_int("CCHC_APPOINTMENT_SLOT_MINUTES", 30, minimum=5, maximum=240)
CCHC_APPOINTMENT_DAYS_AHEAD = env_int("CCHC_APPOINTMENT_DAYS_AHEAD", 10, minimum=1, maximum=60)
CCHC_APPOINTMENT_GRACE_MINUTES = env_int("CCHC_APPOINTMENT_GRACE_MINUTES", 15, minimum=0)

# Online payment: VNPAY, protocol 2.1.0 (cchc.payments). Without VNPAY_TMN_CODE the demo merchant code
# and secret are used with the simulator server's VNPAY (CCHC_SIMULATORS); a real merchant sets all
# four. Empty URLs mean the simulator (pay page, and its querydr/refund API).
VNPAY_TMN_CODE = env_str("VNPAY_TMN_CODE", "CCHCDEMO", shown="giá trị minh họa")
VNPAY_HASH_SECRET = env_str("VNPAY_HASH_SECRET", "cchc-demo-hash-secret-chi-dung-cho-gia-lap", shown="giá trị minh họa")
VNPAY_PAY_URL = env_str("VNPAY_PAY_URL", "")
if _origin(VNPAY_PAY_URL):  # the pay button's form is redirected to the gateway
    _CSP_DIRECTIVES["form-action"].append(
        _origin(VNPAY_PAY_URL)
    )  # e.g. https://sandbox.vnpayment.vn/paymentv2/vpcpay.html
VNPAY_API_URL = env_str("VNPAY_API_URL", "")  # e.g. https://sandbox.vnpayment.vn/merchant_webapi/api/transaction
# The national public service portal (Cổng DVCQG; cchc.dvcqg, docs/integrations.md): the adapter's three
# endpoints, the account and the `dstcode` header given by the portal. Empty: the simulator server's /dvcqg/
# while CCHC_SIMULATORS is on, otherwise no synchronisation. A change told within CCHC_DVCQG_SYNC_HOURS counts as
# synchronised in time (the 766 indicator 1.4).
DVCQG_AUTH_URL = env_str("DVCQG_AUTH_URL", "")
DVCQG_INTEGRATION_URL = env_str("DVCQG_INTEGRATION_URL", "")
DVCQG_SHARE_URL = env_str("DVCQG_SHARE_URL", "")
DVCQG_USERNAME = env_str("DVCQG_USERNAME", "")
DVCQG_PASSWORD = env_str("DVCQG_PASSWORD", "")
DVCQG_DSTCODE = env_str("DVCQG_DSTCODE", "")
CCHC_DVCQG_SYNC_HOURS = env_int("CCHC_DVCQG_SYNC_HOURS", 24, minimum=1)
# VNPost (Bưu chính công ích; cchc.postal): the API's base address and the customer's code, key and secret.
# Empty: the simulator server's /vnpost/ while CCHC_SIMULATORS is on, otherwise results are not sent by post.
VNPOST_URL = env_str("VNPOST_URL", "")
VNPOST_CUSTOMER_CODE = env_str("VNPOST_CUSTOMER_CODE", "")
VNPOST_CUSTOMER_KEY = env_str("VNPOST_CUSTOMER_KEY", "")
VNPOST_SECRET_KEY = env_str("VNPOST_SECRET_KEY", "")
# Paper turned into data (cchc.digitisation): OCRmyPDF's command (empty: `ocrmypdf` on the PATH, Debian's
# package) and Tesseract's languages.
CCHC_OCR_COMMAND = env_str("CCHC_OCR_COMMAND", "")
CCHC_OCR_LANGUAGES = env_str("CCHC_OCR_LANGUAGES", "vie+eng")
# PayGov, the national payment platform (cchc.payments.paygov): the merchant code (MaDoiTac) and the
# shared secret of MaXacThuc; an empty URL means the simulator server's PayGov (CCHC_SIMULATOR_URL/paygov/).
PAYGOV_MERCHANT_CODE = env_str("PAYGOV_MERCHANT_CODE", "CCHCDEMO", shown="giá trị minh họa")
PAYGOV_SECRET = env_str("PAYGOV_SECRET", "cchc-demo-paygov-secret-chi-dung-cho-gia-lap", shown="giá trị minh họa")
PAYGOV_API_URL = env_str("PAYGOV_API_URL", "")
if _origin(PAYGOV_API_URL):  # the citizen is redirected to the platform's payment page
    _CSP_DIRECTIVES["form-action"].append(_origin(PAYGOV_API_URL))
# Electronic receipts (biên lai điện tử) for every fee paid (cchc.payments.ereceipt): VNPT's or
# Viettel's service, or none (""). An empty URL means the provider's local simulator
# (/hoa-don/gia-lap/<provider>/). Pattern (mẫu số) and series (ký hiệu) as registered with the tax office.
CCHC_RECEIPT_PROVIDER = env_str("CCHC_RECEIPT_PROVIDER", "vnpt", choices=("", "vnpt", "viettel"))
CCHC_RECEIPT_URL = env_str("CCHC_RECEIPT_URL", "")
CCHC_RECEIPT_ACCOUNT = env_str("CCHC_RECEIPT_ACCOUNT", "cchcdemoadmin", shown="giá trị minh họa")
CCHC_RECEIPT_ACCOUNT_PASSWORD = env_str("CCHC_RECEIPT_ACCOUNT_PASSWORD", "demo-receipt-admin", shown="giá trị minh họa")
CCHC_RECEIPT_USERNAME = env_str("CCHC_RECEIPT_USERNAME", "cchcdemoservice", shown="giá trị minh họa")
CCHC_RECEIPT_PASSWORD = env_str("CCHC_RECEIPT_PASSWORD", "demo-receipt-service", shown="giá trị minh họa")
CCHC_RECEIPT_PATTERN = env_str("CCHC_RECEIPT_PATTERN", "01BLP0-001")
CCHC_RECEIPT_SERIES = env_str("CCHC_RECEIPT_SERIES", "BS-26E")
CCHC_RECEIPT_TAX_CODE = env_str("CCHC_RECEIPT_TAX_CODE", "0100000000-001", shown="giá trị minh họa")
# The IPN endpoint needs no login: requests allowed per client address per minute (VNPAY sends a few).
CCHC_IPN_RATE_PER_MINUTE = env_int("CCHC_IPN_RATE_PER_MINUTE", 60, minimum=1)

# Cache (rate limits, calendar): Redis when REDIS_URL is set, else per-process memory. "shared" holds
# what the task worker computes ahead for the web processes: Redis too, else a database table
# (`manage.py createcachetable`, run by `make run`; the test database gets it when created).
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "shared": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cchc_shared_cache"},
    }

# News (Wagtail). The CMS lives at /cms/; articles are served under /tin-tuc/.
WAGTAIL_SITE_NAME = CCHC_SITE_NAME or "Cổng dịch vụ công"
WAGTAILADMIN_BASE_URL = CCHC_PUBLIC_URL
WAGTAIL_I18N_ENABLED = False
# Wagtail's documents go through its serve view (privacy rules), never a direct storage URL.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "png", "jpg", "jpeg"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: the CSP allows images from the site only, so its avatars showed broken; Wagtail's own
# default avatar (or one the editor uploads) is shown instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# The CMS's date boxes show and take dates as dd/mm/yyyy like the rest of the site (issue 14); both
# formats are the first of the Vietnamese DATE_INPUT_FORMATS and DATETIME_INPUT_FORMATS (cchc.core.formats).
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"

# Personal data (cchc.privacy): hours the reform officer has to handle a request to correct or delete.
CCHC_DATA_REQUEST_HOURS = env_int("CCHC_DATA_REQUEST_HOURS", 72, minimum=1)

# Administrative reform (cchc.reform): the PAR Index the Department aims for (points out of 100).
CCHC_PAR_TARGET = env_float("CCHC_PAR_TARGET", 80, minimum=0, maximum=100)
# The PAR Index's bands as JSON [[minimum, label], ...], highest first; empty: the built-in
# ≥ 90 Xuất sắc, ≥ 80 Tốt, ≥ 70 Khá, otherwise Yếu (cchc.reform.scoring.DEFAULT_BANDS).
CCHC_PAR_BANDS = env_json("CCHC_PAR_BANDS", None)
# The largest PAR evidence file, in MB; by default the dossier attachment limit.
CCHC_PAR_EVIDENCE_MAX_BYTES = (
    1024
    * 1024
    * env_int(
        "CCHC_PAR_EVIDENCE_MAX_MB", CCHC_UPLOAD_MAX_BYTES // (1024 * 1024), minimum=1, shown="= `CCHC_UPLOAD_MAX_MB`"
    )
)
# The Decision 766 service index's weights and thresholds, as JSON {"code": {"max": n, "threshold": x}}
# merged over the defaults in cchc.reports.config; empty: the defaults. A group's indicators must keep
# adding up to the group's maximum on the national 100-point scale (docs/service-index.md).
CCHC_SERVICE_INDEX = env_json("CCHC_SERVICE_INDEX", {})
# Indicators only the national portal (Cổng DVCQG) measures: "entered" takes the figures the reform
# officer enters month by month (a month without one counts 0); "zero" always counts them 0. Either way
# they stay in the 100 points.
CCHC_SERVICE_INDEX_NATIONAL = env_str("CCHC_SERVICE_INDEX_NATIONAL", "entered", choices=("entered", "zero"))
# Procedure review: thresholds flagging a simplification candidate, as JSON merged key by key over
# cchc.simplification.evidence.DEFAULT_THRESHOLDS; empty: the defaults.
CCHC_SIMPLIFICATION_THRESHOLDS = env_json("CCHC_SIMPLIFICATION_THRESHOLDS", {})
# Plan tasks: calendar days before the deadline when the lead person and the unit head are reminded.
CCHC_TASK_REMINDER_DAYS = tuple(env_int_list("CCHC_TASK_REMINDER_DAYS", [7, 1], minimum=0))
# Initiatives: months of each indicator compared before and after the start of an initiative.
CCHC_INITIATIVE_WINDOW_MONTHS = env_int("CCHC_INITIATIVE_WINDOW_MONTHS", 3, minimum=1)
# Reports: minutes between two refreshes of the dashboards' rollups and the stored index of the year
# and month so far (reports.tasks.refresh_rollups); pages accept a snapshot up to twice as old.
CCHC_REPORTS_REFRESH_MINUTES = env_float("CCHC_REPORTS_REFRESH_MINUTES", 60, minimum=1)
