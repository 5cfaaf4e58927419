"""The one switch of the outside services' simulators, where they are, and a `requests` session for
django-allauth.

Each provider (VNPAY, PayGov, the e-receipt providers, VNeID, DVCQG, VNPost, …) is an interface in the
app that owns it, configured by environment settings; its real endpoint and its simulator differ only
in those settings. While `CCHC_SIMULATORS` is on, a provider whose URL is empty uses its simulator on
the simulator server (`cchc.simulators`, a process of its own at `CCHC_SIMULATOR_URL`, one prefix per
service: VNPAY, PayGov, the e-receipts, VNeID, SMS, Zalo, DVCQG, VNPost): `simulator_url(service)`.
This site serves no simulator itself.

Adapters send through `cchc.core.http.send`; django-allauth's OpenID Connect (VNeID) speaks
`requests`, so `http_session()` gives it a session whose transport is that same
`cchc.core.http.transport`. One function moves every byte: the suite's `simulated_http` fixture sends
what goes to the simulator server there.
"""

import functools

import requests
from django.conf import settings

from . import http


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
    """Providers without a configured URL use their simulators (never in production)."""
    return bool(settings.CCHC_SIMULATORS)


def simulator_url(service: str) -> str:
    """The base address of a service on the simulator server (`vnpay`, `paygov`, `hoa-don/vnpt`, `vneid`,
    `dvcqg`, `vnpost`…)."""
    return f"{settings.CCHC_SIMULATOR_URL}/{service}"
