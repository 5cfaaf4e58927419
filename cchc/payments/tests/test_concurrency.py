"""The same IPN a hundred times at once is applied once. Needs PostgreSQL's row locks and real
threads (CI runs it); skipped on SQLite."""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from threading import Barrier, BrokenBarrierError

import pytest
from django.db import connection, connections

from cchc.audit.models import AuditEvent
from cchc.dossiers.models import Dossier
from cchc.payments.models import IpnLog, Payment
from cchc.payments.services import payment_ipn

from .helpers import as_query, ipn_params, started

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and real threads"),
]
COPIES = 100


def test_the_same_ipn_a_hundred_times_at_once_pays_once(demo):
    dossier, payment, _url = started()
    params = ipn_params(payment)
    start = Barrier(20)

    def deliver(_i):
        try:
            with suppress(BrokenBarrierError):  # the barrier only helps the copies collide
                start.wait(timeout=10)
            return payment_ipn(provider_name="vnpay", params=params, query_string=as_query(params)).code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = Counter(pool.map(deliver, range(COPIES)))

    assert answers == {"00": 1, "02": COPIES - 1}
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PAID
    assert Payment.objects.filter(dossier=dossier, status=Payment.Status.PAID).count() == 1
    assert Dossier.objects.get(pk=dossier.pk).paid_at is not None
    log = IpnLog.objects.get(reference=payment.reference)  # one row per distinct request
    assert log.times_received == COPIES
    assert AuditEvent.objects.filter(action="dossier.paid", dossier_code=dossier.code).count() == 1
    assert AuditEvent.objects.filter(action="payment.paid", dossier_code=dossier.code).count() == 1
