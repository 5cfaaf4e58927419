"""The demo approves the default message templates, as an administrator would after registering them."""

from cchc.core import clock

from .models import MessageTemplate


def approve_default_templates() -> int:
    """Approve the templates nobody approved yet (demo data only); returns how many."""
    return MessageTemplate.objects.filter(approved=False).update(approved=True, approved_at=clock.now())
