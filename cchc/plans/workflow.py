"""Lifecycles of plan tasks and unit commitments, as data. No database, no web.

A task starts "not started", moves to "in progress" with its first progress report, and ends
"done" (with 100 % or at least one report) or "cancelled" (with a reason). A finished task
may be reopened. A commitment is drafted (targets and tasks may change), signed by the head
of its unit, then countersigned by a leader of the agency; after that it is frozen.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    CANCELLED = "cancelled", _("Đã hủy")


T = TaskStatus

TASK_TRANSITIONS: dict[str, frozenset[str]] = {
    T.NOT_STARTED: frozenset({T.IN_PROGRESS, T.DONE, T.CANCELLED}),
    T.IN_PROGRESS: frozenset({T.DONE, T.CANCELLED}),
    T.DONE: frozenset({T.IN_PROGRESS}),  # reopened when the output turns out incomplete
    T.CANCELLED: frozenset(),
}
# Tasks still to be delivered: these can be late and get reminders.
OPEN_TASK = frozenset({T.NOT_STARTED, T.IN_PROGRESS})
# Moves that need a written reason.
REASON_REQUIRED = frozenset({(T.NOT_STARTED, T.CANCELLED), (T.IN_PROGRESS, T.CANCELLED), (T.DONE, T.IN_PROGRESS)})


class CommitmentStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SIGNED_BY_UNIT = "signed_by_unit", _("Trưởng đơn vị đã ký")
    COUNTERSIGNED = "countersigned", _("Lãnh đạo Sở đã ký duyệt")


C = CommitmentStatus

COMMITMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    C.DRAFT: frozenset({C.SIGNED_BY_UNIT}),
    C.SIGNED_BY_UNIT: frozenset({C.COUNTERSIGNED}),
    C.COUNTERSIGNED: frozenset(),
}


class TransitionNotAllowed(Exception):
    """A move the lifecycle does not have (a programming or stale-form error, not user input)."""


def can_move_task(from_status: str, to_status: str) -> bool:
    return to_status in TASK_TRANSITIONS.get(from_status, frozenset())


def task_needs_reason(from_status: str, to_status: str) -> bool:
    return (from_status, to_status) in REASON_REQUIRED


def can_finish(*, progress: int, report_count: int) -> bool:
    """A task is marked done only at 100 % or once somebody reported on it."""
    return progress >= 100 or report_count > 0


def can_move_commitment(from_status: str, to_status: str) -> bool:
    return to_status in COMMITMENT_TRANSITIONS.get(from_status, frozenset())
