"""The API answers JSON, whatever reaches it.

`ApiGuardMiddleware`, for paths under `/api/` only:
- refuses a request whose path, query, form fields or JSON strings hold a NUL character (a
  database refuses to store it; PostgreSQL would fail the request);
- reads the form body once, so a broken multipart body, too many files or fields, or a body
  over the limit is a 400 with the error JSON instead of an exception in the endpoint;
- turns any HTML error page Django would send (an unknown address, a refused host, a server
  error) into the error JSON with the same status.
"""

import json

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from django.http import JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import error_payload

API_PREFIX = "/api/"
NUL = "\x00"


def json_error(status: int, message: str, code: str, errors: list | None = None) -> JsonResponse:
    return JsonResponse(error_payload(message, code, errors), status=status, json_dumps_params={"ensure_ascii": False})


def body_error(exc: Exception) -> JsonResponse:
    """The 400 for a request body Django could not read."""
    if isinstance(exc, TooManyFilesSent):
        return json_error(400, _("Gửi quá nhiều tệp trong một yêu cầu."), "too_many_files")
    if isinstance(exc, TooManyFieldsSent):
        return json_error(400, _("Gửi quá nhiều trường trong một yêu cầu."), "too_many_fields")
    if isinstance(exc, RequestDataTooBig):
        return json_error(400, _("Dữ liệu gửi lên quá lớn."), "request_too_large")
    return json_error(400, _("Nội dung yêu cầu không đúng định dạng (multipart/form-data hỏng)."), "malformed_body")


BODY_ERRORS = (MultiPartParserError, SuspiciousOperation, UnreadablePostError)


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def _form_has_nul(querydict) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in querydict.lists())


def _nul_refusal() -> JsonResponse:
    return json_error(400, _("Dữ liệu gửi lên chứa ký tự NUL (\\0), không được chấp nhận."), "nul_character")


STATUS_CODES = {
    400: ("bad_request", gettext_lazy("Yêu cầu không hợp lệ.")),
    403: ("forbidden", gettext_lazy("Bạn không có quyền thực hiện thao tác này.")),
    404: ("not_found", gettext_lazy("Không tìm thấy.")),
    405: ("method_not_allowed", gettext_lazy("Phương thức không được hỗ trợ.")),
    413: ("request_too_large", gettext_lazy("Dữ liệu gửi lên quá lớn.")),
    500: ("server_error", gettext_lazy("Lỗi hệ thống; vui lòng thử lại sau.")),
}


class ApiGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        refusal = self._refuse(request)
        response = refusal or self.get_response(request)
        return self._as_json(response)

    def _refuse(self, request) -> JsonResponse | None:
        if NUL in request.path or _form_has_nul(request.GET):
            return _nul_refusal()
        if request.method in ("GET", "HEAD", "OPTIONS", "DELETE"):
            return None
        content_type = request.content_type or ""
        if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            try:
                form = request.POST
                request.FILES  # noqa: B018 - read now, so a broken body is refused here
            except BODY_ERRORS as exc:
                return body_error(exc)
            return _nul_refusal() if _form_has_nul(form) else None
        if content_type == "application/json":
            try:
                data = json.loads(request.body or b"null")
            except (ValueError, UnicodeDecodeError):
                return None  # the endpoint's parser answers the syntax error
            except BODY_ERRORS as exc:
                return body_error(exc)
            return _nul_refusal() if _has_nul(data) else None
        return None

    def _as_json(self, response):
        content_type = response.get("Content-Type", "")
        if response.status_code < 400 or not content_type.startswith("text/html"):
            return response
        code, message = STATUS_CODES.get(response.status_code, ("error", gettext_lazy("Yêu cầu không thành công.")))
        converted = json_error(response.status_code, str(message), code)
        for header in ("Retry-After", "Allow"):
            if header in response:
                converted[header] = response[header]
        return converted
