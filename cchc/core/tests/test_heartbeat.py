"""Worker heartbeats: a live worker is seen, a silent one is named, and the jobs a dead worker had
claimed go back to the queue."""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cchc.core import heartbeat
from cchc.core.models import WorkerBeat
from cchc.dossiers.tasks import scan_deadlines

pytestmark = pytest.mark.django_db


def _age(worker_id: str, seconds: int) -> None:
    WorkerBeat.objects.filter(worker_id=worker_id).update(beat_at=timezone.now() - timedelta(seconds=seconds))


def test_no_worker_ever_beat():
    assert heartbeat.latest_beat() is None


def test_a_beat_records_the_worker_and_moves_its_time_forward():
    first = heartbeat.beat("w1")
    _age("w1", 120)
    heartbeat.beat("w1")
    row = WorkerBeat.objects.get(worker_id="w1")
    assert row.pid > 0 and row.host
    assert row.started_at == first.started_at
    assert timezone.now() - row.beat_at < timedelta(seconds=5)
    assert heartbeat.latest_beat() == row.beat_at


def test_only_workers_silent_longer_than_the_age_are_stale():
    heartbeat.beat("alive")
    heartbeat.beat("dead")
    _age("dead", 300)
    assert [w.worker_id for w in heartbeat.stale_workers(timedelta(seconds=60))] == ["dead"]
    assert heartbeat.latest_beat() == WorkerBeat.objects.get(worker_id="alive").beat_at


def _running_job(worker_id: str) -> DBTaskResult:
    result = scan_deadlines.enqueue()
    job = DBTaskResult.objects.get(pk=result.id)
    job.claim(worker_id)
    return job


def test_jobs_of_a_dead_worker_go_back_to_the_queue_and_others_stay():
    heartbeat.beat("alive")
    heartbeat.beat("dead")
    _age("dead", 300)
    orphan = _running_job("dead")
    busy = _running_job("alive")
    unknown = _running_job("plain-db-worker")

    assert heartbeat.requeue_jobs_of_stale_workers(timedelta(seconds=60)) == 1

    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[orphan.pk] == TaskResultStatus.READY
    assert statuses[busy.pk] == TaskResultStatus.RUNNING
    assert statuses[unknown.pk] == TaskResultStatus.RUNNING
    assert not WorkerBeat.objects.filter(worker_id="dead").exists()


def test_the_scheduler_requeues_the_jobs_of_a_dead_worker():
    heartbeat.beat("dead")
    _age("dead", 3600)
    orphan = _running_job("dead")
    call_command("run_scheduler", "--once", verbosity=0)
    orphan.refresh_from_db()
    assert orphan.status == TaskResultStatus.READY


@pytest.mark.django_db(transaction=True)
def test_the_beating_thread_beats_from_its_own_connection():
    heart = heartbeat.BeatingThread("threaded", every=0.05)
    heart.start()
    try:
        deadline = time.monotonic() + 10
        while not WorkerBeat.objects.filter(worker_id="threaded").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        heart.stop()
    assert heartbeat.latest_beat() is not None


@pytest.mark.django_db(transaction=True)
def test_run_worker_runs_the_queue_and_leaves_no_beat_after_a_clean_stop():
    result = scan_deadlines.enqueue()
    call_command("run_worker", "--batch", "--no-startup-delay", "--worker-id", "clean-stop", verbosity=0)
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL
    assert DBTaskResult.objects.get(pk=result.id).worker_ids == ["clean-stop"]
    assert not WorkerBeat.objects.filter(worker_id="clean-stop").exists()
