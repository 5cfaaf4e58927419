"""Delivery reports from the SMS brandname and Zalo providers (server to server, no login).

- `POST /api/v1/notifications/reports/sms`: `{REQID, MOBILE, STATUS (DELIVRD | UNDELIV | …),
  ERROR_DESC, DONE_TIME}`, signed `X-CCHC-Signature` = HMAC-SHA256 of the body with
  `CCHC_SMS_REPORT_SECRET` (the telco's own report shape is not public: agreed with it).
- `POST /api/v1/notifications/reports/zalo`: Zalo's webhook event (`user_received_message` with
  `message.msg_id`), signed `X-ZEvent-Signature: mac=sha256(app_id + body + timestamp + OA secret)`.

Both always answer 200 `{"outcome"}` once stored (a repeat is counted, never applied twice) and
are rate-limited per address.
"""

from django.conf import settings
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja import Router, Schema

from cchc.audit.services import client_ip
from cchc.core import ratelimit
from cchc.core.errors import TooManyRequests

from .models import Channel
from .services import delivery_report_record

router = Router(tags=["Thông báo"])


class ReportOut(Schema):
    outcome: str


class ErrorOut(Schema):
    detail: str
    code: str
    errors: list


def _body(request) -> bytes:
    try:
        return request.body
    except RawPostDataException:  # a form body already read: not a report
        return b""


def _limit(request) -> None:
    if not ratelimit.hit(scope="delivery", key=client_ip(request) or "", limit=settings.CCHC_IPN_RATE_PER_MINUTE):
        raise TooManyRequests(_("Quá nhiều yêu cầu; vui lòng thử lại sau."))


@router.post(
    "/reports/sms",
    response={200: ReportOut, 429: ErrorOut},
    url_name="delivery_report_sms",
    summary="Báo cáo gửi tin SMS thương hiệu (nhà mạng gọi)",
    description="Thân JSON {REQID, STATUS, ERROR_DESC}; chữ ký `X-CCHC-Signature` (HMAC-SHA256 với "
    "`CCHC_SMS_REPORT_SECRET`). Kết quả: applied, already_reported, unknown_message, bad_signature, unreadable.",
)
def sms_report(request):
    _limit(request)
    outcome = delivery_report_record(
        channel=Channel.SMS, body=_body(request), signature=request.headers.get("X-CCHC-Signature", "")
    )
    return {"outcome": outcome}


@router.post(
    "/reports/zalo",
    response={200: ReportOut, 429: ErrorOut},
    url_name="delivery_report_zalo",
    summary="Sự kiện Zalo (webhook): tin ZNS đã đến người nhận",
    description="Sự kiện `user_received_message` với `message.msg_id`; chữ ký `X-ZEvent-Signature` "
    "(mac=sha256(app_id + nội dung + timestamp + khóa bí mật OA)), `X-ZEvent-Timestamp`.",
)
def zalo_report(request):
    _limit(request)
    outcome = delivery_report_record(
        channel=Channel.ZALO,
        body=_body(request),
        signature=request.headers.get("X-ZEvent-Signature", ""),
        timestamp=request.headers.get("X-ZEvent-Timestamp", ""),
    )
    return {"outcome": outcome}
