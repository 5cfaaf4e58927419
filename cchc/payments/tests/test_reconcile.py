"""Reconciliation: payments left pending (a lost IPN) are settled by asking the gateway (querydr)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from cchc.payments import providers
from cchc.payments.models import Payment
from cchc.payments.providers import QUERY_RESPONSE_FIELDS, pipe_checksum
from cchc.payments.services import payment_ipn, payments_reconcile

from .helpers import fresh, ipn_params, started

pytestmark = pytest.mark.django_db


def _age(payment, minutes: int) -> None:
    Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))


def _querydr_answer(payment, *, status="00", code="00", amount=None, secret=None):
    answer = {
        "vnp_ResponseId": "resp-1",
        "vnp_Command": "querydr",
        "vnp_ResponseCode": code,
        "vnp_Message": "QueryDR Success",
        "vnp_TmnCode": settings.VNPAY_TMN_CODE,
        "vnp_TxnRef": payment.reference,
        "vnp_Amount": str((payment.amount if amount is None else amount) * 100),
        "vnp_BankCode": "NCB",
        "vnp_PayDate": "20260302093500",
        "vnp_TransactionNo": "14226199",
        "vnp_TransactionType": "01",
        "vnp_TransactionStatus": status,
        "vnp_OrderInfo": "Nop phi",
        "vnp_PromotionCode": "",
        "vnp_PromotionAmount": "",
    }
    answer["vnp_SecureHash"] = pipe_checksum(answer, QUERY_RESPONSE_FIELDS, secret or settings.VNPAY_HASH_SECRET)
    return answer


@pytest.fixture
def gateway(monkeypatch):
    """A fake merchant API: answers querydr with `gateway.answer(payment)` and records the requests."""

    class Gateway:
        requests: list = []
        answer = staticmethod(_querydr_answer)

        def post(self, url, payload, *, timeout=None):
            self.requests.append(payload)
            payment = Payment.objects.get(reference=payload["vnp_TxnRef"])
            return self.answer(payment)

    fake = Gateway()
    fake.requests = []
    monkeypatch.setattr(providers, "post_json", fake.post)
    return fake


def test_a_pending_payment_the_gateway_says_is_paid_is_settled(demo, gateway):
    dossier, payment, _url = started()
    _age(payment, 20)
    assert payments_reconcile() == {"paid": 1}
    assert fresh(payment).status == Payment.Status.PAID
    assert fresh(payment).transaction_no == "14226199"
    assert fresh(dossier).paid_at is not None and fresh(dossier).paid_online
    request = gateway.requests[0]
    assert request["vnp_Command"] == "querydr" and request["vnp_TxnRef"] == payment.reference
    assert request["vnp_SecureHash"]
    # Running again changes nothing; the late IPN is a replay.
    assert payments_reconcile() == {}
    assert payment_ipn(provider_name="vnpay", params=ipn_params(payment)).code == "02"


def test_recent_payments_are_left_to_their_ipn(demo, gateway):
    _dossier, payment, _url = started()
    _age(payment, 5)
    assert payments_reconcile() == {}
    assert gateway.requests == []


def test_a_forged_querydr_answer_settles_nothing(demo, gateway):
    dossier, payment, _url = started()
    _age(payment, 20)
    gateway.answer = lambda p: _querydr_answer(p, secret="someone-else")
    assert payments_reconcile() == {"unknown": 1}
    assert fresh(payment).status == Payment.Status.PENDING and fresh(dossier).paid_at is None


def test_a_wrong_amount_from_querydr_settles_nothing(demo, gateway):
    _dossier, payment, _url = started()
    _age(payment, 20)
    gateway.answer = lambda p: _querydr_answer(p, amount=1000)
    assert payments_reconcile() == {"amount_mismatch": 1}
    assert fresh(payment).status == Payment.Status.PENDING


def test_a_transaction_unknown_to_the_gateway_is_cancelled_once_expired(demo, gateway):
    _dossier, payment, _url = started()
    gateway.answer = lambda p: _querydr_answer(p, code="91")
    _age(payment, 16)
    assert payments_reconcile() == {"unknown": 1}  # the page may still be open
    _age(payment, 25)
    assert payments_reconcile() == {"cancelled": 1}
    assert fresh(payment).status == Payment.Status.CANCELLED


def test_a_failed_transaction_is_recorded_as_failed(demo, gateway):
    dossier, payment, _url = started()
    _age(payment, 20)
    gateway.answer = lambda p: _querydr_answer(p, status="02")
    assert payments_reconcile() == {"failed": 1}
    assert fresh(payment).status == Payment.Status.FAILED and fresh(dossier).paid_at is None


def test_offline_end_to_end_a_lost_ipn_is_found_by_the_management_command(demo, client, simulator_api, simulator):
    dossier, payment, url = started()
    client.force_login(dossier.applicant_user)
    response = simulator.browse("POST", url, {"choice": "pay", "lose_ipn": "1"})
    assert response.status_code == 302
    assert simulator.deliver(client) == []  # lost: nothing was sent
    assert fresh(payment).status == Payment.Status.PENDING  # the IPN never came
    _age(payment, 20)
    out = StringIO()
    call_command("reconcile_payments", stdout=out)
    assert "paid: 1" in out.getvalue()
    assert fresh(payment).status == Payment.Status.PAID
    assert fresh(dossier).paid_at is not None
    assert simulator_api[0]["vnp_Command"] == "querydr"
