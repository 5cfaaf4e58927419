"""Writes on plans, tasks and commitments, split by topic.

Each is one transaction with its audit event; a state change locks its row first, returns early
when nothing would change, and refuses with a Vietnamese message (nothing half-happens).
"""

from cchc.core.errors import ApplicationError, Conflict

from .commitments import (
    commitment_countersign,
    commitment_draft,
    commitment_sign,
    commitment_target_add,
    commitment_target_record_actual,
    commitment_target_remove,
    commitment_tasks_set,
)
from .plan import plan_create
from .remediation import remediation_tasks_from_appraisal
from .reminders import reminder_days, reminders_send
from .tasks import TaskFields, task_create, task_report_add, task_transition, task_update

__all__ = [
    "ApplicationError",
    "Conflict",
    "TaskFields",
    "commitment_countersign",
    "commitment_draft",
    "commitment_sign",
    "commitment_target_add",
    "commitment_target_record_actual",
    "commitment_target_remove",
    "commitment_tasks_set",
    "plan_create",
    "remediation_tasks_from_appraisal",
    "reminder_days",
    "reminders_send",
    "task_create",
    "task_report_add",
    "task_transition",
    "task_update",
]
