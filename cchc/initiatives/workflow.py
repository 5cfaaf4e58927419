"""An initiative's lifecycle: which status may follow which. Plain data, no database."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Đề xuất")
    APPLIED = "applied", _("Đang áp dụng")
    REPLICATED = "replicated", _("Đã nhân rộng")
    STOPPED = "stopped", _("Đã dừng")


TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PROPOSED: frozenset({Status.APPLIED, Status.STOPPED}),
    Status.APPLIED: frozenset({Status.REPLICATED, Status.STOPPED}),
    Status.REPLICATED: frozenset({Status.STOPPED}),
    Status.STOPPED: frozenset({Status.APPLIED}),
}
# Statuses in which the initiative has started: its start date cannot be in the future.
STARTED = frozenset({Status.APPLIED, Status.REPLICATED})


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


def next_statuses(status: str) -> list[str]:
    return [s for s in Status.values if can_move(status, s)]
