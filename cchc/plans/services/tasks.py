"""Plan tasks: creation, edits, transitions (as data in `workflow`) and progress reports."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.accounts.models import Unit, User
from cchc.accounts.roles import STAFF_ROLES
from cchc.audit.services import audit_record
from cchc.core import clock
from cchc.core.errors import ApplicationError, Conflict, PermissionDenied
from cchc.reform.models import Criterion

from .. import rules
from ..models import Plan, Task, TaskReport, TaskTransition
from ..policies import (
    may_edit_plan,
    may_move_task,
    may_report,
)
from ..workflow import (
    OPEN_TASK,
    TaskStatus,
    can_finish,
    can_move_task,
    task_needs_reason,
)
from .common import REPORT_TEXT_MIN, TITLE_MAX, _clean, _vn


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
        _move(task, to_status=to_status, actor=actor, reason=reason, at=clock.now())
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
        now = clock.now()
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
