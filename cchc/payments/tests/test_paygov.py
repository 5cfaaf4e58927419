"""PayGov, the second payment provider: contract tests against the simulator server's PayGov (every
message goes over HTTP to the simulator; its result is handed to CCHC's confirm endpoint through the
test client), and the same IPN guarantees as VNPAY (signature, merchant, amount, idempotency, rate
limit, bounded log)."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from cchc.audit.models import AuditEvent
from cchc.dossiers.tests.helpers import act
from cchc.payments import paygov
from cchc.payments.models import IpnLog, Payment, Refund
from cchc.payments.services import payment_start, payments_reconcile, refund_execute

from .helpers import fresh, local, submit, user

pytestmark = pytest.mark.django_db

CONFIRM_URL = "/api/v1/payments/paygov/confirm"


def _start(client):
    """The citizen chooses PayGov on their dossier's page; returns (dossier, payment, pay page URL)."""
    dossier = submit()
    client.force_login(user("congdan"))
    response = client.post(f"/ho-so/{dossier.code}/thanh-toan/", {"provider": "paygov"})
    assert response.status_code == 302
    payment = Payment.objects.get(dossier=dossier)
    return dossier, payment, response["Location"]


def _result(payment, *, code="00", amount=None, merchant=None, secret=None) -> dict:
    values = {
        "LoaiBanTin": "CONFIRM",
        "MaLoi": code,
        "MaDoiTac": merchant or settings.PAYGOV_MERCHANT_CODE,
        "MaThamChieu": payment.reference,
        "SoTien": str(payment.amount if amount is None else amount),
        "MaTienTe": "VND",
        "MaGiaoDich": "PG0000000042",
        "MaNganHang": "VCB",
        "ThoiGianGD": "20261207093015",
        "ThongTinGiaoDich": f"Nộp phí, lệ phí hồ sơ {payment.dossier.code}",
    }
    return paygov.signed(values, paygov.RESULT_FIELDS, secret or settings.PAYGOV_SECRET)


def _confirm(client, body: dict, **extra):
    return client.post(CONFIRM_URL, data=json.dumps(body), content_type="application/json", **extra)


def _pay(client, simulator, url, choice="pay", **extra):
    """On the platform's page: pay, fail or cancel; the platform's result reaches CCHC."""
    back = simulator.browse("POST", url, {"choice": choice, **extra})
    simulator.deliver(client)
    return back


def test_the_citizen_pays_through_paygov_and_the_dossier_is_paid(client, demo, simulator, simulated_http):
    dossier, payment, url = _start(client)
    assert payment.provider == "paygov" and payment.status == Payment.Status.PENDING
    init = json.loads(simulated_http.to("simulators.test/paygov/api/")[0][2])
    assert init["LoaiBanTin"] == "INIT" and init["SoTien"] == "115000" and init["MaThamChieu"] == payment.reference
    assert paygov.check(init, paygov.INIT_FIELDS, settings.PAYGOV_SECRET)
    assert init["ThongTinBienLai"]["MaHoSo"] == dossier.code
    page = simulator.browse("GET", url)
    assert page.status_code == 200 and "115.000 đ" in page.text
    back = simulator.browse("POST", url, {"choice": "pay"})
    assert back.status_code == 302 and "/thanh-toan/paygov/ket-qua/" in back.headers["Location"]
    (confirm,) = simulator.callbacks(service="paygov")
    assert confirm["url"] == "http://testserver/api/v1/payments/paygov/confirm" and confirm["method"] == "POST"
    (answer,) = simulator.deliver(client)
    assert answer.json()["MaLoi"] == "00"
    payment = fresh(payment)
    assert payment.status == Payment.Status.PAID and payment.transaction_no.startswith("PG")
    assert fresh(dossier).paid_at is not None
    shown = client.get(local(back.headers["Location"])).content.decode()
    assert "Thanh toán thành công." in shown
    log = IpnLog.objects.get(provider="paygov")
    assert log.reference == payment.reference and log.outcome_code == "00" and "MaXacThuc" in log.params


def test_a_cancelled_paygov_payment_leaves_the_fee_unpaid(client, demo, simulator):
    dossier, payment, url = _start(client)
    back = _pay(client, simulator, url, "cancel")
    assert fresh(payment).status == Payment.Status.CANCELLED
    assert fresh(dossier).paid_at is None
    assert "Thanh toán lại" in client.get(local(back.headers["Location"])).content.decode()


def test_the_confirm_endpoint_records_once_and_answers_signed(client, demo):
    _dossier, payment, _url = _start(client)
    first = _confirm(client, _result(payment)).json()
    assert first["MaLoi"] == "00"
    assert paygov.check(first, paygov.ANSWER_FIELDS, settings.PAYGOV_SECRET)
    again = _confirm(client, _result(payment)).json()
    assert again["MaLoi"] == "00"  # a repeated delivery is acknowledged and changes nothing
    assert AuditEvent.objects.filter(action="payment.paid", object_id=str(payment.pk)).count() == 1
    assert IpnLog.objects.get(provider="paygov").times_received == 2


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"secret": "another-secret"}, "invalid signature"),
        ({"merchant": "OTHER"}, "merchant code"),
        ({"amount": 1_000}, "amount"),
    ],
)
def test_a_forged_or_mismatched_result_is_refused_and_changes_nothing(client, demo, change, reason):
    _dossier, payment, _url = _start(client)
    answer = _confirm(client, _result(payment, **change)).json()
    assert answer["MaLoi"] == "99"
    assert fresh(payment).status == Payment.Status.PENDING
    refused = AuditEvent.objects.get(action="payment.ipn_refused")
    assert reason in refused.reason


def test_a_body_that_is_not_json_is_answered_and_logged(client, demo):
    response = client.post(CONFIRM_URL, data=b"not json", content_type="application/json")
    assert response.status_code == 200 and response.json()["MaLoi"] == "99"
    assert IpnLog.objects.filter(provider="paygov").count() == 1


def test_the_confirm_endpoint_is_rate_limited(client, demo, settings):
    settings.CCHC_IPN_RATE_PER_MINUTE = 1
    assert _confirm(client, {"MaThamChieu": "X"}, REMOTE_ADDR="10.9.9.9").status_code == 200
    assert _confirm(client, {"MaThamChieu": "Y"}, REMOTE_ADDR="10.9.9.9").status_code == 429


def test_a_lost_result_is_found_by_the_reconciliation(client, demo, simulator, simulated_http):
    dossier, payment, url = _start(client)
    _pay(client, simulator, url, lose="1")
    assert simulator.callbacks(service="paygov")[0]["status"] == "lost"
    assert fresh(payment).status == Payment.Status.PENDING
    Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - timedelta(minutes=20))
    assert payments_reconcile() == {"paid": 1}
    assert fresh(payment).status == Payment.Status.PAID and fresh(dossier).paid_at is not None
    query = json.loads(simulated_http[-1][2])
    assert query["LoaiBanTin"] == "QUERY" and paygov.check(query, paygov.QUERY_FIELDS, settings.PAYGOV_SECRET)


def test_a_refused_dossier_paid_through_paygov_is_refunded_by_the_platform(client, demo, simulator):
    dossier, payment, url = _start(client)
    _pay(client, simulator, url)
    act(fresh(dossier), "motcua", "refuse", comment="Không thuộc thẩm quyền.")
    refund = Refund.objects.get(payment=payment)
    assert refund_execute(refund_id=refund.pk) == "done"
    assert fresh(payment).status == Payment.Status.REFUNDED
    (ledger,) = simulator.transactions(reference=payment.reference)
    assert ledger["refunded_amount"] == payment.amount


def test_the_platform_bill_is_a_pdf(client, demo, simulator):
    _dossier, payment, url = _start(client)
    _pay(client, simulator, url)
    assert paygov.PayGovProvider().bill_pdf(fresh(payment)).startswith(b"%PDF")


def test_an_init_refused_by_the_platform_cancels_the_attempt(client, demo, settings):
    dossier = submit()
    settings.PAYGOV_SECRET = "changed-on-our-side-only"
    real = paygov.PayGovProvider

    class Stale(real):
        def __init__(self, **options):
            super().__init__(secret="a-secret-the-platform-does-not-know", **options)

    paygov.register_provider("paygov", Stale)
    try:
        client.force_login(user("congdan"))
        response = client.post(f"/ho-so/{dossier.code}/thanh-toan/", {"provider": "paygov"}, follow=True)
    finally:
        paygov.register_provider("paygov", real)
    assert "Cổng thanh toán tạm thời không phản hồi" in response.content.decode()
    assert Payment.objects.get(dossier=dossier).status == Payment.Status.CANCELLED


def test_both_reply_shapes_of_init_are_read():
    flat = {"MaLoi": "00", "UrlThanhToan": "https://pay.example/x"}
    wrapped = {"error_code": "00", "message": json.dumps({"UrlThanhToan": "https://pay.example/x"})}
    assert paygov.unwrap(flat)["UrlThanhToan"] == paygov.unwrap(wrapped)["UrlThanhToan"]
    assert paygov.unwrap(wrapped)["MaLoi"] == "00"
    assert paygov.unwrap({"error_code": "-1", "message": "Sai mã xác thực"})["MaLoi"] == "-1"


def test_the_api_starts_a_paygov_payment(client, demo):
    dossier = submit()
    payment, url = payment_start(dossier=dossier, user=user("congdan"), provider="paygov")
    assert url.startswith("http://simulators.test/paygov/thanh-toan/?ma=") and payment.provider == "paygov"


def test_the_citizen_is_offered_both_gateways(client, demo):
    dossier = submit()
    client.force_login(user("congdan"))
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "Nộp phí trực tuyến (VNPAY)" in page and "Nộp phí trực tuyến (PayGov)" in page
