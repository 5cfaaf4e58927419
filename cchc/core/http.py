"""Outbound HTTP for every provider adapter (payment platforms, e-receipts, SMS, Zalo, …).

One small function, `send`, so that:
- adapters never import an HTTP library themselves, and a timeout is always set;
- tests route every call to the local simulators through Django's test client
  (`cchc.core.testing.simulated_http`) and refuse anything else: no network in the suite;
- switching from a simulator to the real endpoint is only a different URL in the settings.

Nothing here talks to the network at import time.
"""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

DEFAULT_TIMEOUT_SECONDS = 15
MAX_ANSWER_BYTES = 5_000_000  # a receipt PDF fits; anything bigger is not an answer we want


class ProviderUnreachable(Exception):
    """The provider could not be reached, or answered something unreadable."""


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        try:
            return json.loads(self.content.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ProviderUnreachable("the provider answered something that is not JSON") from exc

    def json_object(self) -> dict:
        answer = self.json()
        if not isinstance(answer, dict):
            raise ProviderUnreachable("the provider answered a JSON value that is not an object")
        return answer


def _urlopen(method: str, url: str, body: bytes | None, headers: dict[str, str], timeout: float) -> HttpAnswer:
    """The real transport (urllib); tests replace `transport` instead."""
    request = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310 - scheme checked
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return HttpAnswer(response.status, response.read(MAX_ANSWER_BYTES), dict(response.headers.items()))
    except urllib.error.HTTPError as exc:  # an answer all the same (4xx/5xx): the adapter decides
        return HttpAnswer(exc.code, exc.read(MAX_ANSWER_BYTES), dict(exc.headers.items()))
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ProviderUnreachable(f"unreachable: {exc}") from exc


# The function that moves bytes; `cchc.core.testing.simulated_http` replaces it in tests.
transport = _urlopen


def send(
    method: str,
    url: str,
    *,
    json_body: Any = None,
    form: dict[str, str] | None = None,
    body: bytes | None = None,
    content_type: str = "",
    headers: dict[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> HttpAnswer:
    """One request: a JSON body, a urlencoded form, or raw bytes with their content type."""
    if not url.startswith(("https://", "http://")):
        raise ProviderUnreachable(f"unsupported URL: {url!r}")
    all_headers = {"Accept": "application/json, application/xml, application/pdf, */*", **(headers or {})}
    if json_body is not None:
        body = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
        content_type = "application/json; charset=utf-8"
    elif form is not None:
        body = urlencode(form).encode("utf-8")
        content_type = "application/x-www-form-urlencoded"
    if content_type:
        all_headers["Content-Type"] = content_type
    return transport(method.upper(), url, body, all_headers, timeout)


def post_json(
    url: str, payload: Any, *, headers: dict[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT_SECONDS
):
    """POST JSON and return the JSON object answered (a non-2xx status is unreachable)."""
    answer = send("POST", url, json_body=payload, headers=headers, timeout=timeout)
    if not 200 <= answer.status < 300:
        raise ProviderUnreachable(f"HTTP {answer.status} from {url}")
    return answer.json_object()
