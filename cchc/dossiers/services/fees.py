"""The fee of a dossier marked paid (called by the payments app)."""

from datetime import datetime

from django.db import transaction

from cchc.audit.services import audit_record
from cchc.core import clock

from ..models import (
    Dossier,
)
from ..workflow import Action, Status
from .common import (
    _lock,
)

A = Action
S = Status


def dossier_mark_paid(*, dossier: Dossier, online: bool, at: datetime | None = None) -> Dossier:
    """Record that the dossier's fees are paid (called by the payments app). Idempotent."""
    with transaction.atomic():
        dossier = _lock(dossier)
        if dossier.paid_at is not None:
            return dossier
        dossier.paid_at = at or clock.now()
        dossier.paid_online = online
        dossier.save(update_fields=["paid_at", "paid_online", "updated_at"])
        audit_record(
            action="dossier.paid",
            object_type="dossier",
            object_id=dossier.pk,
            dossier_code=dossier.code or "",
            data={"amount": dossier.fee_amount, "online": online},
        )
    return dossier
