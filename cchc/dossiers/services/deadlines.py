"""The deadline scan: due-soon and late dossiers, each told once."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.models import User
from cchc.accounts.roles import HEADS_UNIT

from .. import timeliness
from ..models import (
    Dossier,
    DossierSegment,
)
from ..notifications import notify_staff
from ..policies import open_step
from ..workflow import Action, Status

A = Action
S = Status


def deadlines_scan(*, now: datetime | None = None) -> dict:
    """Flag open dossiers due within one working day, and late ones, telling each once."""
    from ..selectors import dossiers_due_soon, dossiers_late

    now = now or timezone.now()
    counts = {"due_soon": 0, "late": 0}
    for kind, queryset, flag in (
        ("late", dossiers_late(now=now), "late_notified_at"),
        ("due_soon", dossiers_due_soon(now=now), "due_soon_notified_at"),
    ):
        for dossier in queryset.filter(**{f"{flag}__isnull": True}).select_related("procedure_version", "agency"):
            with transaction.atomic():
                updated = Dossier.objects.filter(pk=dossier.pk, **{f"{flag}__isnull": True}).update(**{flag: now})
                if not updated:
                    continue
                recipients = _deadline_recipients(dossier)
                due = timezone.localtime(dossier.due_at)
                if kind == "late":
                    subject = _("Hồ sơ %(code)s đã quá hạn") % {"code": dossier.code}
                else:
                    subject = _("Hồ sơ %(code)s sắp đến hạn") % {"code": dossier.code}
                body = _("%(procedure)s – hẹn trả %(due)s.") % {
                    "procedure": dossier.procedure_version.name,
                    "due": f"{due:%H:%M %d/%m/%Y}",
                }
                notify_staff(dossier=dossier, users=recipients, subject=subject, body=body, kind=f"deadline.{kind}")
                counts[kind] += 1
    counts["segments_late"] = _scan_late_segments(now)
    return counts


def _scan_late_segments(now: datetime) -> int:
    """Inter-agency (liên thông) dossiers: a passage still open past its due moment is late for the
    agency holding it, whatever the dossier's own deadline; the people of its open step (in that
    agency) hear once, as for a late dossier."""
    late = (
        DossierSegment.objects.filter(
            timeliness.segment_open_late(now),
            left_at__isnull=True,
            late_notified_at__isnull=True,
            dossier__status__in=timeliness.UNFINISHED,
        )
        .select_related("agency", "dossier__procedure_version")
        .order_by("due_at", "pk")
    )
    told = 0
    for segment in late:
        with transaction.atomic():
            updated = DossierSegment.objects.filter(pk=segment.pk, late_notified_at__isnull=True).update(
                late_notified_at=now
            )
            if not updated:
                continue
            dossier = segment.dossier
            due = timezone.localtime(segment.due_at)
            subject = _("Hồ sơ %(code)s đã quá hạn xử lý tại %(agency)s") % {
                "code": dossier.code,
                "agency": segment.agency.name,
            }
            body = _("%(procedure)s – hồ sơ liên thông, hạn xử lý tại cơ quan %(due)s.") % {
                "procedure": dossier.procedure_version.name,
                "due": f"{due:%H:%M %d/%m/%Y}",
            }
            notify_staff(
                dossier=dossier,
                users=_deadline_recipients(dossier),
                subject=subject,
                body=body,
                kind="deadline.segment_late",
            )
            told += 1
    return told


def _deadline_recipients(dossier: Dossier) -> list[User]:
    run = open_step(dossier)
    people: dict[int, User] = {}
    if run is not None:
        if run.assignee_id:
            people[run.assignee_id] = run.assignee
        if run.unit_id:
            for head in User.objects.filter(unit_id=run.unit_id, role__in=HEADS_UNIT, is_active=True):
                people[head.pk] = head
    return list(people.values())
