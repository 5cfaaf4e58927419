"""System checks that refuse an inconsistent production configuration at start-up.

They run with every management command (migrate, db_worker, run_scheduler…) and, through
`refuse_to_serve_if_misconfigured`, when the WSGI application is loaded by the production server.
Errors stop the process; warnings are printed. Only `config.settings.production` (CCHC_PRODUCTION)
is held to them: development and the test suite keep their convenient defaults.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

DEVELOPMENT_SECRET_KEYS = {"dev-only-insecure-key-change-me", "test-only-key"}
SECRET_KEY_MIN_LENGTH = 50
LOCAL_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


def _error(message: str, hint: str, number: int) -> checks.Error:
    return checks.Error(message, hint=hint, id=f"cchc.E{number:03d}")


def _warning(message: str, hint: str, number: int) -> checks.Warning:
    return checks.Warning(message, hint=hint, id=f"cchc.W{number:03d}")


@checks.register()
def check_production_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if not settings.CCHC_PRODUCTION:
        return []
    return [
        *_secrets_and_debug(),
        *_shared_services(),
        *_public_address(),
        *_simulators(),
        *_development_leftovers(),
    ]


def _secrets_and_debug() -> list[checks.CheckMessage]:
    problems = []
    if settings.DEBUG:
        problems.append(
            _error(
                "DJANGO_DEBUG is on in production: error pages would show code, settings and citizens' data.",
                "Remove DJANGO_DEBUG or set it to false.",
                1,
            )
        )
    key = settings.SECRET_KEY
    if key in DEVELOPMENT_SECRET_KEYS or len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < 5:
        problems.append(
            _error(
                f"DJANGO_SECRET_KEY is too weak (at least {SECRET_KEY_MIN_LENGTH} random characters are needed).",
                "Generate one: python -c 'import secrets; print(secrets.token_urlsafe(64))'.",
                2,
            )
        )
    if not settings.CCHC_AUDIT_HMAC_KEY:
        problems.append(
            _error(
                "CCHC_AUDIT_HMAC_KEY is empty: the audit chain's key would be derived from DJANGO_SECRET_KEY, "
                "so rotating that key would make every past event fail verification.",
                "Set CCHC_AUDIT_HMAC_KEY to a long random value and never change it.",
                3,
            )
        )
    return problems


def _shared_services() -> list[checks.CheckMessage]:
    problems = []
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        problems.append(
            _error(
                "The database is SQLite: production runs several web processes, workers and servers on PostgreSQL.",
                "Set DATABASE_URL=postgres://user:password@host:5432/cchc.",
                4,
            )
        )
    if settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
        problems.append(
            _error(
                "The cache is each process's own memory: rate limits would be counted per process and what "
                "the workers compute ahead would not reach the web processes.",
                "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0).",
                5,
            )
        )
    return problems


def _public_address() -> list[checks.CheckMessage]:
    problems = []
    public = urlsplit(settings.CCHC_PUBLIC_URL)
    if public.scheme not in {"http", "https"} or not public.hostname:
        return [
            _error(
                f"CCHC_PUBLIC_URL {settings.CCHC_PUBLIC_URL!r} is not an address.", "e.g. https://dvc.example.gov.vn", 6
            )
        ]
    if not validate_host(public.hostname, settings.ALLOWED_HOSTS):
        problems.append(
            _error(
                f"CCHC_PUBLIC_URL's host {public.hostname!r} is not in DJANGO_ALLOWED_HOSTS: every link in the "
                "notifications would be refused.",
                "Add it to DJANGO_ALLOWED_HOSTS.",
                7,
            )
        )
    if public.scheme == "http" and settings.SESSION_COOKIE_SECURE:
        problems.append(
            _error(
                "Cookies are sent over HTTPS only (DJANGO_SECURE_COOKIES) but CCHC_PUBLIC_URL is http: nobody "
                "could stay logged in.",
                "Serve the site over HTTPS and set CCHC_PUBLIC_URL=https://…, or DJANGO_SECURE_COOKIES=false "
                "on a closed network.",
                8,
            )
        )
    if public.scheme == "http" and not settings.SESSION_COOKIE_SECURE:
        problems.append(
            _warning(
                "The site is served without TLS (CCHC_PUBLIC_URL is http): passwords and citizens' data cross "
                "the network in clear.",
                "Terminate TLS in nginx with the province's certificate and set CCHC_PUBLIC_URL=https://….",
                1,
            )
        )
    return problems


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def provider_urls() -> dict[str, str]:
    """Each configured provider address (docs/integrations.md), by the setting that holds it."""
    urls = {
        "VNPAY_PAY_URL": settings.VNPAY_PAY_URL,
        "VNPAY_API_URL": settings.VNPAY_API_URL,
        "PAYGOV_API_URL": settings.PAYGOV_API_URL,
        "CCHC_RECEIPT_URL": settings.CCHC_RECEIPT_URL,
        "OIDC_SERVER_URL": settings.OIDC_PROVIDER["settings"]["server_url"],
        "DVCQG_AUTH_URL": settings.DVCQG_AUTH_URL,
        "DVCQG_INTEGRATION_URL": settings.DVCQG_INTEGRATION_URL,
        "DVCQG_SHARE_URL": settings.DVCQG_SHARE_URL,
        "VNPOST_URL": settings.VNPOST_URL,
        "CCHC_SMS_URL": settings.CCHC_SMS_URL,
        "CCHC_ZALO_URL": settings.CCHC_ZALO_URL,
    }
    return {name: url for name, url in urls.items() if url}


def _simulators() -> list[checks.CheckMessage]:
    """Production never talks to a simulator: not through the switch, not through an address."""
    problems = []
    if settings.CCHC_SIMULATORS:
        problems.append(
            _error(
                "The simulators are on (CCHC_SIMULATORS, or its former name CCHC_PAYMENT_SIMULATOR): a fee "
                "could be marked paid without paying and a test identity could sign in as a verified citizen.",
                "Set CCHC_SIMULATORS=false and configure each provider's address (docs/integrations.md).",
                9,
            )
        )
    simulator = _origin(settings.CCHC_SIMULATOR_URL)
    for name, url in provider_urls().items():
        if simulator and _origin(url) == simulator:
            problems.append(
                _error(
                    f"{name} points to a simulator ({url}).",
                    "Set it to the provider's real address (docs/integrations.md).",
                    10,
                )
            )
    return problems


def _development_leftovers() -> list[checks.CheckMessage]:
    problems = []
    if settings.CCHC_SIGNING_P12_PASSWORD == "demo12345":  # noqa: S105 - the documented demo password
        problems.append(
            _warning(
                "Electronic results are signed with the demo certificate's password: the demo certificate is "
                "probably still in use.",
                "Set CCHC_SIGNING_P12_PATH and CCHC_SIGNING_P12_PASSWORD to the agency's certificate.",
                3,
            )
        )
    if settings.EMAIL_BACKEND in LOCAL_EMAIL_BACKENDS:
        problems.append(
            _warning(
                "Notification emails are not sent (EMAIL_BACKEND writes them locally).",
                "Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST.",
                4,
            )
        )
    if not settings.CCHC_METRICS_TOKEN:
        problems.append(
            _warning(
                "/metrics is open to anyone who can reach the server: it shows each agency's dossier figures.",
                "Set CCHC_METRICS_TOKEN and give Prometheus the same value as its bearer token.",
                5,
            )
        )
    return problems


def refuse_to_serve_if_misconfigured() -> None:
    """Run the system checks (as `manage.py` does before every command) and refuse to start serving on
    an error: the production server loads the WSGI application without running any command."""
    serious = [m for m in checks.run_checks() if m.is_serious() and not m.is_silenced()]
    if serious:
        raise ImproperlyConfigured("System check identified problems:\n" + "\n".join(str(m) for m in serious))
