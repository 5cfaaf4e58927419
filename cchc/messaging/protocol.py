"""The SMS and Zalo providers' message shapes that both sides compute: the delivery reports'
signatures, and Viettel's SOAP envelope. Pure: secrets are passed in, nothing is read from settings."""

import hashlib
import hmac
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import ElementTree as SafeXml

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
# Viettel's bulk SMS web service (`CcApi`, operation wsCpMt): the namespace public integrations use.
VIETTEL_SMS_NS = "http://impl.bulkSms.ws/"
VIETTEL_SMS_FIELDS = (
    "User",
    "Password",
    "CPCode",
    "RequestID",
    "UserID",
    "ReceiverID",
    "ServiceID",
    "CommandCode",
    "Content",
    "ContentType",
)
VIETTEL_SMS_OK = "1"  # `result` of an accepted message


def sms_report_signature(body: bytes, secret: str) -> str:
    """`X-CCHC-Signature` of an SMS delivery report: HMAC-SHA256 of the body (agreed, not published)."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def zalo_event_signature(body: bytes, timestamp: str, *, app_id: str, secret: str) -> str:
    """Zalo's `X-ZEvent-Signature`: mac=sha256(app_id + body + timestamp + OA secret)."""
    raw = app_id.encode() + body + timestamp.encode() + secret.encode()
    return "mac=" + hashlib.sha256(raw).hexdigest()


def viettel_sms_envelope(values: dict[str, str]) -> bytes:
    """A wsCpMt request: the fields in Viettel's order, each an unqualified child of `impl:wsCpMt`."""
    envelope = Element(f"{{{SOAP_NS}}}Envelope")
    body = SubElement(envelope, f"{{{SOAP_NS}}}Body")
    call = SubElement(body, f"{{{VIETTEL_SMS_NS}}}wsCpMt")
    for name in VIETTEL_SMS_FIELDS:
        SubElement(call, name).text = values.get(name, "")
    return tostring(envelope, encoding="utf-8", xml_declaration=True)


def viettel_sms_answer(result: str, message: str) -> bytes:
    envelope = Element(f"{{{SOAP_NS}}}Envelope")
    body = SubElement(envelope, f"{{{SOAP_NS}}}Body")
    answer = SubElement(body, f"{{{VIETTEL_SMS_NS}}}wsCpMtResponse")
    returned = SubElement(answer, "return")
    SubElement(returned, "message").text = message
    SubElement(returned, "result").text = result
    return tostring(envelope, encoding="utf-8", xml_declaration=True)


def viettel_sms_read(content: bytes, element: str) -> dict[str, str]:
    """The child texts of the first `element` (wsCpMt, or `return` in an answer); {} when unreadable."""
    try:
        root = SafeXml.fromstring(content)
    except SafeXml.ParseError:
        return {}
    for node in root.iter():
        if node.tag.rsplit("}", 1)[-1] == element:
            return {child.tag.rsplit("}", 1)[-1]: (child.text or "") for child in node}
    return {}
