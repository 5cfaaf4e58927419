"""POST /api/v1/dossiers/{code}/payments: the applicant starts an online payment."""

import pytest
from django.core.cache import cache

from cchc.dossiers.tests.helpers import submit, user
from cchc.payments.models import Payment
from cchc.payments.providers import vnpay_check
from cchc.payments.services import payment_counter_cash

from .helpers import BEFORE_RECEPTION, query_of

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _token(client, username: str) -> dict:
    response = client.post(
        f"{API}/auth/token", {"username": username, "password": "demo12345"}, content_type="application/json"
    )
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_the_applicant_gets_a_reference_the_amount_and_a_signed_pay_url(client, demo, settings):
    dossier = submit(code=BEFORE_RECEPTION)
    response = client.post(f"{API}/dossiers/{dossier.code}/payments", headers=_token(client, "congdan"))
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"reference", "amount", "pay_url"}
    assert body["amount"] == 115_000
    payment = Payment.objects.get(reference=body["reference"])
    assert (payment.dossier_id, payment.status, payment.provider) == (dossier.pk, "pending", "vnpay")
    # The simulator server's VNPAY by default.
    assert body["pay_url"].startswith("http://simulators.test/vnpay/paymentv2/vpcpay.html?")
    params = query_of(body["pay_url"])
    assert params["vnp_Amount"] == "11500000" and params["vnp_TxnRef"] == body["reference"]
    assert params["vnp_ReturnUrl"] == "http://testserver/thanh-toan/vnpay/ket-qua/"
    assert vnpay_check(params, settings.VNPAY_HASH_SECRET)


def test_a_configured_gateway_url_is_used(client, demo, settings):
    settings.VNPAY_PAY_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    dossier = submit(code=BEFORE_RECEPTION)
    response = client.post(f"{API}/dossiers/{dossier.code}/payments", headers=_token(client, "congdan"))
    assert response.json()["pay_url"].startswith("https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?vnp_Amount=")


def test_someone_else_gets_404_and_nothing_is_created(client, demo):
    dossier = submit(code=BEFORE_RECEPTION)
    for username in ("congdan2", "motcua"):
        response = client.post(f"{API}/dossiers/{dossier.code}/payments", headers=_token(client, username))
        assert response.status_code == 404
        assert response.json()["code"] == "dossier_not_found"
    assert client.post(f"{API}/dossiers/{dossier.code}/payments").status_code == 401
    assert not Payment.objects.exists()


def test_a_paid_dossier_or_one_without_fee_is_refused(client, demo):
    headers = _token(client, "congdan")
    paid = submit(code=BEFORE_RECEPTION)
    payment_counter_cash(dossier=paid, officer=user("motcua"))
    response = client.post(f"{API}/dossiers/{paid.code}/payments", headers=headers)
    assert response.status_code == 409 and response.json()["code"] == "already_paid"
    free = submit(code="1.002859")
    response = client.post(f"{API}/dossiers/{free.code}/payments", headers=headers)
    assert response.status_code == 400 and response.json()["code"] == "no_fee"
    assert Payment.objects.filter(provider="vnpay").count() == 0
