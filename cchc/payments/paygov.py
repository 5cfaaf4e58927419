"""PayGov, the national payment platform on the National Public Service Portal (Nền tảng thanh toán
trực tuyến, "ppdvcqg"), as the second payment provider beside VNPAY.

What the public code of two integrators shows (docs/integrations.md, section "PayGov"):
- JSON messages typed by `LoaiBanTin` (INIT, QUERY, GET_BILL; the platform sends the result
  back to us), `PhienBan` "1.0.6";
- `MaXacThuc` = SHA-256 hex of the listed fields' values joined by "|", the shared secret last;
- INIT answers `UrlThanhToan`, where the citizen is sent; the platform then POSTs the signed
  result to our endpoint (`POST /api/v1/payments/paygov/confirm`), which answers `MaLoi` "00"
  when recorded (or already recorded) and "99" otherwise;
- amounts (`SoTien`) are whole đồng; times `yyyyMMddHHmmss` in Vietnam's time.

The reply of INIT comes in two shapes in the wild (a flat object with `MaLoi`, or
`{error_code, message}` with the object as a JSON string in `message`); both are read.
REFUND is not in any public code: its message is modelled on QUERY and must be confirmed.
"""

import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Mapping
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from cchc.core import clock, http, integrations
from cchc.core.calendar import VN_TZ

from .providers import (
    HTTP_TIMEOUT_SECONDS,
    ProviderError,
    QueryResult,
    RefundResult,
    VerifiedCallback,
    register_provider,
)

logger = logging.getLogger(__name__)

NAME = "paygov"
VERSION = "1.0.6"
DATE_FORMAT = "%Y%m%d%H%M%S"
DEMO_MERCHANT_CODE = "CCHCDEMO"
DEMO_SECRET = "cchc-demo-paygov-secret-chi-dung-cho-gia-lap"  # noqa: S105 - documented demo value

INIT_FIELDS = (
    "LoaiBanTin",
    "PhienBan",
    "MaDoiTac",
    "MaThamChieu",
    "SoTien",
    "LoaiHinhThanhToan",
    "MaKenhThanhToan",
    "MaThietBi",
    "NgonNgu",
    "MaTienTe",
    "MaNganHang",
    "ThongTinGiaoDich",
    "ThoiGianGD",
    "Ip",
)
# The result the platform POSTs to us, and the answer to QUERY (which adds TrangThaiGD, unsigned).
RESULT_FIELDS = (
    "LoaiBanTin",
    "MaLoi",
    "MaDoiTac",
    "MaThamChieu",
    "SoTien",
    "MaTienTe",
    "MaGiaoDich",
    "MaNganHang",
    "ThoiGianGD",
    "ThongTinGiaoDich",
)
QUERY_FIELDS = ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "ThoiGianGD")  # QUERY and GET_BILL
REFUND_FIELDS = ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "SoTien", "ThoiGianGD")  # to confirm
# Our answer to the result (inferred: the fields OpenCPS answers, hashed in that order).
ANSWER_FIELDS = ("MaLoi", "MaDoiTac", "MaThamChieu", "ThoiGianGD")

SUCCESS = "00"
OTHER_ERROR = "99"
# MaLoi values of the simulator beyond "00" (success) and "99" (other): the official list is unconfirmed.
CANCELLED_CODES = frozenset({"24"})
MESSAGES = {
    "00": "Giao dịch thành công.",
    "24": "Người nộp hủy giao dịch.",
    "51": "Tài khoản không đủ số dư.",
    "99": "Lỗi khác.",
}
# TrangThaiGD in a QUERY answer (simulator's values; to confirm): 00 paid, 01 waiting, 02 failed or cancelled.
PAID, WAITING = "00", "01"


def checksum(values: Mapping[str, object], fields: tuple[str, ...], secret: str) -> str:
    """MaXacThuc: SHA-256 hex of the fields' values joined by "|", the secret last."""
    joined = "|".join([*(str(values.get(name, "") or "") for name in fields), secret])
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def signed(values: dict, fields: tuple[str, ...], secret: str) -> dict:
    return {**values, "MaXacThuc": checksum(values, fields, secret)}


def check(values: Mapping[str, object], fields: tuple[str, ...], secret: str) -> bool:
    received = str(values.get("MaXacThuc") or "").lower()
    return bool(secret and received) and hmac.compare_digest(received, checksum(values, fields, secret))


def paygov_date(moment: datetime) -> str:
    return timezone.localtime(moment, VN_TZ).strftime(DATE_FORMAT)


def parse_date(text: str) -> datetime | None:
    try:
        return datetime.strptime(text or "", DATE_FORMAT).replace(tzinfo=VN_TZ)
    except ValueError:
        return None


def whole_dong(value: object) -> int | None:
    text = str(value if value is not None else "")
    return int(text) if text.isascii() and text.isdigit() else None


def unwrap(answer: dict) -> dict:
    """The INIT reply in either shape: flat (`MaLoi` at the top) or `{error_code, message: "<json>"}`."""
    if "MaLoi" in answer or "message" not in answer:
        return answer
    inner = answer.get("message")
    if isinstance(inner, str):
        try:
            inner = json.loads(inner)
        except ValueError:
            return {"MaLoi": str(answer.get("error_code", OTHER_ERROR)), "MoTaLoi": inner}
    if isinstance(inner, dict):
        return {"MaLoi": str(answer.get("error_code", "")), **inner}
    return {"MaLoi": str(answer.get("error_code", OTHER_ERROR))}


class PayGovProvider:
    """PayGov, configured from settings (PAYGOV_MERCHANT_CODE, PAYGOV_SECRET, PAYGOV_API_URL).
    An empty URL means the simulator server's PayGov (`CCHC_SIMULATOR_URL/paygov/api/`); `base_url`
    (this site's address) is not needed: the return page is registered with the platform."""

    name = NAME
    reference_param = "MaThamChieu"

    def __init__(
        self,
        *,
        merchant_code: str | None = None,
        secret: str | None = None,
        api_url: str | None = None,
        base_url: str | None = None,
    ):
        self.tmn_code = merchant_code if merchant_code is not None else settings.PAYGOV_MERCHANT_CODE
        self.secret = secret if secret is not None else settings.PAYGOV_SECRET
        self.api_url = api_url or settings.PAYGOV_API_URL or integrations.simulator_url("paygov") + "/api/"

    def configured(self) -> bool:
        return (
            bool(self.tmn_code and self.secret) and self.tmn_code != DEMO_MERCHANT_CODE and self.secret != DEMO_SECRET
        )

    @staticmethod
    def logs_param(key: str) -> bool:
        return key in RESULT_FIELDS or key in ("MaXacThuc", "MoTaLoi")

    def _post(self, message: dict) -> dict:
        try:
            return http.post_json(self.api_url, message, timeout=HTTP_TIMEOUT_SECONDS)
        except http.ProviderUnreachable as exc:
            raise ProviderError(f"PayGov: {exc}") from exc

    # -- paying

    def init_message(self, payment, *, client_ip: str | None) -> dict:
        dossier = payment.dossier
        message = {
            "LoaiBanTin": "INIT",
            "PhienBan": VERSION,
            "MaDoiTac": self.tmn_code,
            "MaThamChieu": payment.reference,
            "SoTien": str(payment.amount),
            "LoaiHinhThanhToan": "PAY",
            "MaKenhThanhToan": "1",
            "MaThietBi": "1",
            "NgonNgu": "vi-VN",
            "MaTienTe": "VND",
            "MaNganHang": "PAYMENT",
            "ThongTinGiaoDich": f"Nộp phí, lệ phí hồ sơ {dossier.code}",
            "ThoiGianGD": paygov_date(payment.created_at),
            "Ip": client_ip or "127.0.0.1",
        }
        signed_message = signed(message, INIT_FIELDS, self.secret)
        signed_message["ThongTinBienLai"] = self.receipt_info(payment)
        return signed_message

    @staticmethod
    def receipt_info(payment) -> dict:
        """What the platform prints on its own receipt (MaDichVu 2: fees of a dossier)."""
        dossier = payment.dossier
        version = dossier.procedure_version
        return {
            "MaDichVu": 2,
            "MaTTHC": dossier.procedure.code,
            "TenTTHC": version.name[:500],
            "MaDonVi": dossier.agency.code,
            "TenDonVi": dossier.agency.name,
            "MaHoSo": dossier.code or "",
            "HoTenNguoiNop": dossier.applicant_name,
            "SoCMNDNguoiNop": dossier.applicant_identifier,
            "DiaChiNguoiNop": dossier.applicant_address,
            "NoiDungThanhToan": f"Nộp phí, lệ phí hồ sơ {dossier.code}",
            "PhiLePhi": [
                {
                    "LoaiPhiLePhi": "1" if fee.kind == "charge" else "2",  # 1 phí, 2 lệ phí
                    "MaPhiLePhi": str(fee.pk),
                    "TenPhiLePhi": fee.name,
                    "SoTien": fee.amount_for(online=True),
                }
                for fee in version.fees.all()
            ],
        }

    def create_payment_url(self, payment, *, return_url: str, client_ip: str | None) -> str:
        """INIT the transaction; the platform answers the URL of its payment page. (The return URL is
        registered with PayGov, not sent: `return_url` is unused here.)"""
        answer = unwrap(self._post(self.init_message(payment, client_ip=client_ip)))
        url = str(answer.get("UrlThanhToan") or "")
        if str(answer.get("MaLoi")) != SUCCESS or not url.startswith(("https://", "http://")):
            raise ProviderError(f"PayGov INIT refused: {answer.get('MaLoi')!r} {str(answer.get('MoTaLoi'))[:200]!r}")
        return url

    def verify_callback(self, params: Mapping[str, str]) -> VerifiedCallback:
        flat = {key: str(value) for key, value in params.items()}
        code = flat.get("MaLoi", "")
        return VerifiedCallback(
            valid_signature=check(flat, RESULT_FIELDS, self.secret),
            reference=flat.get("MaThamChieu", ""),
            amount=whole_dong(flat.get("SoTien")),
            response_code=code,
            transaction_status=code,  # one code says it all in PayGov's result
            transaction_no=flat.get("MaGiaoDich", ""),
            bank_code=flat.get("MaNganHang", ""),
            pay_date=parse_date(flat.get("ThoiGianGD", "")),
            tmn_code=flat.get("MaDoiTac", ""),
            raw=flat,
            cancelled=code in CANCELLED_CODES,
        )

    def answer(self, *, recorded: bool, message: str, params: Mapping[str, str]) -> dict:
        """Our signed answer to a result: "00" recorded (or recorded before), "99" otherwise."""
        values = {
            "MaLoi": SUCCESS if recorded else OTHER_ERROR,
            "MoTaLoi": "Thành công" if recorded else message,
            "MaDoiTac": self.tmn_code,
            "MaThamChieu": str(params.get("MaThamChieu", ""))[:64],
            "ThoiGianGD": paygov_date(clock.now()),
        }
        return signed(values, ANSWER_FIELDS, self.secret)

    # -- asking the platform

    def _query_message(self, kind: str, payment) -> dict:
        message = {
            "LoaiBanTin": kind,
            "PhienBan": VERSION,
            "MaDoiTac": self.tmn_code,
            "MaThamChieu": payment.reference,
            "ThoiGianGD": paygov_date(payment.created_at),
        }
        return signed(message, QUERY_FIELDS, self.secret)

    def query(self, payment) -> QueryResult:
        answer = self._post(self._query_message("QUERY", payment))
        code = str(answer.get("MaLoi", ""))
        message = str(answer.get("MoTaLoi", ""))
        if code != SUCCESS:
            return QueryResult(ok=False, response_code="91" if code == "01" else code[:4], message=message, raw=answer)
        if (
            not check(answer, RESULT_FIELDS, self.secret)
            or answer.get("MaDoiTac") != self.tmn_code
            or answer.get("MaThamChieu") != payment.reference
        ):
            logger.warning("PayGov QUERY answer for %s is not signed by the platform", payment.reference)
            return QueryResult(ok=False, response_code="97", message=message, raw=answer)
        return QueryResult(
            ok=True,
            response_code=code,
            message=message,
            transaction_status=str(answer.get("TrangThaiGD", "")),
            amount=whole_dong(answer.get("SoTien")),
            transaction_no=str(answer.get("MaGiaoDich", "")),
            bank_code=str(answer.get("MaNganHang", "")),
            pay_date=parse_date(str(answer.get("ThoiGianGD", ""))),
            raw=answer,
        )

    def refund(self, payment, amount: int, *, actor: str) -> RefundResult:
        message = {
            "LoaiBanTin": "REFUND",
            "PhienBan": VERSION,
            "MaDoiTac": self.tmn_code,
            "MaThamChieu": payment.reference,
            "SoTien": str(amount),
            "ThoiGianGD": paygov_date(clock.now()),
        }
        answer = self._post({**signed(message, REFUND_FIELDS, self.secret), "NguoiYeuCau": (actor or "system")[:100]})
        code = str(answer.get("MaLoi", ""))
        if code == SUCCESS and not check(answer, REFUND_FIELDS, self.secret):
            logger.warning("PayGov REFUND answer for %s is not signed by the platform", payment.reference)
            code = "97"
        return RefundResult(
            ok=code == SUCCESS,
            response_code=code[:4],
            message=str(answer.get("MoTaLoi", "")),
            transaction_no=str(answer.get("MaGiaoDich", "")),
            raw=answer,
        )

    def bill_pdf(self, payment) -> bytes:
        """GET_BILL: the platform's own receipt of the transaction, as PDF bytes."""
        try:
            answer = http.send("POST", self.api_url, json_body=self._query_message("GET_BILL", payment))
        except http.ProviderUnreachable as exc:
            raise ProviderError(f"PayGov: {exc}") from exc
        if answer.status != 200 or not answer.content.startswith(b"%PDF"):
            raise ProviderError(f"PayGov GET_BILL: HTTP {answer.status}")
        return answer.content


def new_transaction_no() -> str:
    return f"PG{secrets.randbelow(10**10):010d}"


register_provider(NAME, PayGovProvider)
