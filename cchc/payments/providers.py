"""Payment providers behind one interface, and the VNPAY adapter (protocol version 2.1.0).

A provider turns a `Payment` into the URL the citizen is sent to, checks the signature of
what the gateway sends back (the browser's return and the server-to-server IPN), queries a
transaction (querydr) and refunds one. Services only speak to `provider_for(name)`.

VNPAY 2.1.0, as published by VNPAY:
- payment URL: the vnp_* parameters sorted by key, each value URL-encoded (`quote_plus`),
  joined as `k=v` with `&`; `vnp_SecureHash` = hex HMAC-SHA512 of that string with the
  merchant's hash secret; `vnp_Amount` = amount in VND × 100; dates `yyyyMMddHHmmss` in GMT+7;
- callbacks (return URL, IPN): the same string over every vnp_* parameter received except
  `vnp_SecureHash` and `vnp_SecureHashType`, compared in constant time;
- querydr and refund: a JSON POST to the merchant API whose `vnp_SecureHash` is the
  HMAC-SHA512 of the fields joined by "|" in a fixed order; the answer is signed the same way.

The HTTP call goes through `post_json`, one small function tests replace; nothing here
talks to the network at import time.
"""

import hashlib
import hmac
import logging
import re
import secrets
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol
from urllib.parse import quote_plus, urlencode

from django.conf import settings
from django.utils import timezone

from cchc.core import clock, http, integrations
from cchc.core.calendar import VN_TZ

logger = logging.getLogger(__name__)

VNPAY_VERSION = "2.1.0"
VNPAY_DATE_FORMAT = "%Y%m%d%H%M%S"
# How long the citizen has on the gateway's page (vnp_ExpireDate).
PAYMENT_TTL = timedelta(minutes=15)
HTTP_TIMEOUT_SECONDS = 15
# Demo credentials for the local simulator; a real merchant sets VNPAY_TMN_CODE / VNPAY_HASH_SECRET.
DEMO_TMN_CODE = "CCHCDEMO"
DEMO_HASH_SECRET = "cchc-demo-hash-secret-chi-dung-cho-gia-lap"  # noqa: S105 - documented demo value

QUERY_REQUEST_FIELDS = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
QUERY_RESPONSE_FIELDS = (
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
    "vnp_PromotionCode",
    "vnp_PromotionAmount",
)
REFUND_REQUEST_FIELDS = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TransactionType",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_TransactionNo",
    "vnp_TransactionDate",
    "vnp_CreateBy",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
# The refund answer is signed over the first 13 fields of the querydr answer (no promotion).
REFUND_RESPONSE_FIELDS = QUERY_RESPONSE_FIELDS[:13]

# vnp_ResponseCode of a payment (return URL, IPN), as VNPAY documents them.
RESPONSE_MESSAGES = {
    "00": "Giao dịch thành công.",
    "07": "Trừ tiền thành công nhưng giao dịch bị nghi ngờ gian lận.",
    "09": "Thẻ/Tài khoản chưa đăng ký dịch vụ Internet Banking.",
    "10": "Xác thực thông tin thẻ/tài khoản không đúng quá 3 lần.",
    "11": "Đã hết hạn chờ thanh toán.",
    "12": "Thẻ/Tài khoản bị khóa.",
    "13": "Nhập sai mật khẩu xác thực giao dịch (OTP).",
    "24": "Khách hàng hủy giao dịch.",
    "51": "Tài khoản không đủ số dư.",
    "65": "Tài khoản đã vượt quá hạn mức giao dịch trong ngày.",
    "75": "Ngân hàng thanh toán đang bảo trì.",
    "79": "Nhập sai mật khẩu thanh toán quá số lần quy định.",
    "99": "Lỗi khác.",
}
# The citizen gave up (cancelled, or let the page expire): the attempt is cancelled, not failed.
CANCELLED_CODES = frozenset({"24", "11"})


class ProviderError(Exception):
    """The gateway could not be reached or answered something unreadable."""


@dataclass(frozen=True)
class VerifiedCallback:
    """What a return URL or an IPN says, and whether its signature holds."""

    valid_signature: bool
    reference: str = ""
    amount: int | None = None  # VND; None when vnp_Amount is missing or not a whole number of đồng
    response_code: str = ""
    transaction_status: str = ""
    transaction_no: str = ""
    bank_code: str = ""
    pay_date: datetime | None = None
    tmn_code: str = ""
    raw: dict = field(default_factory=dict)
    cancelled: bool = False  # the citizen gave up (cancelled, or let the page expire): not a failure

    @property
    def succeeded(self) -> bool:
        """Paid: VNPAY says so only when both the response code and the transaction status are 00."""
        return self.response_code == "00" and self.transaction_status == "00"


@dataclass(frozen=True)
class QueryResult:
    """The answer to querydr. `ok`: answered with code 00 and a valid signature."""

    ok: bool
    response_code: str = ""
    message: str = ""
    transaction_status: str = ""
    amount: int | None = None
    transaction_no: str = ""
    bank_code: str = ""
    pay_date: datetime | None = None
    raw: dict = field(default_factory=dict)

    @property
    def not_found(self) -> bool:
        """The gateway has no such transaction (the citizen never reached its payment page)."""
        return self.response_code == "91"

    @property
    def succeeded(self) -> bool:
        return self.ok and self.transaction_status == "00"


@dataclass(frozen=True)
class RefundResult:
    ok: bool
    response_code: str = ""
    message: str = ""
    transaction_no: str = ""
    raw: dict = field(default_factory=dict)


class PaymentProvider(Protocol):
    name: str
    tmn_code: str  # our merchant code at the gateway; a callback for another merchant is refused
    reference_param: str  # the callback parameter that names our transaction

    def configured(self) -> bool:
        """The merchant's own code and secret are set (not empty, not the published demo values)."""
        ...

    def logs_param(self, key: str) -> bool:
        """Whether a callback parameter is kept in the IPN log (the protocol's own names only)."""
        ...

    def create_payment_url(self, payment, *, return_url: str, client_ip: str | None) -> str: ...

    def verify_callback(self, params: Mapping[str, str]) -> VerifiedCallback: ...

    def query(self, payment) -> QueryResult: ...

    def refund(self, payment, amount: int, *, actor: str) -> RefundResult: ...


# ---------------------------------------------------------------- VNPAY signing (pure)


def vnpay_hash_data(params: Mapping[str, object]) -> str:
    """The string VNPAY signs: sorted `key=quote_plus(value)` pairs joined by `&`."""
    return "&".join(f"{key}={quote_plus(str(value))}" for key, value in sorted(params.items()))


def hmac_sha512(secret: str, data: str) -> str:
    return hmac.new(secret.encode("utf-8"), data.encode("utf-8"), hashlib.sha512).hexdigest()


def vnpay_sign(params: Mapping[str, object], secret: str) -> str:
    return hmac_sha512(secret, vnpay_hash_data(params))


def vnpay_signed_query(params: Mapping[str, object], secret: str) -> str:
    """The query string of a signed VNPAY URL (the payment URL, or a simulated callback)."""
    return vnpay_hash_data(params) + "&" + urlencode({"vnp_SecureHash": vnpay_sign(params, secret)})


def vnpay_check(params: Mapping[str, str], secret: str) -> bool:
    """Whether the vnp_SecureHash of a callback matches its other vnp_* parameters."""
    if not secret:  # an empty key is a key anyone can sign with
        return False
    received = str(params.get("vnp_SecureHash") or "").lower()
    signed = {
        key: value
        for key, value in params.items()
        if key.startswith("vnp_") and key not in ("vnp_SecureHash", "vnp_SecureHashType")
    }
    if not received or not signed:
        return False
    return hmac.compare_digest(received, vnpay_sign(signed, secret))


def pipe_checksum(values: Mapping[str, object], fields: tuple[str, ...], secret: str) -> str:
    """querydr / refund checksum: the fields' values joined by "|" in the documented order."""
    return hmac_sha512(secret, "|".join(str(values.get(name, "") or "") for name in fields))


def vnpay_date(moment: datetime) -> str:
    return timezone.localtime(moment, VN_TZ).strftime(VNPAY_DATE_FORMAT)


def parse_vnpay_date(text: str) -> datetime | None:
    try:
        return datetime.strptime(text or "", VNPAY_DATE_FORMAT).replace(tzinfo=VN_TZ)
    except ValueError:
        return None


def vnpay_amount(text: object) -> int | None:
    """`vnp_Amount` (VND × 100) back to đồng; None if it is not a whole number of đồng."""
    digits = str(text if text is not None else "")
    if not digits.isascii() or not digits.isdigit():
        return None
    value = int(digits)
    return value // 100 if value % 100 == 0 else None


def ascii_order_info(text: str) -> str:
    """VNPAY asks for order information without diacritics or special characters."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", re.sub(r"[^A-Za-z0-9 .:\-]", " ", plain)).strip()[:255]


# ---------------------------------------------------------------- transport


def post_json(url: str, payload: dict, *, timeout: float = HTTP_TIMEOUT_SECONDS) -> dict:
    """POST `payload` as JSON and return the JSON answer (through `cchc.core.http`). Tests replace this function."""
    try:
        return http.post_json(url, payload, timeout=timeout)
    except http.ProviderUnreachable as exc:
        raise ProviderError(f"gateway: {exc}") from exc


def flatten_params(params: Mapping) -> tuple[dict[str, str], list[str]]:
    """Parameters as single strings, and the names that came more than once."""
    flat: dict[str, str] = {}
    repeated: list[str] = []
    items = params.lists() if hasattr(params, "lists") else params.items()
    for key, value in items:
        values = value if isinstance(value, list | tuple) else [value]
        if len(values) > 1:
            repeated.append(str(key))
        flat[str(key)] = str(values[-1]) if values else ""
    return flat, repeated


# ---------------------------------------------------------------- the VNPAY adapter


def site_url() -> str:
    return settings.CCHC_PUBLIC_URL.rstrip("/")


class VnpayProvider:
    """VNPAY, configured from settings (VNPAY_TMN_CODE, VNPAY_HASH_SECRET, VNPAY_PAY_URL,
    VNPAY_API_URL). Empty URLs mean the simulator server's VNPAY (`CCHC_SIMULATOR_URL/vnpay`);
    `base_url` is this site's address, for the return URL."""

    name = "vnpay"
    reference_param = "vnp_TxnRef"

    def __init__(
        self,
        *,
        tmn_code: str | None = None,
        hash_secret: str | None = None,
        pay_url: str | None = None,
        api_url: str | None = None,
        base_url: str | None = None,
        server_ip: str = "127.0.0.1",
        transport: Callable[..., dict] | None = None,
    ):
        self.tmn_code = tmn_code if tmn_code is not None else settings.VNPAY_TMN_CODE
        self.hash_secret = hash_secret if hash_secret is not None else settings.VNPAY_HASH_SECRET
        simulator = integrations.simulator_url("vnpay")
        self.pay_url = pay_url or settings.VNPAY_PAY_URL or simulator + "/paymentv2/vpcpay.html"
        self.api_url = api_url or settings.VNPAY_API_URL or simulator + "/merchant_webapi/api/transaction"
        self.server_ip = server_ip
        self._transport = transport

    def configured(self) -> bool:
        return (
            bool(self.tmn_code and self.hash_secret)
            and self.tmn_code != DEMO_TMN_CODE
            and (self.hash_secret != DEMO_HASH_SECRET)
        )

    @staticmethod
    def logs_param(key: str) -> bool:
        return key.startswith("vnp_")

    # -- paying

    def payment_params(self, payment, *, return_url: str, client_ip: str | None) -> dict[str, str]:
        created = payment.created_at
        return {
            "vnp_Version": VNPAY_VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": str(payment.amount * 100),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": payment.reference,
            "vnp_OrderInfo": ascii_order_info(f"Nop phi ho so {payment.dossier.code}"),
            "vnp_OrderType": "other",
            "vnp_Locale": "vn",
            "vnp_ReturnUrl": return_url,
            "vnp_IpAddr": client_ip or "127.0.0.1",
            "vnp_CreateDate": vnpay_date(created),
            "vnp_ExpireDate": vnpay_date(created + PAYMENT_TTL),
        }

    def create_payment_url(self, payment, *, return_url: str, client_ip: str | None) -> str:
        params = self.payment_params(payment, return_url=return_url, client_ip=client_ip)
        return f"{self.pay_url}?{vnpay_signed_query(params, self.hash_secret)}"

    def verify_callback(self, params: Mapping[str, str]) -> VerifiedCallback:
        flat = {key: str(value) for key, value in params.items()}
        return VerifiedCallback(
            valid_signature=vnpay_check(flat, self.hash_secret),
            reference=flat.get("vnp_TxnRef", ""),
            amount=vnpay_amount(flat.get("vnp_Amount")),
            response_code=flat.get("vnp_ResponseCode", ""),
            transaction_status=flat.get("vnp_TransactionStatus", ""),
            transaction_no=flat.get("vnp_TransactionNo", ""),
            bank_code=flat.get("vnp_BankCode", ""),
            pay_date=parse_vnpay_date(flat.get("vnp_PayDate", "")),
            tmn_code=flat.get("vnp_TmnCode", ""),
            raw=flat,
            cancelled=flat.get("vnp_ResponseCode", "") in CANCELLED_CODES,
        )

    # -- merchant API (querydr, refund)

    def _post(self, payload: dict) -> dict:
        transport = self._transport or post_json
        return transport(self.api_url, payload, timeout=HTTP_TIMEOUT_SECONDS)

    def _signed(self, answer: dict, fields: tuple[str, ...], reference: str) -> bool:
        """The answer is about our transaction, for our merchant code, checksummed with our secret."""
        received = str(answer.get("vnp_SecureHash") or "").lower()
        return (
            bool(received)
            and hmac.compare_digest(received, pipe_checksum(answer, fields, self.hash_secret))
            and str(answer.get("vnp_TmnCode", "")) == self.tmn_code
            and str(answer.get("vnp_TxnRef", "")) in ("", reference)
        )

    def query(self, payment) -> QueryResult:
        payload = {
            "vnp_RequestId": secrets.token_hex(16),
            "vnp_Version": VNPAY_VERSION,
            "vnp_Command": "querydr",
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": payment.reference,
            "vnp_OrderInfo": ascii_order_info(f"Truy van giao dich {payment.reference}"),
            "vnp_TransactionDate": vnpay_date(payment.created_at),
            "vnp_CreateDate": vnpay_date(clock.now()),
            "vnp_IpAddr": self.server_ip,
        }
        payload["vnp_SecureHash"] = pipe_checksum(payload, QUERY_REQUEST_FIELDS, self.hash_secret)
        answer = self._post(payload)
        code = str(answer.get("vnp_ResponseCode", ""))
        message = str(answer.get("vnp_Message", ""))
        if not self._signed(answer, QUERY_RESPONSE_FIELDS, payment.reference):
            logger.warning("querydr answer for %s is not signed by the gateway", payment.reference)
            return QueryResult(ok=False, response_code="97", message=message, raw=answer)
        if code != "00" or str(answer.get("vnp_TxnRef", "")) != payment.reference:
            return QueryResult(ok=False, response_code=code, message=message, raw=answer)
        return QueryResult(
            ok=True,
            response_code=code,
            message=message,
            transaction_status=str(answer.get("vnp_TransactionStatus", "")),
            amount=vnpay_amount(answer.get("vnp_Amount")),
            transaction_no=str(answer.get("vnp_TransactionNo", "")),
            bank_code=str(answer.get("vnp_BankCode", "")),
            pay_date=parse_vnpay_date(str(answer.get("vnp_PayDate", ""))),
            raw=answer,
        )

    def refund(self, payment, amount: int, *, actor: str) -> RefundResult:
        payload = {
            "vnp_RequestId": secrets.token_hex(16),
            "vnp_Version": VNPAY_VERSION,
            "vnp_Command": "refund",
            "vnp_TmnCode": self.tmn_code,
            "vnp_TransactionType": "02" if amount == payment.amount else "03",  # full | partial
            "vnp_TxnRef": payment.reference,
            "vnp_Amount": str(amount * 100),
            "vnp_OrderInfo": ascii_order_info(f"Hoan phi ho so {payment.dossier.code}"),
            "vnp_TransactionNo": payment.transaction_no,
            "vnp_TransactionDate": vnpay_date(payment.created_at),
            "vnp_CreateBy": (actor or "system")[:250],
            "vnp_CreateDate": vnpay_date(clock.now()),
            "vnp_IpAddr": self.server_ip,
        }
        payload["vnp_SecureHash"] = pipe_checksum(payload, REFUND_REQUEST_FIELDS, self.hash_secret)
        answer = self._post(payload)
        code = str(answer.get("vnp_ResponseCode", ""))
        if not self._signed(answer, REFUND_RESPONSE_FIELDS, payment.reference):
            logger.warning("refund answer for %s is not signed by the gateway", payment.reference)
            code = "97"
        return RefundResult(
            ok=code == "00",
            response_code=code,
            message=str(answer.get("vnp_Message", "")),
            transaction_no=str(answer.get("vnp_TransactionNo", "")),
            raw=answer,
        )


# ---------------------------------------------------------------- registry

_FACTORIES: dict[str, Callable[..., PaymentProvider]] = {"vnpay": VnpayProvider}


def provider_for(name: str, **options) -> PaymentProvider:
    """The provider called `name`, configured from settings (options: e.g. base_url)."""
    try:
        factory = _FACTORIES[name]
    except KeyError:
        raise ProviderError(f"unknown payment provider {name!r}") from None
    return factory(**options)


def register_provider(name: str, factory: Callable[..., PaymentProvider]) -> Callable[..., PaymentProvider] | None:
    """Install `factory` for `name` (tests install a recording fake); returns the previous one."""
    previous = _FACTORIES.get(name)
    _FACTORIES[name] = factory
    return previous


def new_reference(now: datetime | None = None) -> str:
    """`CCHC` + yymmdd + 8 random capital letters and digits: 18 characters (vnp_TxnRef allows 34)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    day = timezone.localtime(now or clock.now(), VN_TZ).strftime("%y%m%d")
    return "CCHC" + day + "".join(secrets.choice(alphabet) for _ in range(8))
