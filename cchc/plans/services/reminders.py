"""Reminders before a task's deadline, sent once per task and deadline."""

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cchc.accounts.models import User
from cchc.accounts.roles import HEADS_UNIT
from cchc.core import clock

from .. import rules
from ..models import Task, TaskReminder
from ..workflow import (
    OPEN_TASK,
)
from .common import _vn


def reminder_days() -> tuple[int, ...]:
    """Calendar days before the deadline when the lead is reminded: `CCHC_TASK_REMINDER_DAYS`."""
    return rules.normalised_days(settings.CCHC_TASK_REMINDER_DAYS)


def _reminder_recipients(task: Task) -> list[User]:
    people: dict[int, User] = {}
    if task.lead_id and task.lead.is_active:
        people[task.lead_id] = task.lead
    for head in User.objects.filter(unit_id=task.unit_id, role__in=HEADS_UNIT, is_active=True).order_by("pk"):
        people[head.pk] = head
    return list(people.values())


def _reminder_message(task: Task, kind: str, today: date) -> tuple[str, str]:
    from django.urls import reverse

    if kind == rules.LATE:
        subject = _("Nhiệm vụ CCHC trễ hạn: %(title)s") % {"title": task.title[:120]}
        lead_in = _("Nhiệm vụ sau đã quá thời hạn %(day)s mà chưa hoàn thành:") % {"day": _vn(task.deadline)}
    else:
        left = (task.deadline - today).days
        subject = _("Nhắc hạn nhiệm vụ CCHC (còn %(n)s ngày): %(title)s") % {"n": left, "title": task.title[:120]}
        lead_in = _("Nhiệm vụ sau đến hạn hoàn thành ngày %(day)s:") % {"day": _vn(task.deadline)}
    url = settings.CCHC_PUBLIC_URL + reverse("plans:task", kwargs={"pk": task.pk})
    body = "\n".join(
        [
            lead_in,
            "",
            f"{task.code}. {task.title}",
            _("Đơn vị chủ trì: %(unit)s") % {"unit": task.unit.name},
            _("Người phụ trách: %(lead)s") % {"lead": task.lead or _("(chưa giao)")},
            _("Tiến độ đã báo cáo: %(p)s%%") % {"p": task.progress},
            "",
            _("Cập nhật tiến độ tại: %(url)s") % {"url": url},
        ]
    )
    return subject, body


def reminders_send(*, today: date | None = None) -> dict[str, int]:
    """Remind the lead person and the unit head of each open task a few days before its deadline
    and once when it is late. Each reminder is a row first (unique per task, kind and deadline), so
    a second run, or two runs at once, send nothing twice."""
    from cchc.dossiers.notifications import notify_staff

    today = today or clock.localdate()
    days = reminder_days()
    horizon = today.toordinal() + (max(days) if days else 0)
    counts = {"reminded": 0, "late": 0}
    candidates = (
        Task.objects.filter(status__in=OPEN_TASK, deadline__lte=date.fromordinal(horizon))
        .select_related("plan", "unit", "lead")
        .order_by("deadline", "pk")
    )
    for task in candidates:
        sent = set(TaskReminder.objects.filter(task=task, deadline=task.deadline).values_list("kind", flat=True))
        kind = rules.reminder_due(deadline=task.deadline, today=today, days=days, sent=sent)
        if kind is None:
            continue
        try:
            with transaction.atomic():
                TaskReminder.objects.create(task=task, kind=kind, deadline=task.deadline, sent_at=clock.now())
                subject, body = _reminder_message(task, kind, today)
                notify_staff(
                    dossier=None, users=_reminder_recipients(task), subject=subject, body=body, kind=f"plans.{kind}"
                )
        except IntegrityError:  # another run sent it first
            continue
        counts["late" if kind == rules.LATE else "reminded"] += 1
    return counts
