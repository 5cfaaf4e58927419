"""The providers' calls back to the merchant (CCHC), over HTTP, each one recorded.

A real gateway sends its notification to the URL the merchant registered; here that is CCHC's path
under `SIMULATOR_CCHC_URL` (changed at run time by `POST /_sim/config`, as a tester would change
the merchant's settings at the provider). Every call is kept as a `Callback` row with what the
merchant answered, so a test or a developer can see what was sent (`GET /_sim/callbacks`).
"""

import json
import logging
from urllib.parse import urlencode

from django.conf import settings

from cchc.core import http

from .models import Callback

logger = logging.getLogger(__name__)

_runtime: dict[str, object] = {}


def cchc_url() -> str:
    return str(_runtime.get("cchc_url") or settings.SIMULATOR_CCHC_URL).rstrip("/")


def deliver_enabled() -> bool:
    value = _runtime.get("deliver")
    return settings.SIMULATOR_DELIVER_CALLBACKS if value is None else bool(value)


def configure(*, merchant_url: str | None = None, deliver: bool | None = None) -> dict:
    """Change where and whether callbacks go (until the server stops); returns the configuration."""
    if merchant_url is not None:
        _runtime["cchc_url"] = merchant_url.rstrip("/")
    if deliver is not None:
        _runtime["deliver"] = deliver
    return {"cchc_url": cchc_url(), "deliver": deliver_enabled()}


def call_back(
    *,
    service: str,
    reference: str,
    path: str,
    query: dict | str | None = None,
    json_body: dict | None = None,
    lose: bool = False,
) -> Callback:
    """Send one notification to the merchant (GET with a query string, or POST JSON) and record it."""
    if isinstance(query, dict):
        query = urlencode(query)
    url = cchc_url() + path + ("?" + query if query else "")
    body = json.dumps(json_body, ensure_ascii=False) if json_body is not None else ""
    row = Callback(
        service=service,
        reference=reference,
        method="POST" if json_body is not None else "GET",
        url=url,
        content_type="application/json" if json_body is not None else "",
        body=body,
        status=Callback.Status.LOST if lose else Callback.Status.HELD,
    )
    if not lose and deliver_enabled():
        try:
            answer = http.send(row.method, url, json_body=json_body, timeout=15)
        except http.ProviderUnreachable as exc:
            logger.warning("the merchant did not answer the %s callback: %s", service, exc)
            row.status, row.answer = Callback.Status.FAILED, str(exc)[:1000]
        else:
            row.status, row.answer_status, row.answer = Callback.Status.DELIVERED, answer.status, answer.text[:2000]
    row.save()
    return row
