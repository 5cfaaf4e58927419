"""The demo office's counters, so that bookings work in `make run`."""

from cchc.accounts.models import Agency

from .models import Counter


def load_demo_counters(agency: Agency) -> int:
    """Two counters taking every procedure, two people per 30-minute slot each; returns how many were made."""
    made = 0
    for name in ("Quầy 1", "Quầy 2"):
        _counter, created = Counter.objects.get_or_create(agency=agency, name=name, defaults={"capacity": 2})
        made += created
    return made
