"""Background work for appointments: no-shows give their places back."""

from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult


@task()
def mark_no_shows() -> int:
    from .services import bookings_mark_no_shows

    return bookings_mark_no_shows()


def mark_no_shows_enqueue() -> bool:
    """Queue the no-show sweep unless one is already waiting (the scheduler's periodic job)."""
    if DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=mark_no_shows.module_path).exists():
        return False
    mark_no_shows.enqueue()
    return True
