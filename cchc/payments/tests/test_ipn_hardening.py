"""What a probe found on the IPN: a foreign merchant code accepted, the gateway's clock trusted,
the demo secret usable in production, and a log any client could grow without limit."""

from datetime import datetime

import pytest
from django.core import checks
from django.test import override_settings

from cchc.core.calendar import VN_TZ
from cchc.core.errors import ApplicationError
from cchc.dossiers.tests.helpers import submit, user
from cchc.payments.checks import check_payment_settings
from cchc.payments.models import IpnLog, Payment
from cchc.payments.providers import DEMO_HASH_SECRET, DEMO_TMN_CODE, vnpay_sign
from cchc.payments.services import online_payment_available, payment_ipn, payment_start

from .helpers import BEFORE_RECEPTION, as_query, fresh, ipn_params, started

pytestmark = pytest.mark.django_db
IPN_URL = "/api/v1/payments/vnpay/ipn"
# What production looks like when the operator set no merchant: config.settings.production's defaults.
PRODUCTION_WITHOUT_MERCHANT = {
    "DEBUG": False,
    "CCHC_SIMULATORS": False,
    "VNPAY_TMN_CODE": "",
    "VNPAY_HASH_SECRET": "",
    "VNPAY_PAY_URL": "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html",
}


def ipn(params: dict) -> dict:
    return payment_ipn(provider_name="vnpay", params=params, query_string=as_query(params)).as_json()


def test_a_well_signed_ipn_for_another_merchant_code_changes_nothing(demo):
    dossier, payment, _url = started()
    answer = ipn(ipn_params(payment, vnp_TmnCode="OTHERTMN"))
    assert answer == {"RspCode": "99", "Message": "Input data required"}
    assert fresh(payment).status == Payment.Status.PENDING
    assert fresh(dossier).paid_at is None
    assert IpnLog.objects.get().outcome_code == "99"


def test_paid_at_is_when_cchc_confirmed_and_the_gateway_date_is_kept_beside_it(demo):
    dossier, payment, _url = started()
    assert ipn(ipn_params(payment, vnp_PayDate="20200101000000"))["RspCode"] == "00"
    payment = fresh(payment)
    assert payment.gateway_paid_at == datetime(2020, 1, 1, tzinfo=VN_TZ)
    assert payment.paid_at.year >= 2026 and payment.paid_at > payment.created_at
    assert fresh(dossier).paid_at == payment.paid_at


def test_production_without_a_merchant_refuses_a_demo_signed_ipn(demo):
    _dossier, payment, _url = started()  # an attempt made while the simulator was on
    with override_settings(**PRODUCTION_WITHOUT_MERCHANT):
        forged = ipn_params(payment, vnp_TmnCode=DEMO_TMN_CODE, secret=DEMO_HASH_SECRET)
        assert ipn(forged)["RspCode"] == "97"
        signed_with_the_empty_key = ipn_params(payment, vnp_TmnCode="", secret=" ")
        unsigned = {k: v for k, v in signed_with_the_empty_key.items() if k != "vnp_SecureHash"}
        signed_with_the_empty_key["vnp_SecureHash"] = vnpay_sign(unsigned, "")
        assert ipn(signed_with_the_empty_key)["RspCode"] == "97"
    assert fresh(payment).status == Payment.Status.PENDING


def test_production_with_the_demo_values_switches_online_payment_off(client, demo):
    dossier = submit(username="congdan", code=BEFORE_RECEPTION)
    settings_with_demo = {**PRODUCTION_WITHOUT_MERCHANT, "VNPAY_TMN_CODE": DEMO_TMN_CODE}
    settings_with_demo["VNPAY_HASH_SECRET"] = DEMO_HASH_SECRET
    for configuration in (PRODUCTION_WITHOUT_MERCHANT, settings_with_demo):
        with override_settings(**configuration):
            assert not online_payment_available()
            with pytest.raises(ApplicationError) as refused:
                payment_start(dossier=dossier, user=user("congdan"))
            assert refused.value.code == "payments_not_configured"
            client.force_login(user("congdan"))
            page = client.get(f"/ho-so/{dossier.code}/").content.decode()
            assert "Nộp phí trực tuyến (VNPAY)" not in page
            assert "tại Bộ phận Một cửa của cơ quan tiếp nhận" in page
    assert not Payment.objects.filter(dossier=dossier).exists()


def test_check_deploy_reports_the_demo_merchant_and_the_simulator_as_errors():
    with override_settings(**PRODUCTION_WITHOUT_MERCHANT):
        ids = {problem.id for problem in check_payment_settings() if problem.level >= checks.ERROR}
        assert ids == {"payments.E001"}
    with override_settings(**{**PRODUCTION_WITHOUT_MERCHANT, "CCHC_SIMULATORS": True}):
        assert "payments.E002" in {problem.id for problem in check_payment_settings()}
    real = {"VNPAY_TMN_CODE": "2QXUI4J4", "VNPAY_HASH_SECRET": "a-real-merchant-secret"}
    with override_settings(**{**PRODUCTION_WITHOUT_MERCHANT, **real}):
        assert check_payment_settings() == []
        assert online_payment_available()


def test_the_ipn_endpoint_is_rate_limited_per_address(client, demo, settings):
    settings.CCHC_IPN_RATE_PER_MINUTE = 3
    answers = [client.get(IPN_URL + f"?vnp_TxnRef=JUNK{i}", REMOTE_ADDR="203.0.113.9") for i in range(5)]
    assert [r.status_code for r in answers] == [200, 200, 200, 429, 429]
    assert answers[-1].json()["code"] == "rate_limited"
    assert IpnLog.objects.count() == 3
    other = client.get(IPN_URL + "?vnp_TxnRef=OTHER", REMOTE_ADDR="203.0.113.10")
    assert other.status_code == 200


def test_junk_cannot_grow_the_log(client, demo):
    junk = "&".join(f"vnp_F{i}={'x' * 5000}" for i in range(200)) + "&other=" + "y" * 5000
    for _ in range(3):
        assert client.get(IPN_URL + "?" + junk, REMOTE_ADDR="203.0.113.11").json()["RspCode"] == "97"
    log = IpnLog.objects.get()
    assert log.times_received == 3
    assert len(log.params) <= IpnLog.MAX_PARAMS and "other" not in log.params
    assert max(len(v) for v in log.params.values()) <= IpnLog.MAX_VALUE_CHARS
    assert len(log.query_string) <= IpnLog.MAX_QUERY_CHARS
