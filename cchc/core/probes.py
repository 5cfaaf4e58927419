"""`/healthz`, `/readyz` and `/metrics`, answered before the rest of the middleware.

They come from load balancers, orchestrators and Prometheus, which call the server by its address
(not a host name in ALLOWED_HOSTS) and over plain HTTP inside the installation (no HTTPS redirect),
and they need neither a session nor a user; `ProbeMiddleware` sits near the top of MIDDLEWARE and
answers them itself.

- `GET /healthz`: 200 while the process can answer (it touches nothing else).
- `GET /readyz`: each check of `cchc.core.health` with its state; 200 when all pass, else 503.
- `GET /metrics`: Prometheus text; with `CCHC_METRICS_TOKEN` set, only for `Authorization: Bearer <token>`.
"""

import hmac

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from prometheus_client import CONTENT_TYPE_LATEST

from .errors import error_payload
from .health import readiness
from .metrics import metrics_text


def healthz(request) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def readyz(request) -> JsonResponse:
    ready, checks = readiness()
    return JsonResponse({"status": "ok" if ready else "failing", "checks": checks}, status=200 if ready else 503)


def metrics(request) -> HttpResponse:
    token = settings.CCHC_METRICS_TOKEN
    if token:
        offered = request.META.get("HTTP_AUTHORIZATION", "")
        if not hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
            response = JsonResponse(
                error_payload(_("Cần khóa truy cập số liệu giám sát."), "unauthenticated"),
                status=401,
                json_dumps_params={"ensure_ascii": False},
            )
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)


PROBES = {"/healthz": healthz, "/readyz": readyz, "/metrics": metrics}


class ProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info.rstrip("/") or "/")
        if probe is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = JsonResponse(
                error_payload(_("Phương thức không được hỗ trợ."), "method_not_allowed"),
                status=405,
                json_dumps_params={"ensure_ascii": False},
            )
            response["Allow"] = "GET, HEAD"
            return response
        response = probe(request)
        response["Cache-Control"] = "no-store"
        return response
