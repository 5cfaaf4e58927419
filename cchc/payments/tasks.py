"""Background work for payments (Django Tasks, database backend).

`refund_payment` is enqueued in the transaction that opens a refund; `reconcile_pending_payments`
is queued periodically (`manage.py reconcile_payments --enqueue`, or the scheduler) and can be run
by hand with `manage.py reconcile_payments`.
"""

from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult


@task()
def refund_payment(refund_id: int) -> str:
    """Ask the gateway to refund one payment (at most once; see `services.refund_execute`)."""
    from .services import refund_execute

    return refund_execute(refund_id=refund_id)


@task()
def reconcile_pending_payments() -> dict:
    """Query the gateway (querydr) about online payments pending for more than 15 minutes."""
    from .services import payments_reconcile

    return payments_reconcile()


def reconcile_enqueue() -> bool:
    """Queue a reconciliation unless one is already waiting; True when one was queued."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=reconcile_pending_payments.module_path
    )
    if waiting.exists():
        return False
    reconcile_pending_payments.enqueue()
    return True
