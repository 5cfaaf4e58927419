"""Public reads served through a shorter middleware chain.

The public status lookup (`GET /api/v1/dossiers/<code>/status`) is anonymous, cookie-less and
read-only, and the most frequent request from outside: anyone with a dossier code polls it.
Sessions, the user, CSRF, messages, allauth's login stages and the session timeouts have
nothing to do on it, yet walking them cost more than the lookup's own query. `application`
serves such requests through a second Django handler built from the same `settings.MIDDLEWARE`
less `SKIPPED`; every other request goes through the whole chain. A middleware added to the
settings later is in both chains unless it is named here.

Kept on the short chain: the request id and its log line, the outage answer, the metrics,
SecurityMiddleware (HTTPS redirect, HSTS, nosniff), the CSP and frame headers, the language
(the labels follow Accept-Language), CommonMiddleware (the Host header check) and the API's
guard (NUL refusal, JSON errors). The view keeps its own rate limit.
"""

import re

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler, get_path_info

# Paths answered through the short chain, for GET and HEAD only.
PUBLIC_READS = re.compile(r"^/api/v1/dossiers/[^/]+/status$")
SAFE_METHODS = frozenset({"GET", "HEAD"})

# What an anonymous read without a session does not need.
SKIPPED = frozenset(
    {
        "whitenoise.middleware.WhiteNoiseMiddleware",  # static files only, under /static/
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",  # GET and HEAD are never checked
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "allauth.account.middleware.AccountMiddleware",
        "cchc.accounts.middleware.SessionSecurityMiddleware",
    }
)


def public_read_middleware() -> list[str]:
    return [path for path in settings.MIDDLEWARE if path not in SKIPPED]


class PublicReadHandler(WSGIHandler):
    """Django's WSGI handler over the short chain."""

    def load_middleware(self, is_async=False):
        # BaseHandler reads settings.MIDDLEWARE; it is swapped only while the chain is built, once, at
        # start-up (allauth checks the setting itself names its middleware, so it must stay whole).
        whole = settings.MIDDLEWARE
        settings.MIDDLEWARE = public_read_middleware()
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = whole


def is_public_read(environ) -> bool:
    """`environ` is the WSGI request's (PEP 3333: REQUEST_METHOD is always there)."""
    if environ["REQUEST_METHOD"] not in SAFE_METHODS:
        return False
    return PUBLIC_READS.match(get_path_info(environ)) is not None


def with_public_reads(whole):
    """The WSGI application: public reads through the short chain, the rest through `whole`."""
    short = PublicReadHandler()

    def application(environ, start_response):
        if is_public_read(environ):
            return short(environ, start_response)
        return whole(environ, start_response)

    return application
