"""Sent inside the transaction that publishes a version, so receivers (the DVCQG outbox) write with it."""

from django.dispatch import Signal

# Sent with `procedure` and `version` (the version now in force).
procedure_published = Signal()
