"""Electronic receipts for every fee paid, through VNPT's and Viettel's shapes: contract tests
against the simulator server's VNPT and Viettel (every call goes over HTTP to it)."""

import io

import pypdf
import pytest
from django_tasks_db.models import DBTaskResult

from cchc.audit.models import AuditEvent
from cchc.payments.ereceipt import ReceiptRefused, receipt_provider, soap_read
from cchc.payments.models import Payment, ReceiptStatus
from cchc.payments.services import payment_counter_cash, payment_ipn
from cchc.payments.services_receipts import receipt_after_refund, receipt_issue
from cchc.payments.tasks import issue_receipt

from .helpers import fresh, ipn_params, started, submit, user

pytestmark = pytest.mark.django_db

R = ReceiptStatus


@pytest.fixture(params=["vnpt", "viettel"])
def provider(request, settings):
    settings.CCHC_RECEIPT_PROVIDER = request.param
    return request.param


def _paid(username="congdan"):
    dossier, payment, _url = started(username=username)
    payment_ipn(provider_name="vnpay", params=ipn_params(payment))
    return dossier, fresh(payment)


def _issued(username="congdan"):
    dossier, payment = _paid(username)
    assert receipt_issue(payment_id=payment.pk) == R.ISSUED
    return dossier, fresh(payment)


def _text(pdf: bytes) -> str:
    return pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_a_paid_fee_queues_its_receipt(demo, provider):
    _dossier, payment = _paid()
    assert payment.receipt_status == R.PENDING and payment.receipt_provider == provider
    assert DBTaskResult.objects.filter(task_path=issue_receipt.module_path).count() == 0  # only after commit


def test_the_receipt_gets_pattern_series_number_and_lookup_code_in_sequence(demo, provider, settings):
    _dossier, first = _issued()
    assert (first.receipt_pattern, first.receipt_series) == (
        settings.CCHC_RECEIPT_PATTERN,
        settings.CCHC_RECEIPT_SERIES,
    )
    assert first.receipt_number == "0000001" and first.receipt_lookup_code
    assert first.receipt_issued_at is not None
    _dossier, second = _issued()
    assert second.receipt_number == "0000002"
    event = AuditEvent.objects.filter(action="payment.receipt_issued").last()
    assert event.data["number"] == "0000002"


def test_issuing_again_gets_the_same_receipt(demo, provider, simulator):
    _dossier, payment = _issued()
    Payment.objects.filter(pk=payment.pk).update(receipt_status=R.PENDING)
    assert receipt_issue(payment_id=payment.pk) == R.ISSUED
    assert fresh(payment).receipt_number == payment.receipt_number
    assert len(simulator.receipts(provider=provider)) == 1


def test_the_citizen_downloads_the_receipt_pdf_and_nobody_else_does(client, demo, provider):
    dossier, payment = _issued()
    client.force_login(user("congdan"))
    response = client.get(f"/ho-so/{dossier.code}/bien-lai/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert f"So: {payment.receipt_number}" in text and payment.receipt_series in text
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert payment.receipt_number in page and payment.receipt_lookup_code in page
    client.force_login(user("doanhnghiep"))
    assert client.get(f"/ho-so/{dossier.code}/bien-lai/").status_code == 404


def test_a_full_refund_cancels_the_receipt_once(demo, provider, simulator):
    _dossier, payment = _issued()
    assert receipt_after_refund(payment_id=payment.pk, amount=payment.amount) == R.CANCELLED
    (receipt,) = simulator.receipts(provider=provider)
    assert receipt["status"] == "cancelled"
    assert receipt_after_refund(payment_id=payment.pk, amount=payment.amount) == R.CANCELLED  # nothing sent again
    with pytest.raises(ReceiptRefused):  # the provider refuses a second cancel
        receipt_provider().cancel(key=payment.reference, number=payment.receipt_number, issued_at=payment.paid_at)
    assert AuditEvent.objects.filter(action="payment.receipt_cancelled").count() == 1


def test_a_partial_refund_adjusts_the_receipt_with_a_new_number(client, demo, provider, simulator):
    dossier, payment = _issued()
    assert receipt_after_refund(payment_id=payment.pk, amount=15_000) == R.ADJUSTED
    payment = fresh(payment)
    assert payment.receipt_original_number == "0000001" and payment.receipt_number == "0000002"
    original, adjustment = simulator.receipts(provider=provider)
    assert (original["number"], adjustment["number"]) == (1, 2)
    assert adjustment["amount"] == payment.amount - 15_000 and adjustment["replaces_id"] is not None
    assert original["status"] == "adjusted"
    client.force_login(user("congdan"))
    assert "Dieu chinh cho bien lai so 0000001" in _text(client.get(f"/ho-so/{dossier.code}/bien-lai/").content)


def test_a_refused_issue_is_kept_and_sent_again_later(demo, provider, settings):
    _dossier, payment = _paid()
    settings.CCHC_RECEIPT_URL = "http://simulators.test/hoa-don/nowhere"  # a provider that answers nothing usable
    assert receipt_issue(payment_id=payment.pk) == R.FAILED
    failed = fresh(payment)
    assert failed.receipt_error and failed.receipt_attempts == 1
    assert AuditEvent.objects.filter(action="payment.receipt_failed").exists()
    settings.CCHC_RECEIPT_URL = ""
    assert receipt_issue(payment_id=payment.pk) == R.ISSUED
    assert fresh(payment).receipt_error == ""


def test_cash_at_the_counter_gets_a_receipt_too(demo, provider):
    dossier = submit(code="1.000010")
    payment = payment_counter_cash(dossier=dossier, officer=user("motcua"))
    assert fresh(payment).receipt_status == R.PENDING
    assert receipt_issue(payment_id=payment.pk) == R.ISSUED


def test_no_receipt_provider_means_no_receipt(demo, settings):
    settings.CCHC_RECEIPT_PROVIDER = ""
    _dossier, payment = _paid()
    assert payment.receipt_status == R.NONE


def test_vnpt_receives_a_soap_call_with_the_invoice_xml(demo, simulated_http, settings):
    settings.CCHC_RECEIPT_PROVIDER = "vnpt"
    _dossier, payment = _issued()
    method, url, body, headers = simulated_http.to("PublishService.asmx")[0]
    assert headers["SOAPAction"] == '"http://tempuri.org/ImportAndPublishInv"'
    params = soap_read(body, "ImportAndPublishInv")
    assert (params["pattern"], params["serial"], params["Account"]) == ("01BLP0-001", "BS-26E", "cchcdemoadmin")
    assert f"<key>{payment.reference}</key>" in params["xmlInvData"]
    assert "<Total>115000</Total>" in params["xmlInvData"]


def test_a_refunded_payment_queues_the_cancellation_of_its_receipt(
    demo, provider, recording_provider, django_capture_on_commit_callbacks
):
    from cchc.dossiers.tests.helpers import act
    from cchc.payments.models import Refund
    from cchc.payments.services import refund_execute
    from cchc.payments.tasks import receipt_after_refund_job

    dossier, payment = _issued()
    act(fresh(dossier), "motcua", "refuse", comment="Không thuộc thẩm quyền.")
    with django_capture_on_commit_callbacks(execute=True):
        assert refund_execute(refund_id=Refund.objects.get(payment=payment).pk) == "done"
    job = DBTaskResult.objects.get(task_path=receipt_after_refund_job.module_path)
    assert job.args_kwargs["args"] == [payment.pk, payment.amount]
