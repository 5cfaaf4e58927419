"""Reminders before the deadline and when late: to the lead and the unit head, each once."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from cchc.dossiers.models import Notification
from cchc.dossiers.tasks import deliver_notification
from cchc.plans import services, tasks
from cchc.plans.models import TaskReminder
from cchc.plans.workflow import TaskStatus

from .conftest import TODAY, fields, user


def deliver() -> list:
    """Run the queued email jobs (as the worker would) and return what was sent."""
    for notice in Notification.objects.filter(kind__startswith="plans.", state=Notification.State.PENDING):
        deliver_notification.call(notice.pk)
    return list(mail.outbox)


@pytest.fixture
def due_soon(plan, settings):
    settings.CCHC_TASK_REMINDER_DAYS = (7, 1)
    return services.task_create(
        plan=plan, actor=user("cchc"), fields=fields(lead=user("chuyenvien"), deadline=TODAY + timedelta(days=5))
    )


def test_the_lead_and_the_unit_head_are_reminded_once(due_soon):
    assert services.reminders_send(today=TODAY) == {"reminded": 1, "late": 0}
    sent = deliver()
    assert sorted(m.to[0] for m in sent) == ["chuyenvien@example.vn", "truongphong@example.vn"]
    assert sent[0].subject.startswith("Nhắc hạn nhiệm vụ CCHC (còn 5 ngày)")
    assert "20/06/2026" in sent[0].body and f"/cai-cach/ke-hoach/nhiem-vu/{due_soon.pk}/" in sent[0].body

    assert services.reminders_send(today=TODAY) == {"reminded": 0, "late": 0}
    assert services.reminders_send(today=TODAY + timedelta(days=1)) == {"reminded": 0, "late": 0}
    assert len(deliver()) == 2


def test_the_last_day_and_lateness_each_get_one_reminder(due_soon):
    services.reminders_send(today=TODAY)
    assert services.reminders_send(today=due_soon.deadline - timedelta(days=1))["reminded"] == 1
    assert services.reminders_send(today=due_soon.deadline + timedelta(days=1)) == {"reminded": 0, "late": 1}
    assert services.reminders_send(today=due_soon.deadline + timedelta(days=9)) == {"reminded": 0, "late": 0}
    kinds = sorted(TaskReminder.objects.filter(task=due_soon).values_list("kind", flat=True))
    assert kinds == ["before_1", "before_7", "late"]
    subjects = [m.subject for m in deliver()]
    assert len(subjects) == 6
    assert sum(s.startswith("Nhiệm vụ CCHC trễ hạn") for s in subjects) == 2


def test_finished_tasks_and_far_deadlines_are_left_alone(due_soon, plan):
    services.task_create(plan=plan, actor=user("cchc"), fields=fields(deadline=date(2026, 12, 31)))
    services.task_transition(task=due_soon, actor=user("cchc"), to_status=TaskStatus.CANCELLED, reason="Gộp")
    assert services.reminders_send(today=TODAY) == {"reminded": 0, "late": 0}
    assert deliver() == []


def test_a_moved_deadline_starts_the_reminders_again(due_soon):
    services.reminders_send(today=TODAY)
    services.task_update(
        task=due_soon,
        actor=user("cchc"),
        fields=fields(lead=user("chuyenvien"), code=due_soon.code, deadline=TODAY + timedelta(days=3)),
    )
    assert services.reminders_send(today=TODAY)["reminded"] == 1


def test_the_scheduler_queues_one_reminder_run_at_a_time(db):
    assert tasks.remind_enqueue() is True
    assert tasks.remind_enqueue() is False
    assert DBTaskResult.objects.filter(task_path=tasks.remind.module_path).count() == 1
