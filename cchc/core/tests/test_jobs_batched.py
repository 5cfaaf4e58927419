"""Jobs queued together (`core.jobs.enqueue_each`, `jobs_batched`): each is a job of its own that
a worker picks up, written when the block ends, and none when the block fails."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from cchc.core.jobs import enqueue_each, jobs_batched, named
from cchc.dvcqg.tasks import send_outbox

pytestmark = pytest.mark.django_db
deliver_notification = named("dossiers.deliver_notification")


def _queued() -> list[tuple[str, list]]:
    return sorted((job.task_path, job.args_kwargs["args"]) for job in DBTaskResult.objects.ready())


def test_jobs_of_a_batch_are_written_at_its_end_each_ready_for_a_worker():
    with transaction.atomic(), jobs_batched():
        enqueue_each(deliver_notification, [(1,), (2,)])
        enqueue_each(send_outbox, [(3,)])
        assert _queued() == []
    assert _queued() == [
        ("cchc.dossiers.tasks.deliver_notification", [1]),
        ("cchc.dossiers.tasks.deliver_notification", [2]),
        ("cchc.dvcqg.tasks.send_outbox", [3]),
    ]


def test_a_batch_that_fails_queues_nothing():
    with pytest.raises(RuntimeError), transaction.atomic(), jobs_batched():
        enqueue_each(deliver_notification, [(1,), (2,)])
        raise RuntimeError
    assert _queued() == []


def test_outside_a_batch_the_jobs_are_written_at_once():
    enqueue_each(deliver_notification, [(4,), (5,)])
    assert _queued() == [
        ("cchc.dossiers.tasks.deliver_notification", [4]),
        ("cchc.dossiers.tasks.deliver_notification", [5]),
    ]
