"""Builders for payment tests: dossiers made through the services, IPNs signed as VNPAY signs them."""

from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings

from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.helpers import act, submit, user
from cchc.payments.models import Payment
from cchc.payments.providers import vnpay_sign
from cchc.payments.services import payment_start

BEFORE_RECEPTION = "1.000010"  # 135.000 đ at the counter, 115.000 đ online; fee due at submission
BEFORE_RESULT = "1.003683"  # 70.000 đ, fee due with the (paper) result


def started(code: str = BEFORE_RECEPTION, username: str = "congdan") -> tuple[Dossier, Payment, str]:
    """An online dossier and a fresh payment attempt: (dossier, payment, pay_url)."""
    dossier = submit(username=username, code=code)
    payment, url = payment_start(dossier=dossier, user=user(username))
    return dossier, payment, url


def ipn_params(payment: Payment, *, response_code="00", status="00", amount=None, secret=None, **extra) -> dict:
    """The parameters VNPAY sends to the IPN URL, signed with `secret` (default: the configured one)."""
    params = {
        "vnp_Amount": str((payment.amount if amount is None else amount) * 100),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP14226112",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": f"Nop phi ho so {payment.dossier.code}",
        "vnp_PayDate": "20260302093015",
        "vnp_ResponseCode": response_code,
        "vnp_TmnCode": settings.VNPAY_TMN_CODE,
        "vnp_TransactionNo": "14226112",
        "vnp_TransactionStatus": status,
        "vnp_TxnRef": payment.reference,
        **extra,
    }
    params["vnp_SecureHash"] = vnpay_sign(params, secret or settings.VNPAY_HASH_SECRET)
    return params


def query_of(url: str) -> dict:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def local(url: str) -> str:
    """An absolute URL of this site as the test client wants it: path and query."""
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def as_query(params: dict) -> str:
    return urlencode(params)


def fresh(obj):
    obj.refresh_from_db()
    return obj


__all__ = ["act", "as_query", "fresh", "ipn_params", "local", "query_of", "started", "submit", "user"]
