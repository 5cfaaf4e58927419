"""A local stand-in for the VNPAY gateway, for the demo and the tests (never in production).

It plays VNPAY's part of protocol 2.1.0 with the merchant code and secret it is configured with:
- the payment page (`/vnpay/paymentv2/vpcpay.html`): checks the signed payment URL, shows the
  amount and the order, and offers "Thanh toán" or "Hủy"; then, like VNPAY, it calls the
  merchant's IPN URL over HTTP (`/api/v1/payments/vnpay/ipn` under the merchant's address) and
  sends the browser back to vnp_ReturnUrl with signed parameters. Ticking "lose the IPN" skips
  the notification, so the reconciliation job has something to find;
- the merchant API (`/vnpay/merchant_webapi/api/transaction`): querydr and refund, answered from
  its own ledger (`Transaction`) and signed as VNPAY signs them.
"""

import hmac
import json
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cchc.payments.providers import (
    QUERY_REQUEST_FIELDS,
    QUERY_RESPONSE_FIELDS,
    REFUND_REQUEST_FIELDS,
    REFUND_RESPONSE_FIELDS,
    VNPAY_VERSION,
    flatten_params,
    parse_vnpay_date,
    pipe_checksum,
    vnpay_amount,
    vnpay_check,
    vnpay_date,
    vnpay_signed_query,
)

from .callbacks import call_back
from .models import Transaction

BANK_CODE = "NCB"
# Where VNPAY sends the IPN: the URL the merchant registers with VNPAY, CCHC's endpoint.
IPN_PATH = "/api/v1/payments/vnpay/ipn"


def _credentials() -> tuple[str, str]:
    return settings.VNPAY_TMN_CODE, settings.VNPAY_HASH_SECRET


@dataclass(frozen=True)
class PaymentRequest:
    """A payment URL as the simulator understood it; `error` (Vietnamese) when it is refused."""

    params: dict
    error: str = ""
    amount: int = 0
    transaction: Transaction | None = None


def read_payment_request(query) -> PaymentRequest:
    """Check a payment URL as VNPAY does: signature, merchant, command, amount, expiry."""
    tmn_code, secret = _credentials()
    flat, repeated = flatten_params(query)
    if repeated or not vnpay_check(flat, secret):
        return PaymentRequest(flat, error="Sai chữ ký (mã lỗi 70).")
    if flat.get("vnp_TmnCode") != tmn_code:
        return PaymentRequest(flat, error="Mã website (vnp_TmnCode) không đúng (mã lỗi 02).")
    if flat.get("vnp_Command") != "pay" or flat.get("vnp_Version") != VNPAY_VERSION:
        return PaymentRequest(flat, error="Yêu cầu không đúng định dạng (mã lỗi 03).")
    amount = vnpay_amount(flat.get("vnp_Amount"))
    if not amount or not flat.get("vnp_TxnRef") or not flat.get("vnp_ReturnUrl"):
        return PaymentRequest(flat, error="Yêu cầu không đúng định dạng (mã lỗi 03).")
    expires = parse_vnpay_date(flat.get("vnp_ExpireDate", ""))
    if expires is not None and timezone.now() > expires:
        return PaymentRequest(flat, error="Giao dịch đã quá thời gian chờ thanh toán (mã lỗi 11).")
    transaction_row, _created = Transaction.objects.get_or_create(
        txn_ref=flat["vnp_TxnRef"],
        defaults={
            "amount": int(flat["vnp_Amount"]),
            "order_info": flat.get("vnp_OrderInfo", "")[:255],
            "create_date": flat.get("vnp_CreateDate", "")[:14],
        },
    )
    if transaction_row.amount != int(flat["vnp_Amount"]):
        return PaymentRequest(flat, error="Mã giao dịch đã tồn tại với số tiền khác (mã lỗi 94).")
    return PaymentRequest(flat, amount=amount, transaction=transaction_row)


def complete_payment(request_: PaymentRequest, *, pay: bool, lose_ipn: bool = False) -> str | None:
    """The citizen pays or cancels: record it, notify the merchant (IPN), and return the URL the
    browser goes back to. None when the transaction was already completed (a second click)."""
    tmn_code, secret = _credentials()
    flat = request_.params
    now = timezone.now()
    transaction_no = f"{secrets.randbelow(10**8):08d}" if pay else "0"
    result = {
        "vnp_Amount": flat["vnp_Amount"],
        "vnp_BankCode": BANK_CODE if pay else "VNPAY",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": flat.get("vnp_OrderInfo", ""),
        "vnp_PayDate": vnpay_date(now),
        "vnp_ResponseCode": "00" if pay else "24",
        "vnp_TmnCode": tmn_code,
        "vnp_TransactionNo": transaction_no,
        "vnp_TransactionStatus": "00" if pay else "02",
        "vnp_TxnRef": flat["vnp_TxnRef"],
    }
    if pay:
        result["vnp_BankTranNo"] = f"VNP{transaction_no}"
    with transaction.atomic():
        updated = Transaction.objects.filter(pk=request_.transaction.pk, transaction_status="01").update(
            response_code=result["vnp_ResponseCode"],
            transaction_status=result["vnp_TransactionStatus"],
            transaction_no=transaction_no,
            bank_code=result["vnp_BankCode"],
            pay_date=result["vnp_PayDate"],
        )
    if not updated:
        return None
    query = vnpay_signed_query(result, secret)
    call_back(service="vnpay", reference=flat["vnp_TxnRef"], path=IPN_PATH, query=query, lose=lose_ipn)
    return_url = flat["vnp_ReturnUrl"]
    return return_url + ("&" if "?" in return_url else "?") + query


# ---------------------------------------------------------------- merchant API (querydr, refund)


def _answer(fields: tuple[str, ...], values: dict) -> dict:
    _tmn, secret = _credentials()
    answer = {name: str(values.get(name, "")) for name in fields}
    answer["vnp_SecureHash"] = pipe_checksum(answer, fields, secret)
    return answer


def merchant_api(body: bytes) -> dict:
    """Answer a querydr or refund request as VNPAY's merchant API does."""
    tmn_code, secret = _credentials()
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        data = None
    if not isinstance(data, dict):
        return {"vnp_ResponseCode": "03", "vnp_Message": "Invalid data format"}
    command = data.get("vnp_Command")
    request_fields = {"querydr": QUERY_REQUEST_FIELDS, "refund": REFUND_REQUEST_FIELDS}.get(command)
    response_fields = QUERY_RESPONSE_FIELDS if command == "querydr" else REFUND_RESPONSE_FIELDS
    base = {
        "vnp_ResponseId": secrets.token_hex(16),
        "vnp_Command": command or "",
        "vnp_TmnCode": tmn_code,
        "vnp_TxnRef": str(data.get("vnp_TxnRef", "")),
    }
    if request_fields is None:
        return {"vnp_ResponseCode": "03", "vnp_Message": "Invalid data format"}
    received = str(data.get("vnp_SecureHash", "")).lower()
    if not received or not hmac.compare_digest(received, pipe_checksum(data, request_fields, secret)):
        return _answer(response_fields, {**base, "vnp_ResponseCode": "97", "vnp_Message": "Invalid Checksum"})
    if data.get("vnp_TmnCode") != tmn_code:
        return _answer(response_fields, {**base, "vnp_ResponseCode": "02", "vnp_Message": "Invalid TmnCode"})
    with transaction.atomic():
        row = Transaction.objects.select_for_update().filter(txn_ref=base["vnp_TxnRef"]).first()
        if row is None:
            return _answer(response_fields, {**base, "vnp_ResponseCode": "91", "vnp_Message": "Transaction not found"})
        details = {
            **base,
            "vnp_Amount": str(row.amount),
            "vnp_BankCode": row.bank_code,
            "vnp_PayDate": row.pay_date,
            "vnp_TransactionNo": row.transaction_no,
            "vnp_TransactionStatus": row.transaction_status,
            "vnp_OrderInfo": row.order_info,
        }
        if command == "querydr":
            kind = "01" if not row.refunded_amount else ("02" if row.refunded_amount == row.amount else "03")
            return _answer(
                response_fields,
                {**details, "vnp_ResponseCode": "00", "vnp_Message": "QueryDR Success", "vnp_TransactionType": kind},
            )
        amount = str(data.get("vnp_Amount", ""))
        if row.transaction_status != "00":
            return _answer(response_fields, {**details, "vnp_ResponseCode": "95", "vnp_Message": "Not refundable"})
        if not amount.isdigit() or int(amount) <= 0 or int(amount) > row.amount - row.refunded_amount:
            return _answer(response_fields, {**details, "vnp_ResponseCode": "03", "vnp_Message": "Invalid amount"})
        row.refunded_amount += int(amount)
        row.save(update_fields=["refunded_amount", "updated_at"])
        return _answer(
            response_fields,
            {
                **details,
                "vnp_Amount": amount,
                "vnp_ResponseCode": "00",
                "vnp_Message": "Refund success",
                "vnp_TransactionType": str(data.get("vnp_TransactionType", "02")),
                "vnp_TransactionStatus": "05",  # VNPAY is processing the refund
            },
        )
