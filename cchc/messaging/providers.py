"""The SMS brandname and Zalo ZNS adapters behind the dossiers' notification layer.

Configured as `CCHC_SMS_PROVIDER=cchc.messaging.providers.BrandnameSms` (or `ViettelSms`) and
`CCHC_ZALO_PROVIDER=cchc.messaging.providers.ZaloZns` (with `CCHC_SMS_ENABLED` / `CCHC_ZALO_ENABLED`).
Each sends a notification with the approved template for its kind (`MessageTemplate`), returns
the provider's message id and records it (`SentMessage`) for the delivery reports; a rejection
raises, so the notification is marked failed with the provider's reason.

- SMS brandname: the VNPT (VinaPhone) JSON API as public code shows it (docs/integrations.md):
  `{"RQST": {"name": "send_sms_list", "REQID", "LABELID", "CONTRACTID", "TEMPLATEID",
  "PARAMS": [{"NUM", "CONTENT"}], "MOBILELIST": "84…", "APIUSER", "APIPASS", …}}`, answered
  `{"RPLY": {"ERROR": "0", "ERROR_DESC"}}`. Our REQID is the message id.
- SMS brandname, Viettel: the SOAP bulk SMS service (`wsCpMt`: User, Password, CPCode, RequestID,
  UserID, ReceiverID, ServiceID = brandname, CommandCode "bulksms", Content, ContentType), answered
  `wsCpMtResponse/return/{result, message}` with result "1" when queued. Our RequestID is the id.
- Zalo ZNS: POST `{phone, template_id, template_data, tracking_id}` with the OA's `access_token`
  header, answered `{"error": 0, "data": {"msg_id"}}`.
"""

import re

from django.conf import settings
from django.utils.translation import gettext as _

from cchc.core import http, integrations
from cchc.dossiers.models import Notification
from cchc.dossiers.notifications import DeliveryRefused, Provider, _lookup_url
from cchc.dossiers.workflow import Status

from . import protocol
from .models import Channel
from .selectors import template_for
from .services import message_accepted, message_refused, message_sending


class MessageRejected(DeliveryRefused):
    """The provider (or our template check) refused the message; the reason is the text. Final: not retried."""


def international_phone(phone: str) -> str:
    """`0912345678` or `+84 912 345 678` → `84912345678`; refused when it is not a Vietnamese mobile."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0"):
        digits = "84" + digits[1:]
    if not re.fullmatch(r"84\d{9}", digits):
        raise MessageRejected(_("Số điện thoại %(phone)s không hợp lệ.") % {"phone": phone})
    return digits


def template_values(notification: Notification) -> dict[str, str]:
    """Everything a template may ask for, from the notification and its dossier."""
    dossier = notification.dossier
    status = notification.kind.removeprefix("status.")
    label = Status(status).label if status in Status.values else notification.subject
    values = {"trang_thai": str(label)}
    if dossier is not None:
        values |= {
            "ma_ho_so": dossier.code or "",
            "ten_nguoi_dan": dossier.applicant_name,
            "co_quan": dossier.agency.name,
            "tra_cuu": _lookup_url(dossier.code) if dossier.code else settings.CCHC_PUBLIC_URL,
        }
    return values


def render(notification: Notification, channel: str):
    """(template, params in the provider's order, text) for the notification, or MessageRejected."""
    template = template_for(channel=channel, kind=notification.kind)
    if template is None:
        raise MessageRejected(
            _("Chưa có mẫu tin nhắn được phê duyệt cho loại thông báo “%(kind)s”.") % {"kind": notification.kind}
        )
    values = template_values(notification)
    missing = [name for name in template.params if name not in values]
    if missing:
        raise MessageRejected(_("Mẫu tin nhắn cần tham số không có: %(names)s.") % {"names": ", ".join(missing)})
    params = {name: values[name] for name in template.params}
    return template, params, template.text.format_map(params)


def _simulator(path: str) -> str:
    """A provider's address on the simulator server (used while CCHC_SMS_URL / CCHC_ZALO_URL are empty)."""
    return integrations.simulator_url(path)


class BrandnameSms(Provider):
    channel = Notification.Channel.SMS

    def send(self, *, address: str, subject: str, body: str) -> str | None:
        raise MessageRejected(_("Tin nhắn thương hiệu chỉ gửi theo mẫu đã đăng ký."))

    def deliver(self, notification: Notification) -> str:
        template, params, text = render(notification, Channel.SMS)
        request_id = f"cchc-{notification.pk}"
        message = {
            "RQST": {
                "name": "send_sms_list",
                "REQID": request_id,
                "LABELID": settings.CCHC_SMS_BRANDNAME,
                "CONTRACTID": settings.CCHC_SMS_CONTRACT_ID,
                "CONTRACTTYPEID": "1",
                "TEMPLATEID": template.provider_template_id,
                "PARAMS": [{"NUM": str(index), "CONTENT": value} for index, value in enumerate(params.values(), 1)],
                "SCHEDULETIME": "",
                "MOBILELIST": international_phone(notification.address),
                "ISTELCOSUB": "0",
                "AGENTID": settings.CCHC_SMS_AGENT_ID,
                "APIUSER": settings.CCHC_SMS_USERNAME,
                "APIPASS": settings.CCHC_SMS_PASSWORD,
                "USERNAME": settings.CCHC_SMS_USERNAME,
                "DATACODING": "8",  # Unicode: Vietnamese with its diacritics
            }
        }
        sent = message_sending(notification=notification, channel=Channel.SMS, text=text)
        answer = http.post_json(settings.CCHC_SMS_URL or _simulator("sms/vnpt/"), message)
        reply = answer.get("RPLY") or {}
        if str(reply.get("ERROR")) != "0":
            reason = f"SMS {reply.get('ERROR')}: {str(reply.get('ERROR_DESC'))[:200]}"
            message_refused(sent=sent, reason=reason)
            raise MessageRejected(reason)
        message_accepted(sent=sent, message_id=request_id)
        return request_id


class ViettelSms(Provider):
    """Viettel's bulk SMS brandname web service (SOAP `wsCpMt`): the approved template's text, filled,
    sent as free text under the brandname (ServiceID). Our key (`cchc-<id>`) is the RequestID, which
    the delivery report names (docs/integrations.md)."""

    channel = Notification.Channel.SMS

    def send(self, *, address: str, subject: str, body: str) -> str | None:
        raise MessageRejected(_("Tin nhắn thương hiệu chỉ gửi theo mẫu đã đăng ký."))

    def deliver(self, notification: Notification) -> str:
        _template, _params, text = render(notification, Channel.SMS)
        request_id = f"cchc-{notification.pk}"
        phone = international_phone(notification.address)
        envelope = protocol.viettel_sms_envelope(
            {
                "User": settings.CCHC_SMS_USERNAME,
                "Password": settings.CCHC_SMS_PASSWORD,
                "CPCode": settings.CCHC_SMS_CP_CODE,
                "RequestID": request_id,
                "UserID": phone,
                "ReceiverID": phone,
                "ServiceID": settings.CCHC_SMS_BRANDNAME,
                "CommandCode": "bulksms",
                "Content": text,
                "ContentType": "1",  # Unicode: Vietnamese with its diacritics
            }
        )
        sent = message_sending(notification=notification, channel=Channel.SMS, text=text)
        answer = http.send(
            "POST",
            settings.CCHC_SMS_URL or _simulator("sms/viettel/"),
            body=envelope,
            content_type="text/xml; charset=utf-8",
            headers={"SOAPAction": '""'},
        )
        reply = protocol.viettel_sms_read(answer.content, "return")
        if not 200 <= answer.status < 300 or not reply:
            raise http.ProviderUnreachable(f"HTTP {answer.status} from Viettel's SMS service")
        if reply.get("result") != protocol.VIETTEL_SMS_OK:
            reason = f"SMS Viettel: {reply.get('message', '')[:200]}"
            message_refused(sent=sent, reason=reason)
            raise MessageRejected(reason)
        message_accepted(sent=sent, message_id=request_id)
        return request_id


class ZaloZns(Provider):
    channel = Notification.Channel.ZALO

    def send(self, *, address: str, subject: str, body: str) -> str | None:
        raise MessageRejected(_("Tin ZNS chỉ gửi theo mẫu đã đăng ký."))

    def deliver(self, notification: Notification) -> str:
        template, params, text = render(notification, Channel.ZALO)
        message = {
            "phone": international_phone(notification.address),
            "template_id": template.provider_template_id,
            "template_data": params,
            "tracking_id": f"cchc-{notification.pk}",
        }
        sent = message_sending(notification=notification, channel=Channel.ZALO, text=text)
        answer = http.post_json(
            settings.CCHC_ZALO_URL or _simulator("zalo/message/template"),
            message,
            headers={"access_token": settings.CCHC_ZALO_ACCESS_TOKEN},
        )
        if answer.get("error") != 0:
            reason = f"ZNS {answer.get('error')}: {str(answer.get('message'))[:200]}"
            message_refused(sent=sent, reason=reason)
            raise MessageRejected(reason)
        message_id = str((answer.get("data") or {}).get("msg_id") or "")
        message_accepted(sent=sent, message_id=message_id)
        return message_id or sent.key
