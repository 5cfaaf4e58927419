"""Local stand-ins for the SMS brandname APIs (VNPT's JSON `send_sms_list`, Viettel's SOAP `wsCpMt`)
and Zalo ZNS, for the demo and the tests (never in production).

Each accepts its send shape, checks the credentials, records the message (`Message`) and answers the
provider's success code; configured failures: a number ending in 000 is refused as unreachable (SMS)
or not on Zalo (ZNS). The templates the agency registered with the providers are
`data/message_templates.yaml` (more with `POST /_sim/templates`); ZNS checks that `template_data` holds
exactly the template's parameters. Then, like the providers, it POSTs a signed delivery report to
CCHC's callback over HTTP (a number ending in 999 gets a "not delivered" report).
"""

import json
import secrets
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings
from django.utils import timezone

from cchc.messaging import protocol

from .callbacks import call_back
from .models import Message

TEMPLATES_FILE = Path(__file__).parent / "data" / "message_templates.yaml"
SMS_REPORT_PATH = "/api/v1/notifications/reports/sms"
ZALO_REPORT_PATH = "/api/v1/notifications/reports/zalo"
_registered: dict[str, dict[str, list[str]]] = {"sms": {}, "zalo": {}}


@cache
def _shipped() -> dict[str, dict[str, list[str]]]:
    data = yaml.safe_load(TEMPLATES_FILE.read_text(encoding="utf-8"))
    return {"sms": {str(key): [] for key in data.get("sms", [])}, "zalo": {str(k): v for k, v in data["zalo"].items()}}


def templates(channel: str) -> dict[str, list[str]]:
    """The templates registered for a channel: template id → its parameters (ZNS)."""
    return {**_shipped()[channel], **_registered[channel]}


def register_template(channel: str, template_id: str, params: list[str]) -> None:
    _registered[channel][template_id] = list(params)


def _json(body: bytes) -> dict:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _report_sms(request_id: str, phone: str) -> None:
    report = {
        "REQID": request_id,
        "MOBILE": phone,
        "STATUS": "UNDELIV" if phone.endswith("999") else "DELIVRD",
        "ERROR_DESC": "Máy không nhận tin" if phone.endswith("999") else "",
        "DONE_TIME": timezone.now().strftime("%Y%m%d%H%M%S"),
    }
    raw = json.dumps(report).encode()
    signature = protocol.sms_report_signature(raw, settings.CCHC_SMS_REPORT_SECRET)
    call_back(
        service="sms",
        reference=request_id,
        path=SMS_REPORT_PATH,
        raw_body=raw,
        headers={"X-CCHC-Signature": signature},
    )


def sms(body: bytes) -> dict:
    """VNPT's (VinaPhone's) JSON brandname API."""
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
    if template_id not in templates("sms"):
        return reply("5", "Mẫu tin chưa đăng ký")
    if phone.endswith("000"):
        return reply("3", "Số điện thoại không liên lạc được")
    request_id = str(request.get("REQID") or "")
    if not request_id:
        return reply("1", "Thiếu REQID")
    params = [str(item.get("CONTENT", "")) for item in request.get("PARAMS") or [] if isinstance(item, dict)]
    _, created = Message.objects.get_or_create(
        message_id=request_id,
        defaults={"channel": "sms", "phone": phone, "template_id": template_id, "content": " | ".join(params)},
    )
    if created:
        _report_sms(request_id, phone)
    return reply("0", "Thành công")


def viettel_sms(body: bytes) -> tuple[int, bytes]:
    """Viettel's SOAP bulk SMS (`wsCpMt`): free text under the registered brandname (ServiceID)."""
    values = protocol.viettel_sms_read(body, "wsCpMt")
    if not values:
        return 400, protocol.viettel_sms_answer("0", "Bad SOAP request")

    def answer(result: str, message: str) -> tuple[int, bytes]:
        return 200, protocol.viettel_sms_answer(result, message)

    if values.get("User") != settings.CCHC_SMS_USERNAME or values.get("Password") != settings.CCHC_SMS_PASSWORD:
        return answer("0", "Authenticate: fail")
    if values.get("CPCode") != settings.CCHC_SMS_CP_CODE:
        return answer("0", "CPCode: invalid")
    if values.get("ServiceID") != settings.CCHC_SMS_BRANDNAME:
        return answer("0", "ServiceID (brandname) not registered")
    if values.get("CommandCode") != "bulksms" or not values.get("Content"):
        return answer("0", "CommandCode or Content: invalid")
    phone = values.get("ReceiverID", "")
    if phone.endswith("000"):
        return answer("0", "ReceiverID: not reachable")
    request_id = values.get("RequestID", "")
    if not request_id:
        return answer("0", "RequestID: missing")
    _, created = Message.objects.get_or_create(
        message_id=request_id,
        defaults={"channel": "sms", "phone": phone, "template_id": "", "content": values["Content"]},
    )
    if created:
        _report_sms(request_id, phone)
    return answer(protocol.VIETTEL_SMS_OK, "Insert MT_QUEUE: OK")


def zalo(body: bytes, *, access_token: str) -> dict:
    if access_token != settings.CCHC_ZALO_ACCESS_TOKEN:
        return {"error": -124, "message": "Access token is invalid"}
    data = _json(body)
    template_id = str(data.get("template_id"))
    params = templates("zalo").get(template_id)
    if params is None:
        return {"error": -1123, "message": "Template not found"}
    template_data = data.get("template_data")
    if not isinstance(template_data, dict) or set(template_data) != set(params):
        return {"error": -1124, "message": "Template data does not match the template's parameters"}
    phone = str(data.get("phone") or "")
    if phone.endswith("000"):
        return {"error": -108, "message": "Phone number is not on Zalo"}
    message_id = secrets.token_hex(16)
    Message.objects.create(
        channel="zalo",
        message_id=message_id,
        phone=phone,
        template_id=template_id,
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
        signature = protocol.zalo_event_signature(
            raw, timestamp, app_id=settings.CCHC_ZALO_APP_ID, secret=settings.CCHC_ZALO_SECRET
        )
        call_back(
            service="zalo",
            reference=message_id,
            path=ZALO_REPORT_PATH,
            raw_body=raw,
            headers={"X-ZEvent-Signature": signature, "X-ZEvent-Timestamp": timestamp},
        )
    return {"error": 0, "message": "Success", "data": {"msg_id": message_id, "sent_time": timezone.now().isoformat()}}
