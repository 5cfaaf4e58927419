"""The simulator server is a separate process that reaches CCHC only over HTTP: its VNPAY and PayGov
call the live site's IPN and result endpoints themselves, and send the browser back to it."""

import pytest
import requests

from cchc.payments.models import IpnLog, Payment

from .helpers import fresh, started, submit, user

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_simulated_vnpay_notifies_the_live_site_over_http(demo, live_simulators, simulator):
    dossier, payment, url = started()
    assert url.startswith(simulator.url + "/vnpay/paymentv2/vpcpay.html?")
    back = requests.post(url, data={"choice": "pay"}, allow_redirects=False, timeout=30)
    assert back.status_code == 302
    assert back.headers["Location"].startswith(live_simulators + "/thanh-toan/vnpay/ket-qua/?")
    (ipn,) = simulator.callbacks(service="vnpay")
    assert ipn["status"] == "delivered" and ipn["answer_status"] == 200 and '"RspCode": "00"' in ipn["answer"]
    assert fresh(payment).status == Payment.Status.PAID and fresh(dossier).paid_online
    assert IpnLog.objects.get(reference=payment.reference).source == IpnLog.Source.HTTP


def test_the_simulated_paygov_posts_its_result_to_the_live_site(demo, live_simulators, simulator):
    from cchc.payments.services import payment_start

    dossier = submit()
    payment, url = payment_start(dossier=dossier, user=user("congdan"), provider="paygov")
    back = requests.post(url, data={"choice": "pay"}, allow_redirects=False, timeout=30)
    assert back.headers["Location"] == f"{live_simulators}/thanh-toan/paygov/ket-qua/?MaThamChieu={payment.reference}"
    (result,) = simulator.callbacks(service="paygov")
    assert result["status"] == "delivered" and '"MaLoi": "00"' in result["answer"]
    assert fresh(payment).status == Payment.Status.PAID
