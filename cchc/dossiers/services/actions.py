"""`dossier_act`: the one path that changes a dossier's status, and its handlers."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.models import User
from cchc.accounts.roles import UNIT_STEP_ROLES
from cchc.audit.services import audit_record
from cchc.core import clock
from cchc.core.blobs import blobs_discard
from cchc.core.errors import ApplicationError, Conflict, PermissionDenied

from .. import hooks, workflow
from ..models import (
    Apology,
    Dossier,
    ReturnMethod,
    SupplementRequest,
)
from ..policies import may_act, open_step
from ..workflow import Action, Status, TransitionNotAllowed
from . import segments
from .common import (
    ActionInput,
    _attach,
    _calendar,
    _close_step_run,
    _lock,
    _open_step_run,
    _record,
    _start_processing,
    _take_code,
    documents_prepare,
    position_of,
)

A = Action
S = Status


def dossier_act(
    *,
    dossier: Dossier,
    actor: User,
    action: str,
    data: ActionInput | None = None,
    ip: str | None = None,
    expected_status: str | None = None,
    automatic: bool = False,
) -> Dossier:
    """Take `action` on `dossier` as `actor`: the one path that changes a dossier's status.

    `expected_status` (what the actor saw) turns a race between two officers into a
    clear refusal for the second instead of a surprise. `automatic`: a step the process takes by
    itself after `actor`'s action (`follow_on`); recorded without an actor, and not asked of
    `actor`'s role (the workflow and the guards still decide).
    """
    data = data or ActionInput()
    comment = (data.comment or "").strip()
    if action not in workflow.TRANSITIONS:
        raise ApplicationError(_("Thao tác không tồn tại."), code="unknown_action")
    if data.documents:
        # Files are checked and stored before the lock; the transaction only references them.
        data.prepared = documents_prepare(data.documents, components=dossier.procedure_version.components.all())
    preparer = hooks.action_preparer(action)
    if preparer is not None:
        data.prepared_action = _prepare(
            preparer, dossier=dossier, actor=actor, action=action, data=data, automatic=automatic
        )
    try:
        return _act_locked(
            dossier=dossier,
            actor=actor,
            action=action,
            data=data,
            comment=comment,
            ip=ip,
            expected_status=expected_status,
            automatic=automatic,
        )
    except BaseException:
        # What the preparer stored for this action alone (a signed PDF) goes at once.
        blobs_discard(list(getattr(data.prepared_action, "blob_names", ())))
        raise


def _act_locked(*, dossier, actor, action, data, comment, ip, expected_status, automatic) -> Dossier:
    # Durable: nothing wraps it (the follow-ons take each action in a transaction of its own), so
    # its locks end with it and what it queued leaves at its commit.
    with transaction.atomic(durable=True):
        dossier = _lock(dossier)
        if expected_status and dossier.status != expected_status:
            raise Conflict(
                _("Hồ sơ vừa được người khác xử lý (trạng thái hiện tại: %(status)s). Vui lòng tải lại trang.")
                % {"status": Status(dossier.status).label},
                code="stale",
            )
        position = position_of(dossier)
        try:
            workflow.check(action, position)
        except TransitionNotAllowed as exc:
            raise Conflict(exc.message, code="transition_not_allowed") from None
        if not automatic and not may_act(actor, dossier, action):
            raise PermissionDenied(
                _("Bạn không có quyền “%(action)s” với hồ sơ này.") % {"action": Action(action).label},
                code="not_allowed",
            )
        refusal = hooks.guard_refusal(dossier, action)
        if refusal:
            raise Conflict(refusal, code="guard")
        transition = workflow.TRANSITIONS[action]
        if transition.needs_reason and not comment:
            raise ApplicationError(_("Cần ghi rõ lý do hoặc nội dung."), code="reason_required")
        handler = _HANDLERS.get(action) or hooks.action_handler(action)
        if handler is None:
            raise ApplicationError(_("Thao tác này chưa được hỗ trợ."), code="unsupported_action")
        now = clock.now()
        from_status = dossier.status
        by = None if automatic else actor
        reason = handler(dossier, actor=by, data=data, comment=comment, at=now, position=position)
        dossier.save()
        _record(dossier, action=action, from_status=from_status, actor=by, reason=reason, at=now, ip=ip)
        hand_over = dossier.__dict__.pop("_pending_hand_over", None)
        if hand_over is not None:
            segments.record_hand_over(dossier, source=hand_over[0], target_id=hand_over[1], at=now, actor=by)
    return dossier


def _prepare(preparer, *, dossier: Dossier, actor: User, action: str, data: ActionInput, automatic: bool):
    """The action's slow part (e.g. rendering and signing the result), done before any lock and
    only when the unlocked dossier allows the action: a refusal costs no rendering. The locked
    checks that follow decide; the handler re-checks what was prepared."""
    current = (
        Dossier.objects.select_related("agency", "procedure", "procedure_version", "applicant_user")
        .filter(pk=dossier.pk)
        .first()
    )
    if current is None:
        return None
    try:
        workflow.check(action, position_of(current))
    except TransitionNotAllowed:
        return None
    if not automatic and not may_act(actor, current, action):
        return None
    return preparer(current, actor=None if automatic else actor, data=data)


def _receive(dossier, *, actor, data, comment, at, position):
    dossier.status = S.RECEIVED
    if not dossier.code:  # a walk-in dossier back from the counter's supplementation request
        dossier.code = _take_code(dossier, at)
    _start_processing(dossier, actor=actor, at=at)
    return comment


def _refuse(dossier, *, actor, data, comment, at, position):
    dossier.status = S.REFUSED
    dossier.decision_reason = comment
    dossier.finished_at = None
    return comment


def _request_supplement(dossier, *, actor, data, comment, at, position):
    items = [i.strip() for i in data.items if i and i.strip()]
    if not items:
        raise ApplicationError(_("Cần liệt kê giấy tờ phải bổ sung, hoàn thiện."), code="items_required")
    stage = SupplementRequest.Stage.PROCESSING if position.received else SupplementRequest.Stage.RECEPTION
    SupplementRequest.objects.create(
        dossier=dossier,
        stage=stage,
        items=items,
        reason=comment,
        paused_from_status=dossier.status,
        requested_at=at,
        requested_by=actor,
    )
    if position.received:
        dossier.paused_since = at
        dossier.processing_supplements += 1
    dossier.status = S.WAITING_SUPPLEMENT
    return comment + "\n" + "; ".join(items)


def _supplement(dossier, *, actor, data, comment, at, position):
    request = dossier.supplement_requests.select_for_update().get(answered_at__isnull=True)
    _attach(dossier, data.prepared, actor=actor)
    request.answered_at = at
    if position.received and dossier.paused_since:
        calendar = _calendar(dossier)
        waited = calendar.working_minutes_between(dossier.paused_since, at)
        request.paused_minutes = waited
        # The clock resumes: every pending due moment moves by the working time spent waiting,
        # the deadline lateness is judged against included (an apology never moves that one).
        dossier.due_at = calendar.add_working_minutes(dossier.due_at, waited)
        dossier.deadline_at = calendar.add_working_minutes(dossier.deadline_at or dossier.due_at, waited)
        run = dossier.steps.filter(finished_at__isnull=True).first()
        if run is not None:
            run.due_at = calendar.add_working_minutes(run.due_at, waited)
            run.save(update_fields=["due_at"])
        if run is not None and run.agency_id is not None:
            segments.segment_resume(dossier, calendar=calendar, waited_minutes=waited)
        dossier.paused_since = None
    request.save(update_fields=["answered_at", "paused_minutes"])
    dossier.status = workflow.target_of(A.SUPPLEMENT, position, paused_from=request.paused_from_status)
    return comment or _("Đã bổ sung hồ sơ.")


def _assign(dossier, *, actor, data, comment, at, position):
    run = open_step(dossier)
    assignee = User.objects.filter(username=(data.assignee or "").strip(), is_active=True).first()
    if assignee is None:
        raise ApplicationError(_("Không tìm thấy cán bộ được phân công."), code="unknown_assignee")
    step_agency_id = run.agency_id or dossier.agency_id
    if assignee.agency_id != step_agency_id or (run.unit_id and assignee.unit_id != run.unit_id):
        raise ApplicationError(
            _("Cán bộ được phân công phải thuộc đơn vị xử lý bước này (%(unit)s).") % {"unit": run.unit},
            code="assignee_other_unit",
        )
    if assignee.role != run.role and assignee.role not in UNIT_STEP_ROLES:
        raise ApplicationError(_("Cán bộ được phân công không có vai trò phù hợp."), code="assignee_role")
    run.assignee = assignee
    run.save(update_fields=["assignee"])
    return _("Phân công %(name)s xử lý bước %(step)s.") % {"name": assignee, "step": run.order} + (
        f" {comment}" if comment else ""
    )


def _forward(dossier, *, actor, data, comment, at, position):
    _close_step_run(dossier, at=at, actor=actor, note=comment)
    dossier.current_step += 1
    _open_step_run(dossier, order=dossier.current_step, at=at)
    dossier.status = S.IN_PROGRESS
    return comment


def _send_back(dossier, *, actor, data, comment, at, position):
    _close_step_run(dossier, at=at, actor=actor, note=comment)
    previous = dossier.steps.filter(order=dossier.current_step - 1).order_by("-started_at").first()
    dossier.current_step -= 1
    _open_step_run(dossier, order=dossier.current_step, at=at, assignee=previous.assignee if previous else None)
    dossier.status = workflow.target_of(A.SEND_BACK, position)
    return comment


def _decide(approved: bool):
    def handler(dossier, *, actor, data, comment, at, position):
        _close_step_run(dossier, at=at, actor=actor, note=comment)
        dossier.status = S.APPROVED if approved else S.NOT_APPROVED
        if not approved:
            dossier.decision_reason = comment
        dossier.current_step = position.step_count
        _open_step_run(dossier, order=dossier.current_step, at=at)
        return comment

    return handler


def _result_ready(dossier, *, actor, data, comment, at, position):
    dossier.status = S.RESULT_READY
    dossier.finished_at = at
    run = open_step(dossier)
    if run is not None and run.agency_id is not None:
        # An inter-agency dossier's last passage ends with the result: each agency answers for its work.
        segments.segment_close(dossier, at=at)
    if run is not None and run.assignee_id is None:
        run.assignee = actor
        run.save(update_fields=["assignee"])
    return comment


def _return_result(dossier, *, actor, data, comment, at, position):
    method = data.return_method or dossier.return_method
    if method not in ReturnMethod.values:
        raise ApplicationError(_("Hình thức trả kết quả không hợp lệ."), code="invalid_return_method")
    _close_step_run(dossier, at=at, actor=actor, note=comment)
    dossier.return_method = method
    dossier.status = S.RETURNED
    dossier.returned_at = at
    return comment or _("Trả kết quả: %(method)s.") % {"method": ReturnMethod(method).label}


def _apologize(dossier, *, actor, data, comment, at, position):
    calendar = _calendar(dossier)
    if dossier.due_at is None or calendar.add_working_hours(at, 8) > dossier.due_at:
        raise ApplicationError(
            _("Phiếu xin lỗi, hẹn lại phải được lập chậm nhất một ngày làm việc trước thời hạn trả kết quả."),
            code="apology_too_late",
        )
    new_due = data.new_due_at
    if new_due is not None and timezone.is_naive(new_due):
        new_due = timezone.make_aware(new_due)
    if new_due is None or new_due <= dossier.due_at:
        raise ApplicationError(_("Ngày hẹn trả mới phải sau ngày hẹn hiện tại."), code="invalid_new_due")
    if not calendar.within_office_hours(new_due):
        # A due moment never falls outside office hours (domain.md §4): nobody is there to hand over.
        hours = ", ".join(f"{start:%H:%M}–{end:%H:%M}" for start, end in calendar.office_hours)
        raise ApplicationError(
            _("Ngày hẹn trả mới phải là ngày làm việc, trong giờ làm việc (%(hours)s).") % {"hours": hours},
            code="new_due_outside_office_hours",
        )
    Apology.objects.create(
        dossier=dossier, reason=comment, old_due_at=dossier.due_at, new_due_at=new_due, issued_at=at, issued_by=actor
    )
    dossier.due_at = new_due
    return comment


def _withdraw(dossier, *, actor, data, comment, at, position):
    run = _close_step_run(dossier, at=at, actor=actor, note=comment)
    dossier.status = S.WITHDRAWN
    dossier.paused_since = None
    if run is not None and run.agency_id is not None:
        segments.segment_close(dossier, at=at)
    return comment or _("Người nộp rút hồ sơ.")


def _stop(dossier, *, actor, data, comment, at, position):
    run = _close_step_run(dossier, at=at, actor=actor, note=comment)
    dossier.status = S.STOPPED
    dossier.decision_reason = comment
    dossier.paused_since = None
    if run is not None and run.agency_id is not None:
        segments.segment_close(dossier, at=at)
    return comment


_HANDLERS = {
    A.RECEIVE: _receive,
    A.REFUSE: _refuse,
    A.REQUEST_SUPPLEMENT: _request_supplement,
    A.SUPPLEMENT: _supplement,
    A.ASSIGN: _assign,
    A.FORWARD: _forward,
    A.SEND_BACK: _send_back,
    A.APPROVE: _decide(approved=True),
    A.NOT_APPROVE: _decide(approved=False),
    A.RESULT_READY: _result_ready,
    A.RETURN_RESULT: _return_result,
    A.APOLOGIZE: _apologize,
    A.WITHDRAW: _withdraw,
    A.STOP: _stop,
}


def dossier_record_view(*, dossier: Dossier, user: User, ip: str | None = None) -> None:
    """Opening a dossier that holds identity or health documents is logged (personal data law)."""
    if dossier.documents.filter(component__holds_personal_data=True).exists():
        audit_record(
            action="dossier.view_sensitive",
            actor=user,
            object_type="dossier",
            object_id=dossier.pk,
            dossier_code=dossier.code or "",
            ip=ip,
        )
