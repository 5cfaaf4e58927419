"""The IPN: stored first, checked (signature, order, amount, not yet settled), then recorded once."""

import pytest

from cchc.audit.models import AuditEvent
from cchc.payments.models import IpnLog, Payment, Refund
from cchc.payments.services import payment_ipn

from .helpers import as_query, fresh, ipn_params, started

pytestmark = pytest.mark.django_db
IPN_URL = "/api/v1/payments/vnpay/ipn"


def ipn(params: dict) -> dict:
    return payment_ipn(provider_name="vnpay", params=params, query_string=as_query(params)).as_json()


def test_a_valid_ipn_records_the_payment_and_the_dossier_is_paid(demo):
    dossier, payment, _url = started()
    assert ipn(ipn_params(payment)) == {"RspCode": "00", "Message": "Confirm Success"}
    payment, dossier = fresh(payment), fresh(dossier)
    assert payment.status == Payment.Status.PAID
    assert payment.transaction_no == "14226112" and payment.bank_code == "NCB"
    assert dossier.paid_at is not None and dossier.paid_online
    log = IpnLog.objects.get()
    assert (log.outcome_code, log.payment_id, log.reference) == ("00", payment.pk, payment.reference)
    assert AuditEvent.objects.filter(action="payment.paid", object_id=str(payment.pk)).exists()


def test_a_forged_ipn_is_refused_logged_and_changes_nothing(demo):
    dossier, payment, _url = started()
    forged = ipn_params(payment, secret="not-the-merchant-secret")
    assert ipn(forged) == {"RspCode": "97", "Message": "Invalid signature"}
    assert fresh(payment).status == Payment.Status.PENDING
    assert fresh(dossier).paid_at is None
    log = IpnLog.objects.get()
    assert log.outcome_code == "97" and log.params["vnp_TxnRef"] == payment.reference
    assert AuditEvent.objects.filter(action="payment.ipn_refused").count() == 1


def test_an_altered_amount_breaks_the_signature(demo):
    _dossier, payment, _url = started()
    params = {**ipn_params(payment), "vnp_Amount": "100"}
    assert ipn(params)["RspCode"] == "97"
    assert fresh(payment).status == Payment.Status.PENDING


def test_a_repeated_parameter_is_refused_as_forged(demo):
    _dossier, payment, _url = started()
    params = {key: [value] for key, value in ipn_params(payment).items()}
    params["vnp_ResponseCode"] = ["24", "00"]
    answer = payment_ipn(provider_name="vnpay", params=params)
    assert answer.code == "97"
    assert fresh(payment).status == Payment.Status.PENDING


def test_an_unknown_order_answers_01(demo):
    _dossier, payment, _url = started()
    params = ipn_params(payment, vnp_TxnRef="CCHC260101NOSUCH00")  # validly signed, but not our order
    assert ipn(params) == {"RspCode": "01", "Message": "Order not found"}
    assert fresh(payment).status == Payment.Status.PENDING
    assert IpnLog.objects.get().outcome_code == "01"


def test_a_wrong_amount_answers_04_and_changes_nothing(demo):
    dossier, payment, _url = started()
    assert ipn(ipn_params(payment, amount=payment.amount - 1000)) == {"RspCode": "04", "Message": "invalid amount"}
    assert fresh(payment).status == Payment.Status.PENDING
    assert fresh(dossier).paid_at is None
    assert IpnLog.objects.get().outcome_code == "04"
    assert AuditEvent.objects.filter(action="payment.ipn_refused").exists()


def test_a_replayed_ipn_answers_02_and_applies_once(demo):
    dossier, payment, _url = started()
    params = ipn_params(payment)
    assert ipn(params)["RspCode"] == "00"
    paid_at = fresh(dossier).paid_at
    for _ in range(3):
        assert ipn(params) == {"RspCode": "02", "Message": "Order already confirmed"}
    assert fresh(dossier).paid_at == paid_at
    log = IpnLog.objects.get()  # one row per distinct request, counted
    assert (log.times_received, log.outcome_code) == (4, "02")
    assert AuditEvent.objects.filter(action="dossier.paid").count() == 1


def test_a_failed_payment_is_recorded_and_the_dossier_stays_unpaid(demo):
    dossier, payment, _url = started()
    assert ipn(ipn_params(payment, response_code="51", status="02"))["RspCode"] == "00"
    assert fresh(payment).status == Payment.Status.FAILED
    assert fresh(payment).response_code == "51"
    assert fresh(dossier).paid_at is None


def test_paid_needs_both_the_response_code_and_the_transaction_status(demo):
    dossier, payment, _url = started()
    assert ipn(ipn_params(payment, response_code="00", status="02"))["RspCode"] == "00"
    assert fresh(payment).status == Payment.Status.FAILED
    assert fresh(dossier).paid_at is None


def test_a_cancelled_payment_is_recorded_as_cancelled(demo):
    dossier, payment, _url = started()
    assert ipn(ipn_params(payment, response_code="24", status="02"))["RspCode"] == "00"
    assert fresh(payment).status == Payment.Status.CANCELLED
    assert fresh(dossier).paid_at is None


def test_a_second_paid_attempt_is_refunded_not_counted_twice(demo):
    from cchc.dossiers.tests.helpers import user
    from cchc.payments.services import payment_start

    dossier, first, _url = started()
    second, _url = payment_start(dossier=dossier, user=user("congdan"))
    assert ipn(ipn_params(first))["RspCode"] == "00"
    assert ipn(ipn_params(second))["RspCode"] == "00"
    assert fresh(first).status == Payment.Status.PAID
    assert fresh(second).status == Payment.Status.REFUND_PENDING
    assert Refund.objects.get().payment == second


def test_the_http_endpoint_answers_json_without_login(client, demo):
    _dossier, payment, _url = started()
    response = client.get(IPN_URL + "?" + as_query(ipn_params(payment)), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    assert response.json() == {"RspCode": "00", "Message": "Confirm Success"}
    log = IpnLog.objects.get()
    assert log.remote_ip == "203.0.113.7" and log.query_string.startswith("vnp_Amount=")
    forged = client.get(IPN_URL + "?vnp_TxnRef=" + payment.reference + "&vnp_SecureHash=00")
    assert forged.status_code == 200 and forged.json()["RspCode"] == "97"
    empty = client.get(IPN_URL)
    assert empty.status_code == 200 and empty.json()["RspCode"] == "97"


def test_an_unexpected_error_answers_99_and_the_ipn_stays_logged(demo, monkeypatch):
    from cchc.payments import services

    _dossier, payment, _url = started()

    def broken(*args, **kwargs):
        raise RuntimeError("database fell over")

    monkeypatch.setattr(services, "_settle", broken)
    assert ipn(ipn_params(payment)) == {"RspCode": "99", "Message": "Unknown error"}
    assert IpnLog.objects.get().outcome_code == "99"
    assert fresh(payment).status == Payment.Status.PENDING
