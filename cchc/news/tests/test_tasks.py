from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cchc.news.tasks import publish_scheduled, publish_scheduled_enqueue


def test_publish_scheduled_is_queued_once_while_one_waits(db):
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=publish_scheduled.module_path)

    assert publish_scheduled_enqueue() is True
    assert publish_scheduled_enqueue() is False
    assert waiting.count() == 1
