"""The public API under /api/v1/ and its single error format.

Every refusal answers `{"detail": <Vietnamese message>, "code": <stable code>, "errors": [...]}`
with a 4xx status; nothing reaches the client as a 500 with a traceback.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer

from cchc.accounts.api import router as auth_router
from cchc.accounts.api_agencies import router as agencies_router
from cchc.core.api import router as calendar_router
from cchc.core.errors import ApplicationError, error_payload
from cchc.core.middleware import BODY_ERRORS, body_error, json_error
from cchc.core.outage import is_outage, outage_json
from cchc.dossiers.api import router as dossiers_router
from cchc.initiatives.api import router as initiatives_router
from cchc.messaging.api import router as messaging_router
from cchc.news.api import router as news_router
from cchc.payments.api import dossier_router as dossier_payments_router
from cchc.payments.api import ipn_router as payments_router
from cchc.plans.api import router as plans_router
from cchc.privacy.api import router as privacy_router
from cchc.procedures.api import router as procedures_router
from cchc.reform.api import router as reform_router
from cchc.reports.api import router as reports_router
from cchc.results.api import dossier_router as dossier_results_router
from cchc.results.api import router as results_router
from cchc.simplification.api import router as simplification_router


class UnicodeJSONRenderer(JSONRenderer):
    """Vietnamese text stays readable in responses instead of \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


ERROR_SCHEMA = {
    "type": "object",
    "title": "ApiError",
    "properties": {
        "detail": {"type": "string", "description": "Thông báo bằng tiếng Việt"},
        "code": {"type": "string", "description": "Mã lỗi ổn định"},
        "errors": {"type": "array", "items": {}},
    },
    "required": ["detail", "code", "errors"],
}


def with_error_responses(schema: dict) -> dict:
    """Declare, on every operation, the refusals any endpoint can answer: 400 (input it cannot read:
    a broken body, a NUL character, text too long, a bad parameter), 401 where a login is needed,
    403 on a write with a login (a browser session without its CSRF token), 404 where the path names
    something. Each answers the one error JSON."""
    schema.setdefault("components", {}).setdefault("schemas", {})["ApiError"] = ERROR_SCHEMA
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
    messages = {
        "400": "Dữ liệu gửi lên không hợp lệ",
        "401": "Cần đăng nhập",
        "403": "Không có quyền (hoặc thiếu mã CSRF khi dùng phiên đăng nhập của trình duyệt)",
        "404": "Không tìm thấy",
    }
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            secured = bool(operation.get("security"))
            needed = ["400"] + (["401"] if secured else []) + (["404"] if "{" in path else [])
            if secured and method.lower() in ("post", "put", "patch", "delete"):
                needed.append("403")  # a session-authenticated write without its CSRF token
            responses = operation.setdefault("responses", {})
            for status in needed:
                if status not in responses and int(status) not in responses:
                    responses[status] = {"description": messages[status], "content": error}
    return schema


class Api(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return with_error_responses(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = Api(
    renderer=UnicodeJSONRenderer(),
    title="CCHC API",
    version="1",
    description="Dịch vụ công và một cửa điện tử: danh mục thủ tục, lịch làm việc, hồ sơ.",
    urls_namespace="api",
    docs_url="/docs",
)


logger = logging.getLogger(__name__)


def _error(request, status: int, message: str, code: str, errors: list | None = None):
    return api.create_response(request, error_payload(message, code, errors), status=status)


@api.exception_handler(ApplicationError)
def on_application_error(request, exc: ApplicationError):
    return _error(request, exc.status, exc.message, exc.code, exc.details)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    problems = []
    for error in exc.errors:
        location = ".".join(str(part) for part in error.get("loc", ()) if part not in ("query", "body", "path"))
        problems.append(_("Trường %(field)s không hợp lệ.") % {"field": location or "?"})
    return _error(request, 400, _("Dữ liệu gửi lên không hợp lệ."), "invalid_input", problems)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, _("Không tìm thấy."), "not_found")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return _error(request, 401, _("Cần đăng nhập."), "unauthenticated")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _error(request, exc.status_code, str(exc), "http_error")


@api.exception_handler(DjangoPermissionDenied)
def on_forbidden(request, exc):
    return _error(request, 403, _("Bạn không có quyền thực hiện thao tác này."), "forbidden")


def on_unreadable_body(request, exc):
    """A body Django could not parse (broken multipart, too many files): the client's fault."""
    return body_error(exc)


for _body_error in BODY_ERRORS:
    api.add_exception_handler(_body_error, on_unreadable_body)


@api.exception_handler(Exception)
def on_unexpected_error(request, exc):
    """Never a traceback, not even with DEBUG on: the error goes to the log, the client gets JSON
    (503 when the database or the cache could not be reached: the client should retry)."""
    if is_outage(exc):
        logger.error("API %s %s: outage: %r", request.method, request.path, exc)
        return outage_json()
    logger.exception("API %s %s failed", request.method, request.path)
    return _error(request, 500, _("Lỗi hệ thống; vui lòng thử lại sau."), "server_error")


api.add_router("/procedures", procedures_router)
api.add_router("/agencies", agencies_router)
api.add_router("/calendar", calendar_router)
api.add_router("/dossiers", dossiers_router)
api.add_router("/dossiers", dossier_payments_router)
api.add_router("/payments", payments_router)
api.add_router("/notifications", messaging_router)
api.add_router("/dossiers", dossier_results_router)
api.add_router("/results", results_router)
api.add_router("/auth", auth_router)
api.add_router("/reports", reports_router)
api.add_router("/reform", reform_router)
api.add_router("/plans", plans_router)
api.add_router("/initiatives", initiatives_router)
api.add_router("/simplification", simplification_router)
api.add_router("/news", news_router)
api.add_router("/me", privacy_router)


def api_not_found(request, *args, **kwargs):
    """Any address under /api/ that no endpoint answers: the error JSON, never the site's 404 page."""
    return json_error(404, _("Không tìm thấy."), "not_found")
