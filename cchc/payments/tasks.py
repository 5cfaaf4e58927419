"""Background work for payments (Django Tasks, database backend).

`refund_payment` is enqueued in the transaction that opens a refund; `reconcile_pending_payments`
is queued periodically (`manage.py reconcile_payments --enqueue`, or the scheduler) and can be run
by hand with `manage.py reconcile_payments`. The services queue these jobs by name
(`cchc.core.jobs`); they never import this module, which calls them.
"""

from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cchc.core.jobs import job

from .services import payments_reconcile, refund_execute
from .services_receipts import receipt_after_refund, receipt_issue, receipts_retry


@job("payments.refund_payment")
def refund_payment(refund_id: int) -> str:
    """Ask the gateway to refund one payment (at most once; see `services.refund_execute`)."""
    return refund_execute(refund_id=refund_id)


@job("payments.reconcile_pending_payments")
def reconcile_pending_payments() -> dict:
    """Query the gateway (querydr) about online payments pending for more than 15 minutes, and send
    again the electronic receipts still pending or refused."""
    counts = payments_reconcile()
    counts["receipts_requeued"] = receipts_retry()
    return counts


@job("payments.issue_receipt")
def issue_receipt(payment_id: int) -> str:
    """Issue the electronic receipt of a paid payment (see `services_receipts.receipt_issue`)."""
    return receipt_issue(payment_id=payment_id)


@job("payments.receipt_after_refund")
def receipt_after_refund_job(payment_id: int, amount: int) -> str:
    """Cancel or adjust the receipt of a refunded payment (see `services_receipts.receipt_after_refund`)."""
    return receipt_after_refund(payment_id=payment_id, amount=amount)


def reconcile_enqueue() -> bool:
    """Queue a reconciliation unless one is already waiting; True when one was queued."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=reconcile_pending_payments.module_path
    )
    if waiting.exists():
        return False
    reconcile_pending_payments.enqueue()
    return True
