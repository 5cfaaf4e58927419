"""When the database or the cache is away: 503, in the API's JSON or as a Vietnamese page.

Whatever fails because a backing service is unreachable (PostgreSQL down or restarting, Redis
down) is an outage, not a bug in the request: the client should retry, and nothing was changed
(every write is one transaction). Django turns an exception inside any middleware or view into a
500 response before the outermost middleware sees it, so `record_failure` (a receiver of
`got_request_exception`) keeps the exception on the request, and `OutageMiddleware` replaces that
500 (DEBUG's traceback page included) with the 503. The API's own exception handler answers the same
503 for failures inside an endpoint.
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .errors import error_payload

logger = logging.getLogger(__name__)

OUTAGES = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
RETRY_AFTER_SECONDS = 30


def is_outage(exc: BaseException | None) -> bool:
    """Whether `exc` (or what caused it) says a backing service could not be reached."""
    while exc is not None:
        if isinstance(exc, OUTAGES):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def outage_message() -> str:
    return _(
        "Hệ thống tạm thời gián đoạn (cơ sở dữ liệu hoặc bộ nhớ đệm không phản hồi); "
        "không có dữ liệu nào bị thay đổi. Vui lòng thử lại sau ít phút."
    )


def outage_json(status: int = 503) -> JsonResponse:
    response = JsonResponse(
        error_payload(outage_message(), "service_unavailable"), status=status, json_dumps_params={"ensure_ascii": False}
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def outage_page() -> HttpResponse:
    # Rendered without the request: the context processors would reach for the session and the database.
    response = HttpResponse(render_to_string("503.html"), status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@receiver(got_request_exception)
def record_failure(sender, request=None, **kwargs) -> None:
    if request is not None:
        request.cchc_failure = sys.exc_info()[1]


class OutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and is_outage(getattr(request, "cchc_failure", None)):
            logger.error("outage: %s %s answered 503: %r", request.method, request.path, request.cchc_failure)
            return outage_json() if request.path.startswith("/api/") else outage_page()
        return response
