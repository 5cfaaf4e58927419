"""Reads of results sent by post."""

from .models import Shipment


def shipment_of(*, dossier) -> Shipment | None:
    """The dossier's latest shipment (a cancelled or failed one is followed by a new one)."""
    return Shipment.objects.filter(dossier=dossier).prefetch_related("events").order_by("-requested_at").first()
