"""The whole flow in the browser, offline: the dossier page, the simulated gateway (the simulator
server's VNPAY page, reached over HTTP; its IPN handed to CCHC through the test client), the return
page; and the officer taking the fee in cash."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from cchc.dossiers.tests.helpers import submit, user
from cchc.payments.models import IpnLog, Payment

from .helpers import BEFORE_RECEPTION, fresh, local

pytestmark = pytest.mark.django_db


def test_citizen_pays_online_through_the_simulator_and_sees_the_result(client, demo, simulator):
    dossier = submit(code=BEFORE_RECEPTION)
    client.force_login(user("congdan"))
    response = client.post(f"/ho-so/{dossier.code}/thanh-toan/")
    assert response.status_code == 302
    gateway_url = response["Location"]
    assert gateway_url.startswith("http://simulators.test/vnpay/paymentv2/vpcpay.html?")
    page = simulator.browse("GET", gateway_url).text
    assert "115.000 đ" in page and "Thanh toán" in page and "Hủy" in page

    back = simulator.browse("POST", gateway_url, {"choice": "pay"})
    assert back.status_code == 302
    assert back.headers["Location"].startswith("http://testserver/thanh-toan/vnpay/ket-qua/?")
    # VNPAY's IPN, as the simulator sent it to CCHC's IPN URL, answered "recorded".
    (ipn,) = simulator.deliver(client)
    assert ipn.json()["RspCode"] == "00"
    payment = Payment.objects.get(dossier=dossier)
    assert payment.status == Payment.Status.PAID
    assert IpnLog.objects.get().source == IpnLog.Source.HTTP
    result = client.get(local(back.headers["Location"])).content.decode()
    assert "Thanh toán thành công" in result
    assert fresh(dossier).paid_online

    # A second click on the gateway page does nothing more.
    assert simulator.browse("POST", gateway_url, {"choice": "pay"}).status_code == 409
    assert simulator.deliver(client) == []
    assert IpnLog.objects.count() == 1


def test_cancelling_on_the_gateway_leaves_the_dossier_unpaid(client, demo, simulator):
    dossier = submit(code=BEFORE_RECEPTION)
    client.force_login(user("congdan"))
    gateway_url = client.post(f"/ho-so/{dossier.code}/thanh-toan/")["Location"]
    back = simulator.browse("POST", gateway_url, {"choice": "cancel"})
    simulator.deliver(client)
    result = client.get(local(back.headers["Location"])).content.decode()
    assert "Khách hàng hủy giao dịch" in result
    assert Payment.objects.get().status == Payment.Status.CANCELLED
    assert fresh(dossier).paid_at is None


def test_a_tampered_payment_url_is_refused_by_the_simulator(client, demo, simulator):
    dossier = submit(code=BEFORE_RECEPTION)
    client.force_login(user("congdan"))
    gateway_url = client.post(f"/ho-so/{dossier.code}/thanh-toan/")["Location"]
    tampered = gateway_url.replace("vnp_Amount=11500000", "vnp_Amount=100")
    response = simulator.browse("GET", tampered)
    assert response.status_code == 400 and "Sai chữ ký" in response.text


def test_the_site_serves_no_simulator(client, demo):
    assert client.get("/thanh-toan/gia-lap/").status_code == 404
    assert client.post("/thanh-toan/gia-lap/api/", data="{}", content_type="application/json").status_code == 404


def test_only_the_applicant_may_start_a_payment(client, demo):
    dossier = submit(code=BEFORE_RECEPTION)
    client.force_login(user("congdan2"))
    assert client.post(f"/ho-so/{dossier.code}/thanh-toan/").status_code == 404
    client.force_login(user("motcua"))
    assert client.post(f"/ho-so/{dossier.code}/thanh-toan/").status_code == 404
    assert not Payment.objects.exists()


def test_the_panel_offers_online_payment_then_the_receipt(client, demo):
    dossier = submit(code=BEFORE_RECEPTION)
    request = RequestFactory().get("/")
    request.user = user("congdan")
    template = Template("{% load payments %}{% payment_panel dossier %}")
    html = template.render(Context({"dossier": dossier, "request": request, "csrf_token": "t"}))
    assert "Nộp phí trực tuyến (VNPAY)" in html and "115.000 đ" in html
    assert "bien-lai" not in html
    from cchc.payments.services import payment_counter_cash

    payment_counter_cash(dossier=dossier, officer=user("motcua"))
    html = template.render(Context({"dossier": fresh(dossier), "request": request, "csrf_token": "t"}))
    assert "Nộp phí trực tuyến" not in html
    assert f"/ho-so/{dossier.code}/bien-lai/" in html


def test_the_officer_takes_the_fee_in_cash_once(client, demo):
    dossier = submit(code=BEFORE_RECEPTION)
    client.force_login(user("motcua"))
    page = client.get(f"/can-bo/ho-so/{dossier.code}/thu-phi/").content.decode()
    assert "Thu phí tại quầy (tiền mặt)" in page and "115.000 đ" in page
    response = client.post(f"/can-bo/ho-so/{dossier.code}/thu-phi/", follow=True)
    assert "Đã thu phí, lệ phí 115.000 đ" in response.content.decode()
    dossier = fresh(dossier)
    assert dossier.paid_at is not None and not dossier.paid_online
    payment = Payment.objects.get()
    assert (payment.provider, payment.status, payment.created_by.username) == ("cash", "paid", "motcua")
    again = client.post(f"/can-bo/ho-so/{dossier.code}/thu-phi/", follow=True)
    assert "Hồ sơ đã nộp phí, lệ phí." in again.content.decode()
    assert Payment.objects.count() == 1


def test_only_a_one_stop_officer_takes_cash(client, demo):
    dossier = submit(code=BEFORE_RECEPTION)
    client.force_login(user("congdan"))
    assert client.post(f"/can-bo/ho-so/{dossier.code}/thu-phi/").status_code == 403
    client.force_login(user("chuyenvien"))
    assert client.post(f"/can-bo/ho-so/{dossier.code}/thu-phi/").status_code == 403
    assert not Payment.objects.exists()


def test_without_a_gateway_or_the_simulator_online_payment_is_not_offered(client, demo, settings):
    settings.DEBUG = False
    settings.CCHC_SIMULATORS = False
    settings.VNPAY_PAY_URL = ""
    dossier = submit(code=BEFORE_RECEPTION)
    client.force_login(user("congdan"))
    response = client.post(f"/ho-so/{dossier.code}/thanh-toan/", follow=True)
    assert "chưa sẵn sàng" in response.content.decode()
    assert not Payment.objects.exists()
