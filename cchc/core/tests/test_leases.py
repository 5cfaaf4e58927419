"""The scheduler's lease: two schedulers never both queue, a dead holder's lease passes on."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cchc.core.leases import lease_acquire, lease_release
from cchc.core.models import Lease

pytestmark = pytest.mark.django_db


def test_a_held_lease_is_refused_to_another_holder_and_renewed_for_its_own():
    assert lease_acquire(name="job", holder="a", seconds=60)
    assert not lease_acquire(name="job", holder="b", seconds=60)
    assert lease_acquire(name="job", holder="a", seconds=60)
    assert Lease.objects.get(name="job").holder == "a"


def test_an_expired_lease_passes_to_the_next_holder():
    assert lease_acquire(name="job", holder="a", seconds=60)
    Lease.objects.filter(name="job").update(expires_at=timezone.now() - timedelta(seconds=1))
    assert lease_acquire(name="job", holder="b", seconds=60)
    assert not lease_acquire(name="job", holder="a", seconds=60)


def test_a_released_lease_is_free_at_once():
    lease_acquire(name="job", holder="a", seconds=60)
    lease_release(name="job", holder="b")  # not the holder: nothing happens
    assert not lease_acquire(name="job", holder="b", seconds=60)
    lease_release(name="job", holder="a")
    assert lease_acquire(name="job", holder="b", seconds=60)


def test_a_second_scheduler_queues_nothing_while_the_first_holds_the_lease():
    lease_acquire(name="scheduler", holder="other-machine", seconds=60)
    call_command("run_scheduler", "--once", verbosity=0)
    assert DBTaskResult.objects.count() == 0

    Lease.objects.filter(name="scheduler").update(expires_at=timezone.now() - timedelta(seconds=1))
    call_command("run_scheduler", "--once", verbosity=0)
    assert DBTaskResult.objects.count() > 0
    assert not Lease.objects.exists()  # a clean stop gives the lease back
