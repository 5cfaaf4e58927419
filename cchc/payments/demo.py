"""Paying demo dossiers the way a citizen would, offline: for `cchc.demo`'s dossier builder.

`demo_pay_online` starts an attempt for the dossier's applicant and confirms it with the IPN VNPAY
would send, signed with the merchant's demo secret and handed to `payment_ipn` (recorded with the
source "simulator"), so the demo holds real ledger rows, IPN logs and receipts. The demo is generated
before any server runs, so the simulator server is not involved. Refused unless the simulators are on
(never with a real gateway).
"""

import secrets

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cchc.core import clock

from .checks import simulator_enabled
from .models import IpnLog, Payment
from .providers import vnpay_date, vnpay_sign, vnpay_signed_query
from .services import payment_ipn, payment_start


def demo_pay_online(*, dossier) -> Payment:
    """Pay `dossier`'s fee online as the simulated VNPAY would confirm it; returns the paid attempt."""
    if not simulator_enabled():
        raise ImproperlyConfigured("demo payments need the simulators (CCHC_SIMULATORS)")
    payment, _url = payment_start(dossier=dossier, user=dossier.applicant_user)
    transaction_no = f"{secrets.randbelow(10**8):08d}"
    result = {
        "vnp_Amount": str(payment.amount * 100),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": f"VNP{transaction_no}",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": f"Nop phi ho so {dossier.code}",
        "vnp_PayDate": vnpay_date(clock.now()),
        "vnp_ResponseCode": "00",
        "vnp_TmnCode": settings.VNPAY_TMN_CODE,
        "vnp_TransactionNo": transaction_no,
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": payment.reference,
    }
    secret = settings.VNPAY_HASH_SECRET
    signed = {**result, "vnp_SecureHash": vnpay_sign(result, secret)}
    payment_ipn(
        provider_name="vnpay",
        params=signed,
        query_string=vnpay_signed_query(result, secret),
        source=IpnLog.Source.SIMULATOR,
    )
    payment.refresh_from_db()
    return payment
