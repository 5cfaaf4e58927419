"""Local stand-ins for the SMS brandname API and Zalo ZNS, for the demo and the tests (never in
production; served only when the payment/provider simulators are enabled).

Each accepts its send shape, checks the credentials, records the message in an outbox
(`SimulatedMessage`) and answers the provider's success code; configured failures: a number
ending in 000 is refused as unreachable (SMS) or not on Zalo (ZNS). ZNS checks that the template
is known (registered: a `MessageTemplate` row of the channel) and that `template_data` holds
exactly its parameters. Then, like the providers, it sends a signed delivery report to our
callback (a number ending in 999 gets a "not delivered" report).
"""

import json
import logging
import secrets

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cchc.core import http

from .models import Channel, MessageTemplate, SimulatedMessage
from .services import sms_report_signature, zalo_event_signature

logger = logging.getLogger(__name__)


def _json(body: bytes) -> dict:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def sms(body: bytes) -> dict:
    request = _json(body).get("RQST") or {}

    def reply(error: str, description: str) -> dict:
        return {"RPLY": {"name": "send_sms_list", "ERROR": error, "ERROR_DESC": description}}

    if request.get("name") != "send_sms_list":
        return reply("1", "Sai định dạng yêu cầu")
    if request.get("APIUSER") != settings.CCHC_SMS_USERNAME or request.get("APIPASS") != settings.CCHC_SMS_PASSWORD:
        return reply("2", "Sai tài khoản API")
    if request.get("LABELID") != settings.CCHC_SMS_BRANDNAME:
        return reply("4", "Brandname chưa đăng ký")
    phone = str(request.get("MOBILELIST") or "")
    template_id = str(request.get("TEMPLATEID") or "")
    if not MessageTemplate.objects.filter(channel=Channel.SMS, provider_template_id=template_id).exists():
        return reply("5", "Mẫu tin chưa đăng ký")
    if phone.endswith("000"):
        return reply("3", "Số điện thoại không liên lạc được")
    request_id = str(request.get("REQID") or "")
    if not request_id:
        return reply("1", "Thiếu REQID")
    params = [str(item.get("CONTENT", "")) for item in request.get("PARAMS") or [] if isinstance(item, dict)]
    _, created = SimulatedMessage.objects.get_or_create(
        message_id=request_id,
        defaults={"channel": "sms", "phone": phone, "template_id": template_id, "content": " | ".join(params)},
    )
    if created:
        report = {
            "REQID": request_id,
            "MOBILE": phone,
            "STATUS": "UNDELIV" if phone.endswith("999") else "DELIVRD",
            "ERROR_DESC": "Máy không nhận tin" if phone.endswith("999") else "",
            "DONE_TIME": timezone.now().strftime("%Y%m%d%H%M%S"),
        }
        raw = json.dumps(report).encode()
        _push(reverse("api:delivery_report_sms"), raw, {"X-CCHC-Signature": sms_report_signature(raw)})
    return reply("0", "Thành công")


def zalo(body: bytes, *, access_token: str) -> dict:
    if access_token != settings.CCHC_ZALO_ACCESS_TOKEN:
        return {"error": -124, "message": "Access token is invalid"}
    data = _json(body)
    template = MessageTemplate.objects.filter(
        channel=Channel.ZALO, provider_template_id=str(data.get("template_id"))
    ).first()
    if template is None:
        return {"error": -1123, "message": "Template not found"}
    template_data = data.get("template_data")
    if not isinstance(template_data, dict) or set(template_data) != set(template.params):
        return {"error": -1124, "message": "Template data does not match the template's parameters"}
    phone = str(data.get("phone") or "")
    if phone.endswith("000"):
        return {"error": -108, "message": "Phone number is not on Zalo"}
    message_id = secrets.token_hex(16)
    SimulatedMessage.objects.create(
        channel="zalo",
        message_id=message_id,
        phone=phone,
        template_id=template.provider_template_id,
        content=json.dumps(template_data, ensure_ascii=False),
        data={"tracking_id": data.get("tracking_id")},
    )
    if not phone.endswith("999"):
        timestamp = str(int(timezone.now().timestamp() * 1000))
        event = {
            "app_id": settings.CCHC_ZALO_APP_ID,
            "event_name": "user_received_message",
            "message": {"msg_id": message_id, "tracking_id": data.get("tracking_id")},
            "recipient": {"id": phone},
            "timestamp": timestamp,
        }
        raw = json.dumps(event).encode()
        _push(
            reverse("api:delivery_report_zalo"),
            raw,
            {"X-ZEvent-Signature": zalo_event_signature(raw, timestamp), "X-ZEvent-Timestamp": timestamp},
        )
    return {"error": 0, "message": "Success", "data": {"msg_id": message_id, "sent_time": timezone.now().isoformat()}}


def _push(path: str, body: bytes, headers: dict[str, str]) -> None:
    """POST a delivery report to our callback, as the provider would (failures only logged)."""
    url = settings.CCHC_PUBLIC_URL.rstrip("/") + path
    try:
        http.send("POST", url, body=body, content_type="application/json", headers=headers, timeout=5)
    except http.ProviderUnreachable as exc:
        logger.warning("simulated delivery report to %s failed: %s", url, exc)
