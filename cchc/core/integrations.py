"""The switch of the national systems' local simulators, and a `requests` session for django-allauth.

Each provider (VNeID, DVCQG, VNPost, …) is an interface in the app that owns it, configured by
environment settings; its real endpoint and its simulator differ only in those settings. Adapters send
through `cchc.core.http.send`; django-allauth's OpenID Connect (VNeID) speaks `requests`, so
`http_session()` gives it a session whose transport is that same `cchc.core.http.transport`. One
function moves every byte, and the suite's `simulated_http` fixture answers all of it through the
test client.

The simulators are small views under `/gia-lap/<system>/`, served by the same server as the site
(like the VNPAY simulator at `/thanh-toan/gia-lap/`), so `make run` starts them with everything else.
They answer only when `simulators_enabled()`; otherwise 404.
"""

import functools

import requests
from django.conf import settings
from django.http import Http404

from . import http

SIMULATOR_PREFIX = "/gia-lap"


class _Transport(requests.adapters.BaseAdapter):
    """Hands a `requests` request to `cchc.core.http.transport` (looked up at each call)."""

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        if isinstance(timeout, tuple):
            timeout = max(t for t in timeout if t is not None) if any(timeout) else None
        body = request.body.encode() if isinstance(request.body, str) else request.body
        try:
            answer = http.transport(
                request.method, request.url, body, dict(request.headers), timeout or http.DEFAULT_TIMEOUT_SECONDS
            )
        except http.ProviderUnreachable as exc:
            raise requests.ConnectionError(str(exc), request=request) from exc
        response = requests.Response()
        response.status_code = answer.status
        response.headers = requests.structures.CaseInsensitiveDict(answer.headers)
        response._content = answer.content
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self):
        pass


def http_session() -> requests.Session:
    """A `requests` session over CCHC's one transport, with its timeout (for django-allauth)."""
    session = requests.Session()
    session.trust_env = False
    session.headers["User-Agent"] = "CCHC/1.0"
    transport = _Transport()
    session.mount("http://", transport)
    session.mount("https://", transport)
    session.request = functools.partial(session.request, timeout=http.DEFAULT_TIMEOUT_SECONDS)
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
