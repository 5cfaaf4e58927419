"""Writes on plans, tasks and commitments.

Each is one transaction with its audit event; a state change locks its row first, returns early
when nothing would change, and refuses with a Vietnamese message (nothing half-happens).
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.models import Unit, User
from cchc.accounts.roles import STAFF_ROLES, Role
from cchc.audit.services import audit_record
from cchc.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from cchc.reform.models import Criterion, ParYear
from cchc.reports.config import INDICATOR_CODES

from . import rules
from .models import Commitment, CommitmentTarget, Plan, Task, TaskReminder, TaskReport, TaskTransition
from .policies import (
    may_countersign_commitment,
    may_edit_commitment,
    may_edit_plan,
    may_move_task,
    may_report,
    may_sign_commitment,
)
from .workflow import (
    OPEN_TASK,
    CommitmentStatus,
    TaskStatus,
    can_finish,
    can_move_task,
    task_needs_reason,
)

TITLE_MAX = 500
REPORT_TEXT_MIN = 5
REMINDER_SETTING = "CCHC_TASK_REMINDER_DAYS"


def _vn(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _clean(text: str | None) -> str:
    return (text or "").strip()


# ---------------------------------------------------------------- plans


def plan_create(
    *, actor: User, year: int, title: str, decision_number: str = "", decision_date: date | None = None
) -> Plan:
    """The agency's reform plan for `year` (one per year)."""
    if not may_edit_plan(actor, actor.agency_id):
        raise PermissionDenied(_("Chỉ cán bộ phụ trách cải cách hành chính được lập kế hoạch."), code="not_allowed")
    title = _clean(title)
    if not title:
        raise ApplicationError(
            _("Cần ghi tên kế hoạch."), code="title_required", details=[("title", _("Cần ghi tên kế hoạch."))]
        )
    if not 2000 <= int(year) <= 2100:
        raise ApplicationError(
            _("Năm kế hoạch không hợp lệ."), code="invalid_year", details=[("year", _("Năm không hợp lệ."))]
        )
    if decision_date is not None and decision_date.year > int(year):
        raise ApplicationError(
            _("Ngày ban hành không được sau năm kế hoạch."),
            code="invalid_decision_date",
            details=[("decision_date", _("Ngày ban hành không được sau năm kế hoạch."))],
        )
    exists = Conflict(_("Đã có kế hoạch cải cách hành chính năm %(year)s.") % {"year": year}, code="plan_exists")
    with transaction.atomic():
        if Plan.objects.filter(agency_id=actor.agency_id, year=year).exists():
            raise exists
        try:
            with transaction.atomic():  # a double-click's second request lands here
                plan = Plan.objects.create(
                    agency_id=actor.agency_id,
                    year=year,
                    title=title,
                    decision_number=_clean(decision_number),
                    decision_date=decision_date,
                    created_by=actor,
                )
        except IntegrityError:
            raise exists from None
        audit_record(
            action="plan.create",
            actor=actor,
            object_type="plan",
            object_id=plan.pk,
            data={"year": year, "title": title, "decision_number": plan.decision_number},
        )
    return plan


# ---------------------------------------------------------------- tasks


@dataclass(frozen=True)
class TaskFields:
    title: str
    unit: Unit
    deadline: date
    lead: User | None = None
    description: str = ""
    expected_output: str = ""
    code: str = ""


def _task_errors(plan: Plan, fields: TaskFields, *, exclude_pk: int | None = None) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    if not _clean(fields.title):
        errors.append(("title", _("Cần ghi tên nhiệm vụ.")))
    elif len(_clean(fields.title)) > TITLE_MAX:
        errors.append(("title", _("Tên nhiệm vụ dài quá %(n)s ký tự.") % {"n": TITLE_MAX}))
    if fields.unit is None or fields.unit.agency_id != plan.agency_id:
        errors.append(("unit", _("Đơn vị chủ trì không thuộc cơ quan.")))
    if fields.deadline is None:
        errors.append(("deadline", _("Cần ghi thời hạn hoàn thành.")))
    elif not rules.deadline_in_year(fields.deadline, plan.year):
        errors.append(
            (
                "deadline",
                _(
                    "Thời hạn %(day)s nằm ngoài năm kế hoạch %(year)s: "
                    "chọn một ngày từ 01/01/%(year)s đến 31/12/%(year)s."
                )
                % {"day": _vn(fields.deadline), "year": plan.year},
            )
        )
    lead = fields.lead
    if lead is not None and (lead.agency_id != plan.agency_id or lead.role not in STAFF_ROLES or not lead.is_active):
        errors.append(("lead", _("Người phụ trách phải là cán bộ đang làm việc tại cơ quan.")))
    code = _clean(fields.code)
    if code:
        clash = Task.objects.filter(plan=plan, code=code)
        if exclude_pk is not None:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            errors.append(("code", _("Số thứ tự %(code)s đã dùng cho nhiệm vụ khác.") % {"code": code}))
    return errors


def _raise(errors: list[tuple[str, str]], code: str = "invalid_task") -> None:
    if errors:
        raise ApplicationError(" ".join(message for _field, message in errors), code=code, details=errors)


def _next_code(plan: Plan) -> str:
    numbers = [int(c) for c in Task.objects.filter(plan=plan).values_list("code", flat=True) if c.isdigit()]
    return str(max(numbers, default=0) + 1)


def task_create(*, plan: Plan, actor: User, fields: TaskFields, criterion: Criterion | None = None) -> Task:
    """A task in the plan; the number is the next free one unless given."""
    if not may_edit_plan(actor, plan.agency_id):
        raise PermissionDenied(_("Chỉ cán bộ phụ trách cải cách hành chính được giao nhiệm vụ."), code="not_allowed")
    _raise(_task_errors(plan, fields))
    with transaction.atomic():
        Plan.objects.select_for_update().get(pk=plan.pk)  # numbers are taken one at a time
        task = Task.objects.create(
            plan=plan,
            code=_clean(fields.code) or _next_code(plan),
            title=_clean(fields.title),
            description=_clean(fields.description),
            unit=fields.unit,
            lead=fields.lead,
            deadline=fields.deadline,
            expected_output=_clean(fields.expected_output),
            criterion=criterion,
        )
        audit_record(
            action="plan.task.create",
            actor=actor,
            object_type="plan_task",
            object_id=task.pk,
            data={
                "plan": plan.year,
                "code": task.code,
                "unit": task.unit.code,
                "lead": task.lead.username if task.lead else "",
                "deadline": task.deadline,
                "criterion": criterion.code if criterion else "",
            },
        )
    return task


EDITABLE = ("code", "title", "description", "unit", "lead", "deadline", "expected_output")


def _lock_task(task: Task) -> Task:
    return Task.objects.select_for_update(of=("self",)).select_related("plan", "unit", "lead").get(pk=task.pk)


def task_update(*, task: Task, actor: User, fields: TaskFields) -> Task:
    """Change what the task is (not its status or progress). Nothing changed: nothing recorded."""
    with transaction.atomic():
        task = _lock_task(task)
        if not may_edit_plan(actor, task.plan.agency_id):
            raise PermissionDenied(_("Chỉ cán bộ phụ trách cải cách hành chính được sửa nhiệm vụ."), code="not_allowed")
        if task.status == TaskStatus.CANCELLED:
            raise Conflict(_("Nhiệm vụ đã hủy, không sửa được."), code="task_cancelled")
        _raise(_task_errors(task.plan, fields, exclude_pk=task.pk))
        new = {
            "code": _clean(fields.code) or task.code,
            "title": _clean(fields.title),
            "description": _clean(fields.description),
            "unit": fields.unit,
            "lead": fields.lead,
            "deadline": fields.deadline,
            "expected_output": _clean(fields.expected_output),
        }
        changed = {}
        for name, value in new.items():
            if getattr(task, name) != value:
                old = getattr(task, name)
                changed[name] = [_audit_value(old), _audit_value(value)]
                setattr(task, name, value)
        if not changed:
            return task
        task.save(update_fields=[*changed, "updated_at"])
        audit_record(action="plan.task.update", actor=actor, object_type="plan_task", object_id=task.pk, data=changed)
    return task


def _audit_value(value):
    if isinstance(value, Unit):
        return value.code
    if isinstance(value, User):
        return value.username
    return value


def _move(task: Task, *, to_status: str, actor: User, reason: str, at: datetime) -> None:
    from_status = task.status
    task.status = to_status
    update = ["status", "updated_at"]
    if to_status == TaskStatus.DONE:
        task.progress = 100
        task.finished_at = at
        update += ["progress", "finished_at"]
    elif from_status == TaskStatus.DONE:
        task.finished_at = None
        update.append("finished_at")
    task.save(update_fields=update)
    TaskTransition.objects.create(
        task=task, from_status=from_status, to_status=to_status, actor=actor, reason=reason, at=at
    )
    audit_record(
        action="plan.task.transition",
        actor=actor,
        object_type="plan_task",
        object_id=task.pk,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )


def task_transition(
    *, task: Task, actor: User, to_status: str, reason: str = "", expected_status: str | None = None
) -> Task:
    """Move a task along its lifecycle. Done needs 100 % or a progress report; cancelling and
    reopening need a reason. Moving to where it already is changes nothing."""
    reason = _clean(reason)
    if to_status not in TaskStatus.values:
        raise ApplicationError(_("Trạng thái không hợp lệ."), code="invalid_status")
    with transaction.atomic():
        task = _lock_task(task)
        if not may_move_task(actor, task, task.plan.agency_id):
            raise PermissionDenied(_("Bạn không được cập nhật trạng thái nhiệm vụ này."), code="not_allowed")
        if expected_status and task.status != expected_status:
            raise Conflict(
                _("Nhiệm vụ vừa được người khác cập nhật (hiện: %(status)s). Vui lòng xem lại.")
                % {"status": TaskStatus(task.status).label},
                code="stale",
            )
        if task.status == to_status:
            return task
        if not can_move_task(task.status, to_status):
            raise Conflict(
                _("Không thể chuyển nhiệm vụ từ “%(from)s” sang “%(to)s”.")
                % {"from": TaskStatus(task.status).label, "to": TaskStatus(to_status).label},
                code="transition_not_allowed",
            )
        if task_needs_reason(task.status, to_status) and not reason:
            raise ApplicationError(
                _("Cần ghi lý do."), code="reason_required", details=[("reason", _("Cần ghi lý do."))]
            )
        if to_status == TaskStatus.DONE and not can_finish(progress=task.progress, report_count=task.reports.count()):
            raise ApplicationError(
                _("Chỉ đánh dấu hoàn thành khi tiến độ đạt 100% hoặc đã có báo cáo kết quả thực hiện."),
                code="done_needs_report",
            )
        _move(task, to_status=to_status, actor=actor, reason=reason, at=timezone.now())
    return task


def task_report_add(*, task: Task, actor: User, percent: int, text: str, evidence=None, link: str = "") -> TaskReport:
    """Report progress with evidence: the task's progress becomes `percent`; the first report
    starts a task not started yet."""
    from cchc.dossiers.uploads import check_upload

    text, link = _clean(text), _clean(link)
    errors: list[tuple[str, str]] = []
    if percent is None or not 0 <= int(percent) <= 100:
        errors.append(("percent", _("Tiến độ phải từ 0 đến 100%.")))
    if len(text) < REPORT_TEXT_MIN:
        errors.append(("text", _("Cần mô tả kết quả thực hiện (ít nhất %(n)s ký tự).") % {"n": REPORT_TEXT_MIN}))
    if link and (not link.startswith(("https://", "http://", "/")) or link.startswith(("//", "/\\"))):
        errors.append(("link", _("Liên kết phải bắt đầu bằng https://, http:// hoặc /.")))
    checked = None
    if evidence is not None:
        try:
            checked = check_upload(evidence, label=_("tệp minh chứng"))
        except ApplicationError as exc:
            errors.append(("evidence", exc.message))
    _raise(errors, code="invalid_report")
    with transaction.atomic():
        task = _lock_task(task)
        if not may_report(actor, task, task.plan.agency_id):
            raise PermissionDenied(_("Bạn không được báo cáo tiến độ nhiệm vụ này."), code="not_allowed")
        if task.status not in OPEN_TASK:
            raise Conflict(
                _("Nhiệm vụ đang ở trạng thái “%(status)s”, không nhận báo cáo tiến độ.")
                % {"status": TaskStatus(task.status).label},
                code="task_closed",
            )
        now = timezone.now()
        report = TaskReport(task=task, author=actor, at=now, percent=int(percent), text=text, link=link)
        if checked is not None:
            report.evidence_name = (getattr(evidence, "name", "") or "minh-chung")[:255]
            report.evidence.save(f"{uuid.uuid4().hex}{checked.extension}", evidence, save=False)
        report.save()
        task.progress = int(percent)
        task.save(update_fields=["progress", "updated_at"])
        audit_record(
            action="plan.task.report",
            actor=actor,
            object_type="plan_task",
            object_id=task.pk,
            data={"percent": report.percent, "evidence": checked.sha256 if checked else "", "link": link},
        )
        if task.status == TaskStatus.NOT_STARTED and report.percent > 0:
            _move(task, to_status=TaskStatus.IN_PROGRESS, actor=actor, reason=_("Báo cáo tiến độ đầu tiên"), at=now)
    return report


# ---------------------------------------------------------------- reminders


def reminder_days() -> tuple[int, ...]:
    """Calendar days before the deadline when the lead is reminded: `CCHC_TASK_REMINDER_DAYS`."""
    return rules.normalised_days(getattr(settings, REMINDER_SETTING, rules.DEFAULT_REMINDER_DAYS))


def _reminder_recipients(task: Task) -> list[User]:
    people: dict[int, User] = {}
    if task.lead_id and task.lead.is_active:
        people[task.lead_id] = task.lead
    for head in User.objects.filter(unit_id=task.unit_id, role=Role.UNIT_HEAD, is_active=True).order_by("pk"):
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

    today = today or timezone.localdate()
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
                TaskReminder.objects.create(task=task, kind=kind, deadline=task.deadline, sent_at=timezone.now())
                subject, body = _reminder_message(task, kind, today)
                notify_staff(
                    dossier=None, users=_reminder_recipients(task), subject=subject, body=body, kind=f"plans.{kind}"
                )
        except IntegrityError:  # another run sent it first
            continue
        counts["late" if kind == rules.LATE else "reminded"] += 1
    return counts


# ---------------------------------------------------------------- commitments


def _lock_commitment(commitment: Commitment) -> Commitment:
    return (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("agency", "unit", "signer", "countersigner")
        .get(pk=commitment.pk)
    )


def _require_draft(commitment: Commitment) -> None:
    if commitment.status != CommitmentStatus.DRAFT:
        raise Conflict(_("Bản cam kết đã ký, không sửa được chỉ tiêu và nhiệm vụ."), code="commitment_frozen")


def commitment_draft(*, actor: User, unit: Unit, year: int) -> Commitment:
    """The unit's commitment for `year`, drafted with the unit's tasks from the plan. Drafting it
    again returns the one that exists."""
    if unit.agency_id != actor.agency_id:
        raise NotFound(_("Không tìm thấy đơn vị."), code="unit_not_found")
    probe = Commitment(agency_id=unit.agency_id, unit=unit, year=year)
    if not may_edit_commitment(actor, probe):
        raise PermissionDenied(_("Bạn không được lập cam kết cho đơn vị này."), code="not_allowed")
    if not 2000 <= int(year) <= 2100:
        raise ApplicationError(_("Năm cam kết không hợp lệ."), code="invalid_year")
    with transaction.atomic():
        existing = Commitment.objects.filter(agency_id=unit.agency_id, unit=unit, year=year).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():  # a double-click's second request lands here
                commitment = Commitment.objects.create(agency_id=unit.agency_id, unit=unit, year=year, created_by=actor)
        except IntegrityError:
            return Commitment.objects.get(agency_id=unit.agency_id, unit=unit, year=year)
        from .selectors import unit_tasks_for_commitment

        commitment.tasks.set(unit_tasks_for_commitment(commitment))
        audit_record(
            action="plan.commitment.draft",
            actor=actor,
            object_type="commitment",
            object_id=commitment.pk,
            data={"unit": unit.code, "year": year, "tasks": commitment.tasks.count()},
        )
    return commitment


def _target_errors(*, label: str, indicator: str, comparison: str, target) -> list[tuple[str, str]]:
    errors = []
    if not label:
        errors.append(("label", _("Cần ghi tên chỉ tiêu.")))
    if indicator and indicator not in INDICATOR_CODES:
        errors.append(("indicator", _("Chỉ số không có trong Bộ chỉ số phục vụ.")))
    if comparison not in (rules.GTE, rules.LTE):
        errors.append(("comparison", _("Chọn ≥ hoặc ≤.")))
    if target is None or not 0 <= target <= 100:
        errors.append(("target", _("Mục tiêu là tỷ lệ từ 0 đến 100%.")))
    return errors


def commitment_target_add(
    *, commitment: Commitment, actor: User, label: str, indicator: str = "", comparison: str = rules.GTE, target
) -> CommitmentTarget:
    """A target linked to a live indicator (or measured by hand when `indicator` is blank). Draft only."""
    label, indicator = _clean(label), _clean(indicator)
    _raise(_target_errors(label=label, indicator=indicator, comparison=comparison, target=target), "invalid_target")
    with transaction.atomic():
        commitment = _lock_commitment(commitment)
        if not may_edit_commitment(actor, commitment):
            raise PermissionDenied(_("Bạn không được sửa cam kết của đơn vị này."), code="not_allowed")
        _require_draft(commitment)
        order = commitment.targets.count() + 1
        item = CommitmentTarget.objects.create(
            commitment=commitment, order=order, label=label, indicator=indicator, comparison=comparison, target=target
        )
        audit_record(
            action="plan.commitment.target_add",
            actor=actor,
            object_type="commitment",
            object_id=commitment.pk,
            data={"label": label, "indicator": indicator, "comparison": comparison, "target": target},
        )
    return item


def commitment_target_remove(*, commitment: Commitment, actor: User, target_id: int) -> None:
    with transaction.atomic():
        commitment = _lock_commitment(commitment)
        if not may_edit_commitment(actor, commitment):
            raise PermissionDenied(_("Bạn không được sửa cam kết của đơn vị này."), code="not_allowed")
        _require_draft(commitment)
        item = commitment.targets.filter(pk=target_id).first()
        if item is None:
            return
        item.delete()
        audit_record(
            action="plan.commitment.target_remove",
            actor=actor,
            object_type="commitment",
            object_id=commitment.pk,
            data={"label": item.label},
        )


def commitment_target_record_actual(*, commitment: Commitment, actor: User, target_id: int, value) -> CommitmentTarget:
    """The figure of a target measured by hand (not part of the signed terms: recorded any time)."""
    if value is not None and not 0 <= value <= 100:
        raise ApplicationError(_("Kết quả là tỷ lệ từ 0 đến 100%."), code="invalid_actual")
    with transaction.atomic():
        commitment = _lock_commitment(commitment)
        if not may_edit_commitment(actor, commitment):
            raise PermissionDenied(_("Bạn không được cập nhật cam kết của đơn vị này."), code="not_allowed")
        item = commitment.targets.filter(pk=target_id).first()
        if item is None:
            raise NotFound(_("Không tìm thấy chỉ tiêu."), code="target_not_found")
        if item.indicator:
            raise ApplicationError(_("Chỉ tiêu này lấy số liệu từ hệ thống, không nhập tay."), code="target_is_live")
        if item.manual_actual == value:
            return item
        old = item.manual_actual
        item.manual_actual = value
        item.save(update_fields=["manual_actual"])
        audit_record(
            action="plan.commitment.actual",
            actor=actor,
            object_type="commitment",
            object_id=commitment.pk,
            data={"label": item.label, "from": old, "to": value},
        )
    return item


def commitment_tasks_set(*, commitment: Commitment, actor: User, task_ids: list[int]) -> Commitment:
    """Which of the unit's plan tasks the commitment names. Draft only."""
    from .selectors import unit_tasks_for_commitment

    with transaction.atomic():
        commitment = _lock_commitment(commitment)
        if not may_edit_commitment(actor, commitment):
            raise PermissionDenied(_("Bạn không được sửa cam kết của đơn vị này."), code="not_allowed")
        _require_draft(commitment)
        allowed = {t.pk: t for t in unit_tasks_for_commitment(commitment)}
        wanted = {int(pk) for pk in task_ids}
        if wanted - set(allowed):
            raise ApplicationError(
                _("Chỉ chọn được nhiệm vụ của đơn vị trong kế hoạch năm %(year)s.") % {"year": commitment.year},
                code="invalid_tasks",
            )
        current = set(commitment.tasks.values_list("pk", flat=True))
        if current == wanted:
            return commitment
        commitment.tasks.set([allowed[pk] for pk in wanted])
        audit_record(
            action="plan.commitment.tasks",
            actor=actor,
            object_type="commitment",
            object_id=commitment.pk,
            data={"tasks": sorted(allowed[pk].code for pk in wanted)},
        )
    return commitment


def commitment_sign(*, commitment: Commitment, actor: User) -> Commitment:
    """The head of the unit signs the commitment. Signing again changes nothing."""
    with transaction.atomic():
        commitment = _lock_commitment(commitment)
        if not may_sign_commitment(actor, commitment):
            raise PermissionDenied(
                _("Chỉ trưởng đơn vị %(unit)s được ký cam kết này.") % {"unit": commitment.unit.name},
                code="not_allowed",
            )
        if commitment.status != CommitmentStatus.DRAFT:
            return commitment
        if not commitment.targets.exists():
            raise ApplicationError(_("Cam kết cần ít nhất một chỉ tiêu trước khi ký."), code="no_targets")
        commitment.status = CommitmentStatus.SIGNED_BY_UNIT
        commitment.signer = actor
        commitment.signed_at = timezone.now().replace(microsecond=0)
        commitment.save(update_fields=["status", "signer", "signed_at"])
        audit_record(
            action="plan.commitment.sign",
            actor=actor,
            object_type="commitment",
            object_id=commitment.pk,
            from_status=CommitmentStatus.DRAFT,
            to_status=commitment.status,
            data={
                "unit": commitment.unit.code,
                "year": commitment.year,
                "targets": [(t.label, t.comparison, t.target) for t in commitment.targets.all()],
                "tasks": sorted(commitment.tasks.values_list("code", flat=True)),
            },
        )
    return commitment


def _stamp_lines(commitment: Commitment, at: datetime) -> list[str]:
    signed = timezone.localtime(commitment.signed_at)
    local = timezone.localtime(at)
    return [
        _("Trưởng đơn vị ký: %(name)s (%(at)s)") % {"name": commitment.signer, "at": f"{signed:%H:%M %d/%m/%Y}"},
        _("Lãnh đạo Sở ký duyệt: %(name)s") % {"name": commitment.countersigner},
        commitment.agency.name,
        _("Thời gian ký số: %(at)s") % {"at": f"{local:%H:%M:%S %d/%m/%Y}"},
    ]


def commitment_countersign(*, commitment: Commitment, actor: User) -> Commitment:
    """A leader countersigns: the commitment (targets and tasks) is rendered to PDF, signed with the
    agency's certificate naming both signers, and kept; from then on it is frozen. Again: nothing."""
    from cchc.results.signing import sign_pdf

    from .documents import render_commitment

    with transaction.atomic():
        commitment = _lock_commitment(commitment)
        if not may_countersign_commitment(actor, commitment):
            raise PermissionDenied(_("Chỉ lãnh đạo Sở được ký duyệt cam kết."), code="not_allowed")
        if commitment.status == CommitmentStatus.COUNTERSIGNED:
            return commitment
        if commitment.status != CommitmentStatus.SIGNED_BY_UNIT:
            raise Conflict(_("Trưởng đơn vị cần ký cam kết trước khi lãnh đạo Sở ký duyệt."), code="not_signed_by_unit")
        at = timezone.now().replace(microsecond=0)
        commitment.countersigner = actor
        commitment.countersigned_at = at
        rendered = render_commitment(commitment)
        signed, certificate = sign_pdf(
            rendered.pdf,
            page=rendered.stamp_page,
            box=rendered.stamp_box,
            stamp_lines=_stamp_lines(commitment, at),
            signing_time=at,
            reason=_("Ký duyệt cam kết cải cách hành chính năm %(year)s của %(unit)s")
            % {"year": commitment.year, "unit": commitment.unit.name},
            location=commitment.agency.place_name or commitment.agency.name,
        )
        commitment.sha256 = hashlib.sha256(signed).hexdigest()
        commitment.certificate_fingerprint = certificate.fingerprint
        commitment.status = CommitmentStatus.COUNTERSIGNED
        commitment.file.save(
            f"cam-ket-{commitment.unit.code.lower()}-{commitment.year}-{uuid.uuid4().hex[:8]}.pdf",
            ContentFile(signed),
            save=False,
        )
        commitment.save(
            update_fields=["status", "countersigner", "countersigned_at", "sha256", "certificate_fingerprint", "file"]
        )
        audit_record(
            action="plan.commitment.countersign",
            actor=actor,
            object_type="commitment",
            object_id=commitment.pk,
            from_status=CommitmentStatus.SIGNED_BY_UNIT,
            to_status=commitment.status,
            data={
                "unit": commitment.unit.code,
                "year": commitment.year,
                "signer": commitment.signer.username,
                "sha256": commitment.sha256,
                "certificate": certificate.fingerprint,
            },
        )
    return commitment


# ---------------------------------------------------------------- shortcomings → remediation tasks


def _points(value) -> str:
    """4.50 → "4,5": points as Vietnamese write them."""
    return f"{value.normalize():f}".replace(".", ",")


def _fallback_unit(agency_id: int) -> Unit:
    from .selectors import unit_get

    unit = unit_get(agency_id=agency_id, code="VP")
    if unit is None:
        raise ApplicationError(
            _("Không tìm thấy Văn phòng (mã VP) để giao nhiệm vụ chưa có đơn vị chịu trách nhiệm."),
            code="no_reform_office",
        )
    return unit


def remediation_tasks_from_appraisal(*, par_year: ParYear, plan: Plan, actor: User) -> list[Task]:
    """One task in `plan` for each leaf criterion of `par_year` appraised below its maximum, linked to
    the criterion; returns those created (running it again creates nothing)."""
    from .selectors import leaf_criteria_with_lost_points, unit_get

    if par_year.agency_id != plan.agency_id:
        raise NotFound(_("Không tìm thấy kết quả thẩm định."), code="par_year_not_found")
    if not may_edit_plan(actor, plan.agency_id):
        raise PermissionDenied(
            _("Chỉ cán bộ phụ trách cải cách hành chính được tạo nhiệm vụ khắc phục."), code="not_allowed"
        )
    if par_year.year >= plan.year:
        raise ApplicationError(
            _("Nhiệm vụ khắc phục lấy từ kết quả thẩm định của năm trước năm kế hoạch."), code="wrong_year"
        )
    created: list[Task] = []
    with transaction.atomic():
        Plan.objects.select_for_update().get(pk=plan.pk)
        done = set(Task.objects.filter(plan=plan, criterion__isnull=False).values_list("criterion_id", flat=True))
        fallback = None
        for criterion in leaf_criteria_with_lost_points(par_year):
            if criterion.pk in done:
                continue
            unit = criterion.responsible_unit
            if unit is not None:
                unit = unit_get(agency_id=plan.agency_id, code=unit.code) if unit.agency_id == plan.agency_id else None
            if unit is None:
                fallback = fallback or _fallback_unit(plan.agency_id)
                unit = fallback
            description = _(
                "Năm %(year)s, tiêu chí %(code)s “%(name)s” được thẩm định %(got)s/%(max)s điểm, bị trừ %(lost)s điểm. "
                "Rà soát nguyên nhân, khắc phục và lưu tài liệu kiểm chứng để không bị trừ điểm năm %(plan_year)s."
            ) % {
                "year": par_year.year,
                "code": criterion.code,
                "name": criterion.name,
                "got": _points(criterion.appraised_score),
                "max": _points(criterion.max_points),
                "lost": _points(criterion.points_lost),
                "plan_year": plan.year,
            }
            code = f"KP-{criterion.code}"[:30]
            if Task.objects.filter(plan=plan, code=code).exists():
                code = ""
            title = (_("Khắc phục tồn tại, hạn chế: %(name)s") % {"name": criterion.name})[:TITLE_MAX]
            created.append(
                task_create(
                    plan=plan,
                    actor=actor,
                    fields=TaskFields(
                        title=title,
                        unit=unit,
                        deadline=rules.year_bounds(plan.year)[1],
                        description=description,
                        expected_output=_("Tiêu chí %(code)s đạt điểm tối đa ở kỳ đánh giá năm %(year)s")
                        % {"code": criterion.code, "year": plan.year},
                        code=code,
                    ),
                    criterion=criterion,
                )
            )
        if created:
            audit_record(
                action="plan.remediation.create",
                actor=actor,
                object_type="plan",
                object_id=plan.pk,
                data={"par_year": par_year.year, "criteria": [t.criterion.code for t in created]},
            )
    return created
