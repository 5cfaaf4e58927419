"""Electronic receipts (biên lai điện tử, Decree 123/2020 as amended by Decree 70/2025) through a
receipt provider: VNPT's (SOAP web services) or Viettel's (REST), chosen by `CCHC_RECEIPT_PROVIDER`.

A provider issues a receipt for a paid payment and answers its pattern (mẫu số), series (ký hiệu),
number and lookup code (mã tra cứu); it cancels it (a refund in full), adjusts it (a partial
refund: a new receipt that points to the original) and hands out its PDF. Our key (VNPT's
`fkey`, Viettel's `transactionUuid`) is the payment's reference, so a repeated request is
answered with the same receipt. What was taken from which public code, and what must be
confirmed with the provider, is in docs/integrations.md ("Electronic receipts").

Every call goes through `cchc.core.http.send`; nothing here talks to the network at import time.
"""

import base64
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import ElementTree as SafeXml
from django.conf import settings
from django.utils import timezone

from cchc.core import clock, http, integrations
from cchc.core.calendar import VN_TZ

from .providers import ProviderError

logger = logging.getLogger(__name__)

VNPT, VIETTEL = "vnpt", "viettel"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
VNPT_NS = "http://tempuri.org/"


class ReceiptRefused(ProviderError):
    """The provider answered, and said no (its own message in the exception)."""


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    amount: int


@dataclass(frozen=True)
class ReceiptData:
    """What a receipt says: our key, the payer, the lines (fee items) and when it was paid."""

    key: str
    payer_name: str
    payer_identifier: str
    payer_address: str
    lines: list[ReceiptLine]
    paid_at: datetime
    method: str  # "TM" cash, "CK" transfer / online

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)


@dataclass(frozen=True)
class IssuedReceipt:
    pattern: str
    series: str
    number: str
    lookup_code: str
    raw: dict = field(default_factory=dict)


class ReceiptProvider(Protocol):
    name: str

    def issue(self, data: ReceiptData) -> IssuedReceipt: ...

    def cancel(self, *, key: str, number: str, issued_at: datetime) -> None: ...

    def adjust(self, data: ReceiptData, *, original_key: str, original_number: str) -> IssuedReceipt: ...

    def pdf(self, *, key: str, number: str) -> bytes: ...


def _simulator_base(name: str) -> str:
    return integrations.simulator_url(f"hoa-don/{name}")


def vn_date(moment: datetime) -> str:
    return timezone.localtime(moment, VN_TZ).strftime("%d/%m/%Y")


# ---------------------------------------------------------------- VNPT (SOAP)


def soap_envelope(operation: str, params: dict[str, str]) -> bytes:
    envelope = Element(f"{{{SOAP_NS}}}Envelope")
    body = SubElement(envelope, f"{{{SOAP_NS}}}Body")
    call = SubElement(body, f"{{{VNPT_NS}}}{operation}")
    for name, value in params.items():
        SubElement(call, f"{{{VNPT_NS}}}{name}").text = value
    return tostring(envelope, encoding="utf-8", xml_declaration=True)


def soap_read(content: bytes, operation: str) -> dict[str, str]:
    """The children of `<operation>` (a request) or `<operationResponse>` in a SOAP envelope."""
    try:
        root = SafeXml.fromstring(content)
    except SafeXml.ParseError as exc:
        raise ProviderError("VNPT: the answer is not XML") from exc
    body = root.find(f"{{{SOAP_NS}}}Body")
    node = None if body is None else (body.find(f"{{{VNPT_NS}}}{operation}"))
    if node is None:
        raise ProviderError(f"VNPT: no {operation} in the SOAP body")
    return {child.tag.rsplit("}", 1)[-1]: child.text or "" for child in node}


def vnpt_invoice_xml(data: ReceiptData, *, adjust: bool = False) -> str:
    """The `xmlInvData` of ImportAndPublishInv (`Invoices/Inv/{key, Invoice}`) or AdjustInvoice (`AdjustInv`)."""
    invoice = Element("AdjustInv") if adjust else Element("Invoice")
    for name, value in (
        ("CusCode", data.payer_identifier),
        ("CusName", data.payer_name),
        ("CusAddress", data.payer_address),
        ("CusTaxCode", ""),
        ("PaymentMethod", data.method),
        ("ArisingDate", vn_date(data.paid_at)),
    ):
        SubElement(invoice, name).text = value
    products = SubElement(invoice, "Products")
    for index, line in enumerate(data.lines, start=1):
        product = SubElement(products, "Product")
        for name, value in (
            ("Code", str(index)),
            ("ProdName", line.name),
            ("ProdUnit", "Lần"),
            ("ProdQuantity", "1"),
            ("ProdPrice", str(line.amount)),
            ("Amount", str(line.amount)),
        ):
            SubElement(product, name).text = value
    for name, value in (("Total", str(data.total)), ("VATRate", "0"), ("Amount", str(data.total))):
        SubElement(invoice, name).text = value
    SubElement(invoice, "AmountInWords").text = _words(data.total)
    if adjust:
        SubElement(invoice, "key").text = data.key
        return tostring(invoice, encoding="unicode")
    invoices = Element("Invoices")
    inv = SubElement(invoices, "Inv")
    SubElement(inv, "key").text = data.key
    inv.append(invoice)
    return tostring(invoices, encoding="unicode")


def _words(amount: int) -> str:
    from .words import vnd_in_words

    return vnd_in_words(amount)


def parse_vnpt_ok(text: str, *, series: str = "") -> IssuedReceipt:
    """`OK:<pattern>;<serial>-<fkey>_<number>` → the receipt; `ERR:…` → ReceiptRefused. The serial
    we sent (`series`) is matched first, as a serial may itself hold a dash."""
    if not text.startswith("OK:"):
        raise ReceiptRefused(f"VNPT: {text[:200]}")
    try:
        pattern, rest = text[3:].split(";", 1)
        if series and rest.startswith(series + "-"):
            keyed = rest[len(series) + 1 :]
        else:
            series, keyed = rest.split("-", 1)
        key, number = keyed.rsplit("_", 1)
    except ValueError as exc:
        raise ProviderError(f"VNPT: unreadable answer {text[:200]!r}") from exc
    return IssuedReceipt(pattern=pattern, series=series, number=number, lookup_code=key, raw={"answer": text})


class VnptReceipts:
    """VNPT's e-invoice web services: PublishService (issue), BusinessService (cancel, adjust),
    PortalService (the file), each an `.asmx` under `CCHC_RECEIPT_URL`."""

    name = VNPT

    def __init__(self, *, base_url: str | None = None):
        self.base_url = (base_url or settings.CCHC_RECEIPT_URL or _simulator_base(VNPT)).rstrip("/")
        self.account = settings.CCHC_RECEIPT_ACCOUNT
        self.account_password = settings.CCHC_RECEIPT_ACCOUNT_PASSWORD
        self.username = settings.CCHC_RECEIPT_USERNAME
        self.password = settings.CCHC_RECEIPT_PASSWORD
        self.pattern = settings.CCHC_RECEIPT_PATTERN
        self.series = settings.CCHC_RECEIPT_SERIES

    def _call(self, service: str, operation: str, params: dict[str, str]) -> str:
        try:
            answer = http.send(
                "POST",
                f"{self.base_url}/{service}.asmx",
                body=soap_envelope(operation, params),
                content_type="text/xml; charset=utf-8",
                headers={"SOAPAction": f'"{VNPT_NS}{operation}"'},
            )
        except http.ProviderUnreachable as exc:
            raise ProviderError(f"VNPT: {exc}") from exc
        if answer.status != 200:
            raise ProviderError(f"VNPT {operation}: HTTP {answer.status}")
        return soap_read(answer.content, operation + "Response").get(operation + "Result", "")

    def _accounts(self) -> dict[str, str]:
        return {"Account": self.account, "ACpass": self.account_password}

    def issue(self, data: ReceiptData) -> IssuedReceipt:
        text = self._call(
            "PublishService",
            "ImportAndPublishInv",
            {
                **self._accounts(),
                "xmlInvData": vnpt_invoice_xml(data),
                "username": self.username,
                "password": self.password,
                "pattern": self.pattern,
                "serial": self.series,
                "convert": "0",
            },
        )
        return parse_vnpt_ok(text, series=self.series)

    def cancel(self, *, key: str, number: str, issued_at: datetime) -> None:
        credentials = {**self._accounts(), "fkey": key, "userName": self.username, "userPass": self.password}
        for operation in ("UnConfirmPaymentFkey", "cancelInv"):
            text = self._call("BusinessService", operation, credentials)
            if not text.startswith("OK"):
                raise ReceiptRefused(f"VNPT {operation}: {text[:200]}")

    def adjust(self, data: ReceiptData, *, original_key: str, original_number: str) -> IssuedReceipt:
        text = self._call(
            "BusinessService",
            "AdjustInvoice",
            {
                **self._accounts(),
                "xmlInvData": vnpt_invoice_xml(data, adjust=True),
                "username": self.username,
                "pass": self.password,
                "fkey": original_key,
                "AttachFile": "",
                "convert": "0",
                "pattern": self.pattern,
                "serial": self.series,
            },
        )
        return parse_vnpt_ok(text, series=self.series)

    def pdf(self, *, key: str, number: str) -> bytes:
        text = self._call(
            "PortalService",
            "downloadInvPDFFkeyNoPay",
            {"fkey": key, "userName": self.username, "userPass": self.password},
        )
        if text.startswith("ERR"):
            raise ReceiptRefused(f"VNPT: {text[:200]}")
        try:
            content = base64.b64decode(text, validate=True)
        except ValueError as exc:
            raise ProviderError("VNPT: the file is not base64") from exc
        if not content.startswith(b"%PDF"):
            raise ProviderError("VNPT: the file is not a PDF")
        return content


# ---------------------------------------------------------------- Viettel (REST)


class ViettelReceipts:
    """Viettel's e-invoice API (S-Invoice): a token from the auth API, then createInvoice,
    cancelTransactionInvoice and the invoice file, under `CCHC_RECEIPT_URL`."""

    name = VIETTEL

    def __init__(self, *, base_url: str | None = None):
        self.base_url = (base_url or settings.CCHC_RECEIPT_URL or _simulator_base(VIETTEL)).rstrip("/")
        self.username = settings.CCHC_RECEIPT_USERNAME
        self.password = settings.CCHC_RECEIPT_PASSWORD
        self.pattern = settings.CCHC_RECEIPT_PATTERN
        self.series = settings.CCHC_RECEIPT_SERIES
        self.tax_code = settings.CCHC_RECEIPT_TAX_CODE

    def _token(self) -> str:
        answer = self._json("POST", "/auth/login", {"username": self.username, "password": self.password}, token="")
        token = str(answer.get("access_token") or "")
        if not token:
            raise ReceiptRefused(f"Viettel login: {str(answer.get('description') or answer)[:200]}")
        return token

    def _json(self, method: str, path: str, payload=None, *, token: str | None = None, form=None) -> dict:
        token = self._token() if token is None else token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            answer = http.send(method, self.base_url + path, json_body=payload, form=form, headers=headers)
        except http.ProviderUnreachable as exc:
            raise ProviderError(f"Viettel: {exc}") from exc
        if answer.status not in (200, 400, 401):
            raise ProviderError(f"Viettel {path}: HTTP {answer.status}")
        try:
            return answer.json_object()
        except http.ProviderUnreachable as exc:
            raise ProviderError(f"Viettel {path}: {exc}") from exc

    def _invoice(self, data: ReceiptData, *, adjustment: dict | None = None) -> dict:
        general = {
            "invoiceType": "02GTTT",  # receipts of fees and charges: to confirm with Viettel
            "templateCode": self.pattern,
            "invoiceSeries": self.series,
            "invoiceIssuedDate": int(data.paid_at.timestamp() * 1000),
            "currencyCode": "VND",
            "adjustmentType": "1",
            "paymentStatus": True,
            "transactionUuid": data.key,
            **(adjustment or {}),
        }
        return {
            "generalInvoiceInfo": general,
            "buyerInfo": {
                "buyerName": data.payer_name,
                "buyerIdNo": data.payer_identifier,
                "buyerAddressLine": data.payer_address,
            },
            "sellerInfo": {"sellerTaxCode": self.tax_code},
            "payments": [{"paymentMethodName": data.method}],
            "itemInfo": [
                {
                    "lineNumber": index,
                    "itemName": line.name,
                    "unitName": "Lần",
                    "unitPrice": line.amount,
                    "quantity": 1,
                    "itemTotalAmountWithoutTax": line.amount,
                    "taxPercentage": -2,  # not subject to VAT
                }
                for index, line in enumerate(data.lines, start=1)
            ],
            "summarizeInfo": {
                "totalAmountWithoutTax": data.total,
                "totalTaxAmount": 0,
                "totalAmountWithTax": data.total,
                "discountAmount": 0,
            },
        }

    def _created(self, answer: dict) -> IssuedReceipt:
        if answer.get("errorCode"):
            raise ReceiptRefused(f"Viettel: {answer.get('errorCode')} {str(answer.get('description'))[:200]}")
        result = answer.get("result") or {}
        invoice_no = str(result.get("invoiceNo") or "")
        if not invoice_no.startswith(self.series):
            raise ProviderError(f"Viettel: unreadable invoice number {invoice_no!r}")
        return IssuedReceipt(
            pattern=self.pattern,
            series=self.series,
            number=invoice_no[len(self.series) :],
            lookup_code=str(result.get("reservationCode") or ""),
            raw=result,
        )

    def issue(self, data: ReceiptData) -> IssuedReceipt:
        return self._created(
            self._json("POST", f"/InvoiceAPI/InvoiceWS/createInvoice/{self.tax_code}", self._invoice(data))
        )

    def cancel(self, *, key: str, number: str, issued_at: datetime) -> None:
        answer = self._json(
            "POST",
            "/InvoiceAPI/InvoiceWS/cancelTransactionInvoice",
            form={
                "supplierTaxCode": self.tax_code,
                "invoiceNo": self.series + number,
                "templateCode": self.pattern,
                "strIssueDate": timezone.localtime(issued_at, VN_TZ).strftime("%Y%m%d%H%M%S"),
                "additionalReferenceDesc": "Hoàn phí, lệ phí",
                "additionalReferenceDate": timezone.localtime(clock.now(), VN_TZ).strftime("%Y%m%d%H%M%S"),
            },
        )
        if answer.get("errorCode"):
            raise ReceiptRefused(f"Viettel: {answer.get('errorCode')} {str(answer.get('description'))[:200]}")

    def adjust(self, data: ReceiptData, *, original_key: str, original_number: str) -> IssuedReceipt:
        adjustment = {
            "adjustmentType": "5",
            "adjustmentInvoiceType": "1",
            "originalInvoiceId": self.series + original_number,
            "originalTemplateCode": self.pattern,
            "adjustedNote": "Điều chỉnh giảm do hoàn phí, lệ phí",
        }
        return self._created(
            self._json(
                "POST",
                f"/InvoiceAPI/InvoiceWS/createInvoice/{self.tax_code}",
                self._invoice(data, adjustment=adjustment),
            )
        )

    def pdf(self, *, key: str, number: str) -> bytes:
        answer = self._json(
            "POST",
            "/InvoiceAPI/InvoiceUtilsWS/getInvoiceRepresentationFile",
            {
                "supplierTaxCode": self.tax_code,
                "invoiceNo": self.series + number,
                "templateCode": self.pattern,
                "transactionUuid": key,
                "fileType": "PDF",
            },
        )
        if answer.get("errorCode"):
            raise ReceiptRefused(f"Viettel: {answer.get('errorCode')} {str(answer.get('description'))[:200]}")
        try:
            content = base64.b64decode(str(answer.get("fileToBytes") or ""), validate=True)
        except ValueError as exc:
            raise ProviderError("Viettel: the file is not base64") from exc
        if not content.startswith(b"%PDF"):
            raise ProviderError("Viettel: the file is not a PDF")
        return content


_PROVIDERS = {VNPT: VnptReceipts, VIETTEL: ViettelReceipts}


def receipt_provider(name: str | None = None) -> ReceiptProvider | None:
    """The configured receipt provider (`CCHC_RECEIPT_PROVIDER`), or None when receipts are not issued
    electronically (the payment's own PDF is then a plain acknowledgement)."""
    name = settings.CCHC_RECEIPT_PROVIDER if name is None else name
    factory = _PROVIDERS.get(name)
    return factory() if factory else None
