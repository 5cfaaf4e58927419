"""Background work for results by post: the VNPost order once an officer asks, and the tracking round
the scheduler queues."""

from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult


@task()
def create_order(shipment_id: int) -> str:
    from .services import shipment_create_order

    return shipment_create_order(shipment_id=shipment_id).state


@task()
def track_shipments() -> dict:
    from .services import shipments_track

    return shipments_track()


def track_enqueue() -> bool:
    """Queue a tracking round unless one is waiting, and only while shipments can move."""
    from .client import post_enabled
    from .models import Shipment
    from .services import LIVE

    if not post_enabled() or not Shipment.objects.filter(state__in=LIVE).exists():
        return False
    if DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=track_shipments.module_path).exists():
        return False
    track_shipments.enqueue()
    return True
