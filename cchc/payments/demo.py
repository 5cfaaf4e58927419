"""Paying demo dossiers the way a citizen would, offline: for `cchc.demo`'s dossier builder.

`demo_pay_online` starts an attempt for the dossier's applicant and has the local gateway
simulator pay it (a signed IPN through `payment_ipn`), so the demo holds real ledger rows,
IPN logs and receipts. Refused unless the simulator is enabled (never with a real gateway).
"""

from django.core.exceptions import ImproperlyConfigured

from .checks import simulator_enabled
from .models import Payment
from .services import payment_start
from .simulator import complete_payment, read_payment_request


def demo_pay_online(*, dossier) -> Payment:
    """Pay `dossier`'s fee online through the simulator; returns the paid attempt."""
    if not simulator_enabled():
        raise ImproperlyConfigured("demo payments need the gateway simulator (CCHC_PAYMENT_SIMULATOR)")
    payment, url = payment_start(dossier=dossier, user=dossier.applicant_user)
    from urllib.parse import parse_qsl, urlsplit

    request = read_payment_request(dict(parse_qsl(urlsplit(url).query, keep_blank_values=True)))
    if request.error:
        raise ImproperlyConfigured(f"the simulator refused the demo payment: {request.error}")
    complete_payment(request, pay=True)
    payment.refresh_from_db()
    return payment
