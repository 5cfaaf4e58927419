"""The return URL only shows the result: it checks the signature and never changes anything."""

import pytest

from cchc.audit.models import AuditEvent
from cchc.payments.models import IpnLog, Payment
from cchc.payments.services import payment_ipn

from .helpers import as_query, fresh, ipn_params, started

pytestmark = pytest.mark.django_db
RETURN_URL = "/thanh-toan/vnpay/ket-qua/"


def _snapshot(payment, dossier):
    return (
        fresh(payment).status,
        fresh(dossier).paid_at,
        IpnLog.objects.count(),
        AuditEvent.objects.filter(action__startswith="payment.").count(),
    )


def test_a_tampered_return_url_shows_an_invalid_signature_and_changes_nothing(client, demo):
    dossier, payment, _url = started()
    client.force_login(dossier.applicant_user)
    params = {**ipn_params(payment), "vnp_Amount": "100"}  # tampered after signing
    before = _snapshot(payment, dossier)
    response = client.get(RETURN_URL + "?" + as_query(params))
    assert response.status_code == 400
    assert "Chữ ký không hợp lệ" in response.content.decode()
    assert _snapshot(payment, dossier) == before
    assert fresh(payment).status == Payment.Status.PENDING


def test_a_signed_success_on_the_return_url_does_not_mark_anything_paid(client, demo):
    dossier, payment, _url = started()
    client.force_login(dossier.applicant_user)
    before = _snapshot(payment, dossier)
    response = client.get(RETURN_URL + "?" + as_query(ipn_params(payment)))
    assert response.status_code == 200
    assert "đang chờ xác nhận" in response.content.decode()
    assert _snapshot(payment, dossier) == before  # only the IPN records payments


def test_after_the_ipn_the_return_page_shows_success_and_the_receipt(client, demo):
    dossier, payment, _url = started()
    params = ipn_params(payment)
    payment_ipn(provider_name="vnpay", params=params)
    client.force_login(dossier.applicant_user)
    page = client.get(RETURN_URL + "?" + as_query(params)).content.decode()
    assert "Thanh toán thành công" in page
    assert f"/ho-so/{dossier.code}/bien-lai/" in page
    assert "115.000 đ" in page


def test_a_cancelled_payment_offers_to_pay_again(client, demo):
    dossier, payment, _url = started()
    params = ipn_params(payment, response_code="24", status="02")
    payment_ipn(provider_name="vnpay", params=params)
    client.force_login(dossier.applicant_user)
    page = client.get(RETURN_URL + "?" + as_query(params)).content.decode()
    assert "Thanh toán không thành công" in page and "Khách hàng hủy giao dịch" in page
    assert f"/ho-so/{dossier.code}/thanh-toan/" in page


def test_the_return_page_for_an_unknown_order_is_refused(client, demo):
    _dossier, payment, _url = started()
    response = client.get(RETURN_URL + "?" + as_query(ipn_params(payment, vnp_TxnRef="CCHC000000NOSUCH00")))
    assert response.status_code == 400
