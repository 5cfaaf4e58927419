"""A refused dossier whose fee was paid online is refunded through the gateway."""

import pytest
from django_tasks_db.models import DBTaskResult

from cchc.audit.models import AuditEvent
from cchc.core.errors import Conflict
from cchc.dossiers.tests.helpers import act, user
from cchc.payments.models import Payment, Refund
from cchc.payments.providers import RefundResult
from cchc.payments.services import payment_counter_cash, payment_ipn, refund_execute, refund_retry
from cchc.payments.tasks import refund_payment

from .helpers import fresh, ipn_params, started

pytestmark = pytest.mark.django_db
REASON = "Thủ tục không thuộc thẩm quyền giải quyết của Sở."


def _paid_then_refused():
    dossier, payment, _url = started()
    payment_ipn(provider_name="vnpay", params=ipn_params(payment))
    dossier = act(fresh(dossier), "motcua", "refuse", comment=REASON)
    return dossier, fresh(payment)


def test_refusing_a_paid_dossier_opens_a_refund_and_queues_the_job(demo, recording_provider):
    dossier, payment = _paid_then_refused()
    assert dossier.status == "refused"
    assert payment.status == Payment.Status.REFUND_PENDING
    refund = Refund.objects.get(payment=payment)
    assert (refund.amount, refund.status, refund.requested_by.username) == (115_000, "pending", "motcua")
    assert REASON in refund.reason
    job = DBTaskResult.objects.get(task_path=refund_payment.module_path)
    assert job.args_kwargs["args"] == [refund.pk]
    assert recording_provider == []  # nothing is sent inside the officer's transaction


def test_the_job_asks_the_provider_once_and_marks_the_payment_refunded(demo, recording_provider):
    _dossier, payment = _paid_then_refused()
    refund = Refund.objects.get(payment=payment)
    assert refund_execute(refund_id=refund.pk) == "done"
    assert refund_execute(refund_id=refund.pk) == "skipped"  # a job run twice sends once
    assert recording_provider == [{"reference": payment.reference, "amount": 115_000, "actor": "motcua"}]
    assert fresh(payment).status == Payment.Status.REFUNDED
    assert fresh(refund).done_at is not None
    assert AuditEvent.objects.filter(action="payment.refunded").count() == 1


def test_a_refused_refund_stays_visible_and_can_be_sent_again(demo, recording_provider):
    _dossier, payment = _paid_then_refused()
    refund = Refund.objects.get(payment=payment)
    recording_provider.answer = RefundResult(ok=False, response_code="94", message="Duplicate request")
    assert refund_execute(refund_id=refund.pk) == "failed"
    assert fresh(payment).status == Payment.Status.REFUND_PENDING
    assert fresh(refund).response_code == "94"
    refund_retry(refund=refund, actor=user("quantri"))
    recording_provider.answer = RefundResult(ok=True, response_code="00")
    assert refund_execute(refund_id=refund.pk) == "done"
    assert fresh(payment).status == Payment.Status.REFUNDED
    with pytest.raises(Conflict):
        refund_retry(refund=refund, actor=user("quantri"))


def test_an_unpaid_or_cash_paid_refused_dossier_opens_no_refund(demo, recording_provider):
    dossier, _payment, _url = started()
    act(dossier, "motcua", "refuse", comment=REASON)
    other, _p, _u = started()
    payment_counter_cash(dossier=other, officer=user("motcua"))
    act(fresh(other), "motcua", "refuse", comment=REASON)
    assert not Refund.objects.exists()


def test_the_refund_goes_through_the_simulated_gateway_with_signed_messages(demo, simulator_api, simulator, client):
    dossier, payment, url = started()
    # The citizen pays on the simulator page, which notifies the IPN like VNPAY does.
    simulator.browse("POST", url, {"choice": "pay"})
    simulator.deliver(client)
    assert fresh(payment).status == Payment.Status.PAID
    act(fresh(dossier), "motcua", "refuse", comment=REASON)
    refund = Refund.objects.get()
    assert refund_execute(refund_id=refund.pk) == "done"
    assert simulator_api[-1]["vnp_Command"] == "refund"
    assert simulator_api[-1]["vnp_Amount"] == "11500000"
    assert simulator_api[-1]["vnp_TransactionType"] == "02"
    assert fresh(payment).status == Payment.Status.REFUNDED
