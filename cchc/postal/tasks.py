"""Background work for results by post: the VNPost order once an officer asks, and the tracking round
the scheduler queues."""

from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cchc.core.jobs import job

from .client import post_enabled
from .models import Shipment
from .services import LIVE, shipment_create_order, shipments_track


@job("postal.create_order")
def create_order(shipment_id: int) -> str:
    return shipment_create_order(shipment_id=shipment_id).state


@job("postal.track_shipments")
def track_shipments() -> dict:
    return shipments_track()


def track_enqueue() -> bool:
    """Queue a tracking round unless one is waiting, and only while shipments can move."""
    if not post_enabled() or not Shipment.objects.filter(state__in=LIVE).exists():
        return False
    if DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=track_shipments.module_path).exists():
        return False
    track_shipments.enqueue()
    return True
