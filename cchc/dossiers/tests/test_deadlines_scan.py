"""The periodic deadline scan: the assignee and the unit head hear once about a dossier due soon or late."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from cchc.dossiers.models import Notification
from cchc.dossiers.services import deadlines_scan
from cchc.dossiers.tasks import deliver_notification, scan_deadlines, scan_deadlines_enqueue
from cchc.dossiers.workflow import Status

from .helpers import act, submit


@pytest.fixture
def with_specialist(demo):
    """A dossier at step 2 (unit QLVT), assigned by the unit head to the specialist."""
    dossier = act(submit(), "motcua", "receive")
    dossier = act(dossier, "motcua", "forward")
    return act(dossier, "truongphong", "assign", assignee="chuyenvien")


def staff_notices(dossier, kind):
    return Notification.objects.filter(dossier=dossier, kind=kind)


def deliver_all(notices):
    for notice in notices.filter(channel="email"):
        deliver_notification.call(notice.pk)


def test_due_within_a_working_day_tells_the_assignee_and_the_unit_head_once(with_specialist):
    dossier = with_specialist
    now = dossier.due_at - timedelta(hours=1)

    assert deadlines_scan(now=now) == {"due_soon": 1, "late": 0, "segments_late": 0}

    notices = staff_notices(dossier, "deadline.due_soon")
    in_app = notices.filter(channel="in_app")
    assert sorted(in_app.values_list("recipient__username", flat=True)) == ["chuyenvien", "truongphong"]
    assert all(n.subject == f"Hồ sơ {dossier.code} sắp đến hạn" for n in in_app)
    deliver_all(notices)
    assert sorted(m.to[0] for m in mail.outbox) == ["chuyenvien@example.vn", "truongphong@example.vn"]

    assert deadlines_scan(now=now + timedelta(minutes=15)) == {"due_soon": 0, "late": 0, "segments_late": 0}
    assert staff_notices(dossier, "deadline.due_soon").count() == notices.count()


def test_a_late_dossier_is_flagged_once(with_specialist):
    dossier = with_specialist
    now = dossier.due_at + timedelta(hours=2)

    assert deadlines_scan(now=now)["late"] == 1
    notices = staff_notices(dossier, "deadline.late")
    assert sorted(notices.filter(channel="in_app").values_list("recipient__username", flat=True)) == [
        "chuyenvien",
        "truongphong",
    ]
    assert notices.filter(channel="email").count() == 2
    assert all(n.subject == f"Hồ sơ {dossier.code} đã quá hạn" for n in notices)

    assert deadlines_scan(now=now + timedelta(days=1)) == {"due_soon": 0, "late": 0, "segments_late": 0}
    assert staff_notices(dossier, "deadline.late").count() == 4


def test_a_dossier_waiting_for_supplementation_is_not_flagged(with_specialist):
    dossier = act(with_specialist, "chuyenvien", "request_supplement", comment="Thiếu giấy tờ", items=["Ảnh 3x4"])
    assert dossier.status == Status.WAITING_SUPPLEMENT

    assert deadlines_scan(now=dossier.due_at - timedelta(hours=1)) == {"due_soon": 0, "late": 0, "segments_late": 0}
    assert deadlines_scan(now=dossier.due_at + timedelta(days=3)) == {"due_soon": 0, "late": 0, "segments_late": 0}
    assert not Notification.objects.filter(dossier=dossier, kind__startswith="deadline.").exists()


def test_a_dossier_not_yet_due_is_left_alone(with_specialist):
    assert deadlines_scan(now=with_specialist.received_at) == {"due_soon": 0, "late": 0, "segments_late": 0}


def test_the_scan_task_runs_the_scan(demo):
    assert scan_deadlines.call() == {"due_soon": 0, "late": 0, "segments_late": 0}


def test_the_scheduler_queues_one_scan_at_a_time(demo):
    scans = DBTaskResult.objects.filter(task_path=scan_deadlines.module_path)
    call_command("run_scheduler", "--once", verbosity=0)
    assert scans.filter(status="READY").count() == 1
    assert scan_deadlines_enqueue() is False
    assert scans.count() == 1
