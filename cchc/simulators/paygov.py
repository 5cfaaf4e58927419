"""A local stand-in for PayGov, the national payment platform, for the demo and the tests (never in
production). It plays the platform's part of the messages in `paygov.py`, with the configured
merchant code and secret:

- the API (`/paygov/api/`): INIT (checks MaXacThuc and the merchant, stores the transaction,
  answers `UrlThanhToan`), QUERY (from its ledger), GET_BILL (a stub PDF) and REFUND;
- the payment page (`/paygov/thanh-toan/?ma=<MaThamChieu>`): pay, fail or cancel; then, like the
  platform, it POSTs the signed result to the merchant's result URL over HTTP
  (`/api/v1/payments/paygov/confirm` under the merchant's address; ticking "lose the result" skips
  it, for the reconciliation) and sends the browser back to the merchant's registered return page.
"""

import json
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cchc.core.stubpdf import stub_pdf
from cchc.payments import paygov

from .callbacks import call_back, cchc_url
from .models import Transaction

GATEWAY = "paygov"
CHOICES = {"pay": paygov.SUCCESS, "fail": "51", "cancel": "24"}
# The merchant's addresses registered with the platform: where the result is POSTed, where the
# browser goes back (INIT carries neither; docs/integrations.md).
CONFIRM_PATH = "/api/v1/payments/paygov/confirm"
RETURN_PATH = "/thanh-toan/paygov/ket-qua/"
PAGE_PATH = "/paygov/thanh-toan/"


def _secret() -> str:
    return settings.PAYGOV_SECRET


def _error(code: str, message: str, data: dict | None = None) -> dict:
    return {"MaLoi": code, "MoTaLoi": message, **({} if data is None else data)}


def api(body: bytes, *, base_url: str) -> tuple[int, dict | bytes]:
    """Answer one message; returns (HTTP status, JSON object or PDF bytes)."""
    try:
        message = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        message = None
    if not isinstance(message, dict):
        return 400, _error("03", "Dữ liệu không đúng định dạng")
    kind = message.get("LoaiBanTin")
    fields = {
        "INIT": paygov.INIT_FIELDS,
        "QUERY": paygov.QUERY_FIELDS,
        "GET_BILL": paygov.QUERY_FIELDS,
        "REFUND": paygov.REFUND_FIELDS,
    }.get(kind)
    if fields is None:
        return 200, _error("03", "LoaiBanTin không hợp lệ")
    if not paygov.check(message, fields, _secret()):
        return 200, _error("97", "Sai mã xác thực")
    if message.get("MaDoiTac") != settings.PAYGOV_MERCHANT_CODE:
        return 200, _error("02", "Mã đối tác không đúng")
    if message.get("PhienBan") != paygov.VERSION:
        return 200, _error("03", "Phiên bản không được hỗ trợ")
    reference = str(message.get("MaThamChieu") or "")[:64]
    if kind == "INIT":
        return 200, _init(message, reference, base_url)
    row = Transaction.objects.filter(gateway=GATEWAY, txn_ref=reference).first()
    if row is None:
        return 200, _error("01", "Không tìm thấy giao dịch")
    if kind == "QUERY":
        return 200, _result(row, kind="QUERY") | {"TrangThaiGD": row.transaction_status}
    if kind == "GET_BILL":
        if row.transaction_status != paygov.PAID:
            return 200, _error("01", "Giao dịch chưa thanh toán")
        return 200, stub_pdf(
            [
                "NEN TANG THANH TOAN PAYGOV (GIA LAP)",
                f"Ma tham chieu: {row.txn_ref}",
                f"Ma giao dich: {row.transaction_no}",
                f"So tien: {row.amount} VND",
                f"Noi dung: {row.order_info}",
            ]
        )
    return 200, _refund(message, reference)


def _init(message: dict, reference: str, base_url: str) -> dict:
    amount = paygov.whole_dong(message.get("SoTien"))
    if not amount or not reference:
        return _error("03", "Số tiền hoặc mã tham chiếu không hợp lệ")
    row, _created = Transaction.objects.get_or_create(
        txn_ref=reference,
        defaults={
            "gateway": GATEWAY,
            "amount": amount,
            "order_info": str(message.get("ThongTinGiaoDich", ""))[:255],
            "create_date": str(message.get("ThoiGianGD", ""))[:14],
        },
    )
    if row.gateway != GATEWAY or row.amount != amount:
        return _error("94", "Mã tham chiếu đã tồn tại với số tiền khác")
    url = base_url.rstrip("/") + PAGE_PATH + "?ma=" + reference
    return {
        "MaLoi": paygov.SUCCESS,
        "MoTaLoi": "Thành công",
        "MaDoiTac": settings.PAYGOV_MERCHANT_CODE,
        "MaThamChieu": reference,
        "UrlThanhToan": url,
    }


def _result(row: Transaction, *, kind: str) -> dict:
    values = {
        "LoaiBanTin": kind,
        "MaLoi": row.response_code or paygov.SUCCESS,
        "MaDoiTac": settings.PAYGOV_MERCHANT_CODE,
        "MaThamChieu": row.txn_ref,
        "SoTien": str(row.amount),
        "MaTienTe": "VND",
        "MaGiaoDich": row.transaction_no,
        "MaNganHang": row.bank_code,
        "ThoiGianGD": row.pay_date or row.create_date,
        "ThongTinGiaoDich": row.order_info,
    }
    if kind == "QUERY":
        values["MaLoi"] = paygov.SUCCESS  # the query succeeded; TrangThaiGD tells the transaction's state
    return paygov.signed(values, paygov.RESULT_FIELDS, _secret())


def _refund(message: dict, reference: str) -> dict:
    amount = paygov.whole_dong(message.get("SoTien")) or 0
    with transaction.atomic():
        row = Transaction.objects.select_for_update().get(gateway=GATEWAY, txn_ref=reference)
        if row.transaction_status != paygov.PAID:
            return _error("95", "Giao dịch không hoàn được")
        if amount <= 0 or amount > row.amount - row.refunded_amount:
            return _error("03", "Số tiền hoàn không hợp lệ")
        row.refunded_amount += amount
        row.save(update_fields=["refunded_amount", "updated_at"])
    values = {
        "LoaiBanTin": "REFUND",
        "PhienBan": paygov.VERSION,
        "MaDoiTac": settings.PAYGOV_MERCHANT_CODE,
        "MaThamChieu": reference,
        "SoTien": str(amount),
        "ThoiGianGD": paygov.paygov_date(timezone.now()),
    }
    signed_values = paygov.signed(values, paygov.REFUND_FIELDS, _secret())
    return {**signed_values, "MaLoi": paygov.SUCCESS, "MoTaLoi": "Hoàn tiền thành công"}


# ---------------------------------------------------------------- the payment page


@dataclass(frozen=True)
class PageRequest:
    transaction: Transaction | None
    error: str = ""


def read_page(reference: str) -> PageRequest:
    row = Transaction.objects.filter(gateway=GATEWAY, txn_ref=(reference or "")[:64]).first()
    if row is None:
        return PageRequest(None, error="Không tìm thấy giao dịch (chưa khởi tạo qua bản tin INIT).")
    return PageRequest(row)


def complete(row: Transaction, *, choice: str, lose_result: bool = False) -> str | None:
    """The citizen pays, fails or cancels: record it, send the signed result to the merchant, and
    return the URL the browser goes back to. None when the transaction was already completed."""
    code = CHOICES[choice]
    paid = code == paygov.SUCCESS
    with transaction.atomic():
        updated = Transaction.objects.filter(pk=row.pk, transaction_status=paygov.WAITING).update(
            response_code=code,
            transaction_status=paygov.PAID if paid else "02",
            transaction_no=paygov.new_transaction_no() if paid else "",
            bank_code="VCB" if paid else "",
            pay_date=paygov.paygov_date(timezone.now()),
        )
    if not updated:
        return None
    row.refresh_from_db()
    call_back(
        service=GATEWAY,
        reference=row.txn_ref,
        path=CONFIRM_PATH,
        json_body=_result(row, kind="CONFIRM"),
        lose=lose_result,
    )
    return cchc_url() + RETURN_PATH + "?MaThamChieu=" + row.txn_ref
