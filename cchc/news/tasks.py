"""Scheduled publishing: approved revisions whose go-live moment has passed are published, and
pages whose expiry has passed are unpublished (Wagtail's `publish_scheduled` command).

`manage.py run_scheduler` calls `publish_scheduled_enqueue` every few minutes; `db_worker` runs it.
"""

from io import StringIO

from django.core.management import call_command
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult


@task()
def publish_scheduled() -> str:
    """Run Wagtail's scheduled publishing once; returns what the command printed."""
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    return out.getvalue()


def publish_scheduled_enqueue() -> bool:
    """Queue a scheduled-publishing run unless one is already waiting; True when one was queued."""
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=publish_scheduled.module_path)
    if waiting.exists():
        return False
    publish_scheduled.enqueue()
    return True
