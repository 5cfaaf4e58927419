"""Local stand-ins for the e-receipt providers, for the demo and the tests (never in production):
VNPT's SOAP web services (`/hoa-don/vnpt/<Service>.asmx`) and Viettel's REST API
(`/hoa-don/viettel/…`), with the credentials, pattern and series they are configured with.

Both keep one register (`Receipt`): numbers run in sequence per pattern and series; a
repeated key gets the same receipt; a receipt is cancelled once (a second cancel fails); an
adjustment is a new number that points to the original; the file is a stub PDF (base64).
"""

import base64
import hashlib
import json
import logging
from urllib.parse import parse_qsl
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import ElementTree as SafeXml
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max

from cchc.core.stubpdf import stub_pdf
from cchc.payments.ereceipt import SOAP_NS, VIETTEL, VNPT, VNPT_NS, soap_read

from .models import Receipt

logger = logging.getLogger(__name__)


def _issue(*, provider: str, key: str, amount: int, payer: str, replaces: Receipt | None = None):
    """The receipt for `key`: the existing one, or the next number of the series."""
    existing = Receipt.objects.filter(provider=provider, key=key).first()
    if existing is not None:
        return existing
    pattern, series = settings.CCHC_RECEIPT_PATTERN, settings.CCHC_RECEIPT_SERIES
    for _attempt in range(5):
        try:
            with transaction.atomic():
                last = Receipt.objects.filter(provider=provider, pattern=pattern, series=series).aggregate(
                    last=Max("number")
                )["last"]
                row = Receipt.objects.create(
                    provider=provider,
                    key=key,
                    pattern=pattern,
                    series=series,
                    number=(last or 0) + 1,
                    amount=amount,
                    payer=payer[:255],
                    replaces=replaces,
                )
                if replaces is not None:
                    Receipt.objects.filter(pk=replaces.pk).update(status="adjusted")
                return row
        except IntegrityError:
            existing = Receipt.objects.filter(provider=provider, key=key).first()
            if existing is not None:
                return existing
    raise RuntimeError("the simulated receipt register is busy")


def _file(row: Receipt) -> str:
    lines = [
        f"BIEN LAI THU PHI, LE PHI ({row.provider.upper()} - GIA LAP)",
        f"Mau so: {row.pattern}   Ky hieu: {row.series}   So: {row.number:07d}",
        f"Ma tra cuu: {row.key}",
        f"Nguoi nop: {row.payer}",
        f"So tien: {row.amount} dong",
    ]
    if row.status == "cancelled":
        lines.append("DA HUY")
    if row.replaces_id:
        lines.append(f"Dieu chinh cho bien lai so {row.replaces.number:07d}")
    return base64.b64encode(stub_pdf(lines)).decode("ascii")


def _number(row: Receipt) -> str:
    return f"{row.number:07d}"


# ---------------------------------------------------------------- VNPT (SOAP)


def _soap_answer(operation: str, result: str) -> bytes:
    envelope = Element(f"{{{SOAP_NS}}}Envelope")
    body = SubElement(envelope, f"{{{SOAP_NS}}}Body")
    answer = SubElement(body, f"{{{VNPT_NS}}}{operation}Response")
    SubElement(answer, f"{{{VNPT_NS}}}{operation}Result").text = result
    return tostring(envelope, encoding="utf-8", xml_declaration=True)


def _operation(content: bytes) -> str:
    try:
        body = SafeXml.fromstring(content).find(f"{{{SOAP_NS}}}Body")
    except SafeXml.ParseError:
        return ""
    if body is None or not len(body):
        return ""
    return body[0].tag.rsplit("}", 1)[-1]


def _vnpt_ok(row: Receipt) -> str:
    return f"OK:{row.pattern};{row.series}-{row.key}_{_number(row)}"


def _vnpt_invoice(xml_text: str, root_tag: str) -> tuple[str, int, str]:
    """(key, total, payer) of an `Invoices/Inv` or an `AdjustInv` document."""
    root = SafeXml.fromstring(xml_text)
    if root_tag == "Invoices":
        inv = root.find("Inv")
        key, invoice = inv.findtext("key", ""), inv.find("Invoice")
    else:
        key, invoice = root.findtext("key", ""), root
    return key, int(invoice.findtext("Total", "0")), invoice.findtext("CusName", "")


def vnpt(service: str, content: bytes) -> tuple[int, bytes]:
    operation = _operation(content)
    if not operation:
        return 400, b"Bad SOAP request"
    try:
        params = soap_read(content, operation)
    except Exception:
        return 400, b"Bad SOAP request"
    return 200, _soap_answer(operation, _vnpt_result(service, operation, params))


def _vnpt_result(service: str, operation: str, params: dict[str, str]) -> str:
    user_ok = (params.get("userName") or params.get("username")) == settings.CCHC_RECEIPT_USERNAME and (
        params.get("userPass") or params.get("password") or params.get("pass")
    ) == settings.CCHC_RECEIPT_PASSWORD
    if service != "PortalService" and (
        params.get("Account") != settings.CCHC_RECEIPT_ACCOUNT
        or params.get("ACpass") != settings.CCHC_RECEIPT_ACCOUNT_PASSWORD
    ):
        return "ERR:1"  # account not allowed
    if not user_ok:
        return "ERR:1"
    handlers = {
        ("PublishService", "ImportAndPublishInv"): _vnpt_publish,
        ("BusinessService", "UnConfirmPaymentFkey"): _vnpt_unconfirm,
        ("BusinessService", "cancelInv"): _vnpt_cancel,
        ("BusinessService", "AdjustInvoice"): _vnpt_adjust,
        ("PortalService", "downloadInvPDFFkeyNoPay"): _vnpt_file,
    }
    handler = handlers.get((service, operation))
    return handler(params) if handler else "ERR:3"


def _vnpt_publish(params: dict[str, str]) -> str:
    if params.get("pattern") != settings.CCHC_RECEIPT_PATTERN or params.get("serial") != settings.CCHC_RECEIPT_SERIES:
        return "ERR:20"  # pattern and serial not registered
    try:
        key, total, payer = _vnpt_invoice(params.get("xmlInvData", ""), "Invoices")
    except (SafeXml.ParseError, AttributeError, ValueError):
        return "ERR:5"  # malformed invoice data
    if not key or total <= 0:
        return "ERR:5"
    return _vnpt_ok(_issue(provider=VNPT, key=key, amount=total, payer=payer))


def _vnpt_unconfirm(params: dict[str, str]) -> str:
    row = Receipt.objects.filter(provider=VNPT, key=params.get("fkey", "")).first()
    return "ERR:2" if row is None else "OK:"


def _vnpt_cancel(params: dict[str, str]) -> str:
    updated = Receipt.objects.filter(provider=VNPT, key=params.get("fkey", ""), status="issued").update(
        status="cancelled"
    )
    return "OK:" if updated else "ERR:9"  # unknown, or cancelled (or adjusted) before


def _vnpt_adjust(params: dict[str, str]) -> str:
    original = Receipt.objects.filter(provider=VNPT, key=params.get("fkey", ""), status="issued").first()
    if original is None:
        return "ERR:9"
    try:
        key, total, payer = _vnpt_invoice(params.get("xmlInvData", ""), "AdjustInv")
    except (SafeXml.ParseError, AttributeError, ValueError):
        return "ERR:5"
    if not key or total < 0:
        return "ERR:5"
    return _vnpt_ok(_issue(provider=VNPT, key=key, amount=total, payer=payer, replaces=original))


def _vnpt_file(params: dict[str, str]) -> str:
    row = Receipt.objects.filter(provider=VNPT, key=params.get("fkey", "")).first()
    return "ERR:6" if row is None else _file(row)


# ---------------------------------------------------------------- Viettel (REST)


def viettel_token() -> str:
    raw = f"{settings.CCHC_RECEIPT_USERNAME}:{settings.CCHC_RECEIPT_PASSWORD}".encode()
    return "sim-" + hashlib.sha256(raw).hexdigest()[:32]


def _error(code: str, description: str) -> dict:
    return {"errorCode": code, "description": description, "result": None}


def viettel(path: str, *, body: bytes, content_type: str, authorization: str) -> tuple[int, dict]:
    if path == "auth/login":
        data = _json(body)
        if data.get("username") == settings.CCHC_RECEIPT_USERNAME and data.get("password") == (
            settings.CCHC_RECEIPT_PASSWORD
        ):
            return 200, {"access_token": viettel_token(), "token_type": "bearer", "expires_in": 600}
        return 401, {"code": 401, "description": "Sai tên đăng nhập hoặc mật khẩu"}
    if authorization != f"Bearer {viettel_token()}":
        return 401, _error("UNAUTHORIZED", "Token không hợp lệ")
    tax_prefix = "InvoiceAPI/InvoiceWS/createInvoice/"
    if path.startswith(tax_prefix):
        if path[len(tax_prefix) :] != settings.CCHC_RECEIPT_TAX_CODE:
            return 200, _error("INVALID_TAX_CODE", "Mã số thuế người bán không đúng")
        return 200, _viettel_create(_json(body))
    if path == "InvoiceAPI/InvoiceWS/cancelTransactionInvoice":
        form = dict(parse_qsl(body.decode("utf-8", "replace"))) if "form" in content_type else _json(body)
        return 200, _viettel_cancel(form)
    if path == "InvoiceAPI/InvoiceUtilsWS/getInvoiceRepresentationFile":
        return 200, _viettel_file(_json(body))
    return 404, _error("NOT_FOUND", "Không có API này")


def _json(body: bytes) -> dict:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _by_invoice_no(invoice_no: str) -> Receipt | None:
    series = settings.CCHC_RECEIPT_SERIES
    if not invoice_no.startswith(series) or not invoice_no[len(series) :].isdigit():
        return None
    return Receipt.objects.filter(provider=VIETTEL, series=series, number=int(invoice_no[len(series) :])).first()


def _viettel_create(data: dict) -> dict:
    general = data.get("generalInvoiceInfo") or {}
    if general.get("templateCode") != settings.CCHC_RECEIPT_PATTERN or general.get("invoiceSeries") != (
        settings.CCHC_RECEIPT_SERIES
    ):
        return _error("TEMPLATE_NOT_FOUND", "Mẫu hoặc ký hiệu hóa đơn không đúng")
    key = str(general.get("transactionUuid") or "")
    total = (data.get("summarizeInfo") or {}).get("totalAmountWithTax")
    if not key or not isinstance(total, int) or total < 0:
        return _error("INVALID_DATA", "Thiếu transactionUuid hoặc tổng tiền")
    replaces = None
    if str(general.get("adjustmentType")) == "5":
        replaces = _by_invoice_no(str(general.get("originalInvoiceId") or ""))
        if replaces is None or replaces.status != "issued":
            return _error("ORIGINAL_NOT_FOUND", "Không tìm thấy hóa đơn gốc còn hiệu lực")
    payer = str((data.get("buyerInfo") or {}).get("buyerName") or "")
    row = _issue(provider=VIETTEL, key=key, amount=total, payer=payer, replaces=replaces)
    return {
        "errorCode": None,
        "description": None,
        "result": {
            "supplierTaxCode": settings.CCHC_RECEIPT_TAX_CODE,
            "invoiceNo": row.series + _number(row),
            "transactionID": f"SIM{row.pk:010d}",
            "reservationCode": f"{row.key[-6:]}{row.pk:04d}".upper(),
            "codeOfTax": "",
        },
    }


def _viettel_cancel(form: dict) -> dict:
    row = _by_invoice_no(str(form.get("invoiceNo") or ""))
    if row is None or form.get("supplierTaxCode") != settings.CCHC_RECEIPT_TAX_CODE:
        return _error("INVOICE_NOT_FOUND", "Không tìm thấy hóa đơn")
    if not Receipt.objects.filter(pk=row.pk, status="issued").update(status="cancelled"):
        return _error("INVOICE_CANCELLED", "Hóa đơn đã bị hủy hoặc điều chỉnh trước đó")
    return {"errorCode": None, "description": "Hủy hóa đơn thành công", "result": None}


def _viettel_file(data: dict) -> dict:
    row = _by_invoice_no(str(data.get("invoiceNo") or ""))
    if row is None:
        return _error("INVOICE_NOT_FOUND", "Không tìm thấy hóa đơn")
    return {"errorCode": None, "description": None, "fileName": f"{row}.pdf", "fileToBytes": _file(row)}
