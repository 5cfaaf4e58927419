"""Background work: reminding task leads before their deadlines and when a task is late.

`manage.py run_scheduler` calls `remind_enqueue` (listed in CCHC_PERIODIC_JOBS) every few
minutes; `db_worker` runs the queued job. Reminders are rows first, so each is sent once.
"""

from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult


@task()
def remind() -> dict:
    """Send the reminders due today (see `services.reminders_send`)."""
    from .services import reminders_send

    return reminders_send()


def remind_enqueue() -> bool:
    """Queue a reminder run unless one is already waiting; True when one was queued."""
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=remind.module_path)
    if waiting.exists():
        return False
    remind.enqueue()
    return True
