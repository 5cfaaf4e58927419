"""What every connection to a national system shares: the HTTP session, and the local simulators.

Each provider (VNeID, DVCQG, VNPost, …) is an interface in the app that owns it, configured by
environment settings; its real endpoint and its simulator differ only in those settings. Every
outgoing call goes through `http_session()`, the one place the tests replace (`conftest.py`,
fixture `simulators`), so the suite never reaches the network and exercises each simulator over
its HTTP protocol through Django's test client.

The simulators are small views under `/gia-lap/<system>/`, served by the same server as the site
(like the VNPAY simulator at `/thanh-toan/gia-lap/`), so `make run` starts them with everything
else. They answer only when `simulators_enabled()`; otherwise 404.
"""

import functools

import requests
from django.conf import settings
from django.http import Http404

HTTP_TIMEOUT_SECONDS = 15
SIMULATOR_PREFIX = "/gia-lap"


def http_session() -> requests.Session:
    """A session for calls to national systems: bounded by a timeout, no environment proxies guessed."""
    session = requests.Session()
    session.headers["User-Agent"] = "CCHC/1.0"
    session.request = functools.partial(session.request, timeout=HTTP_TIMEOUT_SECONDS)
    return session


def simulators_enabled() -> bool:
    """The local stand-ins for the national systems are served (never in production by default)."""
    return bool(settings.CCHC_SIMULATORS)


def simulator_url(system: str) -> str:
    """The base address of a simulator as the site's own server serves it."""
    return f"{settings.CCHC_PUBLIC_URL}{SIMULATOR_PREFIX}/{system}"


def simulator_only(view):
    """A simulator view: 404 unless the simulators are enabled."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not simulators_enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
