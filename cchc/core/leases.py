"""Leases: one process at a time does a named job, across machines, through the database.

`lease_acquire(name=..., holder=..., seconds=...)` takes the lease when it is free or expired, or
renews it for its holder, in one conditional UPDATE (or the INSERT of the first row, whose primary
key refuses a second one). A holder that dies simply stops renewing; another takes over once the
lease has expired.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q

from cchc.core import clock

from .models import Lease


def lease_acquire(*, name: str, holder: str, seconds: float) -> bool:
    """Whether `holder` holds the lease `name` for the next `seconds` after this call."""
    now = clock.now()
    until = now + timedelta(seconds=seconds)
    taken = (
        Lease.objects.filter(name=name)
        .filter(Q(holder=holder) | Q(expires_at__lt=now))
        .update(holder=holder, expires_at=until)
    )
    if taken:
        return True
    try:
        with transaction.atomic():
            Lease.objects.create(name=name, holder=holder, expires_at=until)
    except IntegrityError:
        return False
    return True


def lease_release(*, name: str, holder: str) -> None:
    """Give the lease up at once (a clean stop), so another holder need not wait for it to expire."""
    Lease.objects.filter(name=name, holder=holder).delete()
