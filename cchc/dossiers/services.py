"""Every write on a dossier goes through here.

`dossier_act` is the one path that changes a status: it locks the dossier row, checks
the workflow (`workflow.check`) and who may act (`policies.may_act`), applies the change,
writes the history row (`DossierEvent`) and the audit event, and queues the applicant's
notification — all in one transaction. Intake (`dossier_submit_online`,
`dossier_counter_intake`) creates dossiers through the same pieces.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.files.base import File
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.models import User
from cchc.accounts.roles import Role
from cchc.audit.services import audit_record
from cchc.core.calendar import WorkingCalendar
from cchc.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from cchc.core.text import fold
from cchc.procedures.models import Procedure, ProcedureVersion
from cchc.procedures.selectors import agency_calendar, procedure_version_in_force

from . import hooks, workflow
from .codes import format_dossier_code
from .models import (
    Apology,
    Channel,
    DailySequence,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierStep,
    ReturnMethod,
    StoredDocument,
    SupplementRequest,
)
from .notifications import notify_applicant, notify_staff
from .policies import may_act, open_step
from .regimes import regime_at
from .rules import ApplicantData, applicant_errors, judge
from .uploads import check_upload
from .workflow import Action, Status, TransitionNotAllowed

A = Action
S = Status


@dataclass
class DocumentInput:
    """One component as handed in: an uploaded file, a paper copy, or both."""

    component_id: int
    file: object | None = None  # a Django UploadedFile
    paper: bool = False
    reused_from: DossierDocument | None = None


@dataclass
class ActionInput:
    comment: str = ""
    assignee: str = ""  # username, for assign
    items: list[str] = field(default_factory=list)  # for request_supplement
    new_due_at: datetime | None = None  # for apologize
    return_method: str = ""  # for return_result
    documents: list[DocumentInput] = field(default_factory=list)  # for supplement


# ---------------------------------------------------------------- helpers


def _calendar(dossier: Dossier) -> WorkingCalendar:
    return agency_calendar(dossier.agency)


def position_of(dossier: Dossier) -> workflow.Position:
    return workflow.Position(
        status=dossier.status,
        step=dossier.current_step,
        step_count=dossier.procedure_version.steps.count(),
        received=dossier.received_at is not None,
        processing_supplements=dossier.supplement_requests.filter(stage=SupplementRequest.Stage.PROCESSING).count(),
        apologized=Apology.objects.filter(dossier=dossier).exists(),
        regime=dossier.regime,
        electronic_result=dossier.procedure_version.result_type == ProcedureVersion.ResultType.ELECTRONIC,
        # The results app adds a one-to-one `signed_result` to Dossier.
        result_signed=hasattr(dossier, "signed_result"),
    )


def _take_code(dossier: Dossier, at: datetime) -> str:
    """The next code of the agency's day. The upsert locks the day's row until commit, so
    concurrent intakes queue behind each other and a rolled-back intake gives its number back."""
    day = timezone.localdate(at)
    table = DailySequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, 1) "  # noqa: S608 - table name is ours
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [dossier.agency_id, day],
        )
        (sequence,) = cursor.fetchone()
    return format_dossier_code(dossier.agency.code, day, sequence)


def _record(
    dossier: Dossier,
    *,
    action: str,
    from_status: str,
    actor: User | None,
    reason: str = "",
    at: datetime,
    ip: str | None = None,
    notify: bool = True,
) -> DossierEvent:
    step = dossier.procedure_version.steps.filter(order=dossier.current_step).first()
    event = DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        step_order=dossier.current_step,
        step_name=step.name if step else "",
        actor=actor,
        actor_role=actor.role if actor else "",
        reason=reason,
        at=at,
    )
    audit_record(
        action=f"dossier.{action}",
        actor=actor,
        object_type="dossier",
        object_id=dossier.pk,
        dossier_code=dossier.code or "",
        from_status=from_status,
        to_status=dossier.status,
        reason=reason,
        ip=ip,
    )
    # An apology keeps the status but gives a new appointment: the applicant must hear of it.
    if notify and (from_status != dossier.status or action == A.APOLOGIZE):
        notify_applicant(dossier=dossier, event=event)
    hooks.dossier_changed.send(sender=Dossier, dossier=dossier, event=event)
    return event


def _open_step_run(dossier: Dossier, *, order: int, at: datetime, assignee: User | None = None) -> DossierStep:
    process_step = dossier.procedure_version.steps.select_related("unit").get(order=order)
    calendar = _calendar(dossier)
    due = calendar.add_working_hours(calendar.counting_start(at), process_step.hours)
    return DossierStep.objects.create(
        dossier=dossier,
        process_step=process_step,
        order=order,
        unit=process_step.unit,
        role=process_step.role,
        budget_hours=process_step.hours,
        assignee=assignee,
        started_at=at,
        due_at=due,
    )


def _close_step_run(dossier: Dossier, *, at: datetime, actor: User | None, note: str = "") -> DossierStep | None:
    run = dossier.steps.filter(finished_at__isnull=True).first()
    if run is None:
        return None
    run.finished_at = at
    run.finished_by = actor
    run.outcome = judge(at, run.due_at)
    run.note = note
    run.save(update_fields=["finished_at", "finished_by", "outcome", "note"])
    return run


def _lock(dossier: Dossier) -> Dossier:
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("agency", "procedure", "procedure_version", "applicant_user")
        .get(pk=dossier.pk)
    )


def _attach(dossier: Dossier, documents: list[DocumentInput], *, actor: User | None) -> list[DossierDocument]:
    """Store the files; on any failure remove what was stored so nothing is half-attached."""
    components = {c.pk: c for c in dossier.procedure_version.components.all()}
    stored: list[DossierDocument] = []
    try:
        for item in documents:
            component = components.get(item.component_id)
            if component is None:
                raise ApplicationError(
                    _("Thành phần hồ sơ #%(id)s không thuộc thủ tục này.") % {"id": item.component_id},
                    code="unknown_component",
                )
            if item.file is None and not item.paper and item.reused_from is None:
                continue
            document = DossierDocument.objects.filter(dossier=dossier, component=component).first()
            document = document or DossierDocument(dossier=dossier, component=component)
            document.paper_received = document.paper_received or item.paper
            if item.reused_from is not None:
                source = item.reused_from
                owners = {dossier.applicant_identifier} - {""}
                if source.owner_id != dossier.applicant_user_id and source.owner_identifier not in owners:
                    raise NotFound(_("Không tìm thấy giấy tờ trong kho dữ liệu."), code="stored_document_not_found")
                document.file, document.original_name = source.file.name, source.original_name
                document.content_type, document.size, document.sha256 = source.content_type, source.size, source.sha256
                document.digitised, document.reused = True, True
            elif item.file is not None:
                checked = check_upload(item.file, label=component.name)
                old_name = document.file.name if document.file else ""
                document.file.save(f"{checked.sha256[:16]}{checked.extension}", File(item.file), save=False)
                stored.append(document)
                if old_name:
                    transaction.on_commit(lambda name=old_name: dossier.documents.model.file.field.storage.delete(name))
                document.original_name = getattr(item.file, "name", "")[:255]
                document.content_type, document.size, document.sha256 = (
                    checked.content_type,
                    checked.size,
                    checked.sha256,
                )
                document.digitised = True
            document.save()
    except Exception:
        for document in stored:
            if document.file:
                document.file.storage.delete(document.file.name)
        raise
    return stored


def _missing_required(dossier: Dossier) -> list[str]:
    have = set(dossier.documents.values_list("component_id", flat=True))
    return [c.name for c in dossier.procedure_version.components.all() if c.required and c.pk not in have]


def _validate_applicant(applicant: ApplicantData) -> ApplicantData:
    errors = applicant_errors(applicant)
    if errors:
        raise ApplicationError(" ".join(errors.values()), code="invalid_applicant", details=list(errors.items()))
    return applicant.cleaned()


def _version_for(procedure: Procedure, at: datetime) -> ProcedureVersion:
    version = procedure_version_in_force(procedure=procedure, at=at)
    if version is None:
        raise ApplicationError(_("Thủ tục chưa được công bố."), code="procedure_not_published")
    return version


def _start_processing(dossier: Dossier, *, actor: User, at: datetime) -> None:
    """Reception: the clock starts (from the next opening if outside office hours), step 1 opens."""
    calendar = _calendar(dossier)
    dossier.received_at = at
    dossier.received_by = actor
    dossier.regime = regime_at(at).code
    dossier.counted_from = calendar.counting_start(at)
    dossier.due_at = calendar.add_working_hours(dossier.counted_from, dossier.procedure_version.time_limit_hours)
    dossier.original_due_at = dossier.due_at
    dossier.current_step = 1
    _open_step_run(dossier, order=1, at=at, assignee=actor)


# ---------------------------------------------------------------- intake


def dossier_create_draft(
    *,
    user: User,
    procedure: Procedure,
    applicant: ApplicantData,
    return_method: str,
    documents: list[DocumentInput],
) -> Dossier:
    """An online dossier being prepared: saved with its files, not yet submitted."""
    if user.role not in (Role.CITIZEN, Role.BUSINESS):
        raise PermissionDenied(_("Chỉ công dân, doanh nghiệp nộp hồ sơ trực tuyến."), code="not_applicant")
    applicant = _validate_applicant(applicant)
    if return_method not in ReturnMethod.values:
        raise ApplicationError(_("Hình thức nhận kết quả không hợp lệ."), code="invalid_return_method")
    now = timezone.now()
    version = _version_for(procedure, now)
    if version.online_level < ProcedureVersion.OnlineLevel.PARTIAL:
        raise ApplicationError(
            _("Thủ tục này chưa cung cấp dịch vụ công trực tuyến; vui lòng nộp tại Bộ phận Một cửa."),
            code="not_online",
        )
    with transaction.atomic():
        dossier = _new_dossier(
            version=version,
            channel=Channel.ONLINE,
            return_method=return_method,
            applicant=applicant,
            applicant_user=user,
            at=now,
        )
        _attach(dossier, documents, actor=user)
    return dossier


def _new_dossier(
    *,
    version: ProcedureVersion,
    channel: str,
    return_method: str,
    applicant: ApplicantData,
    applicant_user: User | None,
    at: datetime,
    sets: int = 1,
) -> Dossier:
    """A draft of `version`, under the regime in force at `at`, with the fee its channel pays."""
    return Dossier.objects.create(
        agency=version.procedure.agency,
        procedure=version.procedure,
        procedure_version=version,
        regime=regime_at(at).code,
        status=S.DRAFT,
        channel=channel,
        return_method=return_method,
        sets=sets,
        fee_amount=fee_for(version, online=channel == Channel.ONLINE),
        applicant_user=applicant_user,
        **_applicant_fields(applicant),
    )


def fee_for(version: ProcedureVersion, *, online: bool) -> int:
    """The fees and charges due for a dossier of `version` (the online price when submitted online)."""
    return sum(fee.amount_for(online=online) for fee in version.fees.all())


def _applicant_fields(applicant: ApplicantData) -> dict:
    return {
        "applicant_kind": applicant.kind,
        "applicant_name": applicant.name,
        "applicant_id_number": applicant.id_number,
        "applicant_tax_code": applicant.tax_code,
        "applicant_phone": applicant.phone,
        "applicant_email": applicant.email,
        "applicant_address": applicant.address,
    }


def dossier_update_draft(
    *,
    dossier: Dossier,
    user: User,
    applicant: ApplicantData,
    return_method: str,
    documents: list[DocumentInput],
) -> Dossier:
    """Change a draft before it is submitted: applicant, return method, and the files handed in
    again (a component without a new file keeps its own). A submitted dossier is not changed."""
    applicant = _validate_applicant(applicant)
    if return_method not in ReturnMethod.values:
        raise ApplicationError(_("Hình thức nhận kết quả không hợp lệ."), code="invalid_return_method")
    with transaction.atomic():
        dossier = _lock(dossier)
        if dossier.applicant_user_id != user.pk:
            raise NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found")
        if dossier.status != S.DRAFT:
            raise Conflict(_("Hồ sơ đã nộp, không sửa được nữa."), code="not_draft")
        fields = _applicant_fields(applicant)
        for name, value in fields.items():
            setattr(dossier, name, value)
        dossier.return_method = return_method
        dossier.save(update_fields=[*fields, "return_method", "updated_at"])
        _attach(dossier, documents, actor=user)
    return dossier


def dossier_submit(*, dossier: Dossier, user: User, ip: str | None = None) -> Dossier:
    """Submit a draft: it gets its code and joins the reception queue. Submitting again changes nothing."""
    with transaction.atomic():
        dossier = _lock(dossier)
        if dossier.applicant_user_id != user.pk:
            raise NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found")
        if dossier.status != S.DRAFT:
            return dossier
        missing = _missing_required(dossier)
        if missing:
            raise ApplicationError(
                _("Còn thiếu giấy tờ bắt buộc: %(names)s.") % {"names": "; ".join(missing)},
                code="missing_documents",
                details=missing,
            )
        now = timezone.now()
        dossier.status = S.SUBMITTED
        dossier.submitted_at = now
        dossier.code = _take_code(dossier, now)
        dossier.save(update_fields=["status", "submitted_at", "code", "updated_at"])
        _store_documents(dossier)
        _record(dossier, action=A.SUBMIT, from_status=S.DRAFT, actor=user, at=now, ip=ip)
    return dossier


def dossier_submit_online(
    *,
    user: User,
    procedure: Procedure,
    applicant: ApplicantData,
    return_method: str,
    documents: list[DocumentInput],
    idempotency_key: str = "",
    ip: str | None = None,
) -> tuple[Dossier, bool]:
    """Create and submit in one go (the API). The same idempotency key returns the same dossier."""
    key = (idempotency_key or "").strip()[:100]
    if key:
        existing = Dossier.objects.filter(applicant_user=user, idempotency_key=key).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            dossier = dossier_create_draft(
                user=user, procedure=procedure, applicant=applicant, return_method=return_method, documents=documents
            )
            if key:
                dossier.idempotency_key = key
                dossier.save(update_fields=["idempotency_key"])
            dossier = dossier_submit(dossier=dossier, user=user, ip=ip)
    except IntegrityError:
        existing = Dossier.objects.filter(applicant_user=user, idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return existing, False
    return dossier, True


def dossier_counter_intake(
    *,
    officer: User,
    procedure: Procedure,
    applicant: ApplicantData,
    return_method: str,
    documents: list[DocumentInput],
    decision: str,
    reason: str = "",
    items: list[str] | None = None,
    sets: int = 1,
    applicant_user: User | None = None,
    ip: str | None = None,
) -> Dossier:
    """A walk-in dossier at the one-stop counter, after the completeness check.

    `decision`: "receive" (complete: code, appointment, receipt), "supplement"
    (incomplete: the instruction of form 02, not received) or "refuse" (outside
    competence: form 03 with its reason).
    """
    if officer.role != Role.ONE_STOP_OFFICER or officer.agency_id != procedure.agency_id:
        raise PermissionDenied(_("Chỉ cán bộ Một cửa của cơ quan tiếp nhận hồ sơ tại quầy."), code="not_counter")
    if decision not in ("receive", "supplement", "refuse"):
        raise ApplicationError(_("Kết quả kiểm tra hồ sơ không hợp lệ."), code="invalid_decision")
    applicant = _validate_applicant(applicant)
    if return_method not in ReturnMethod.values:
        raise ApplicationError(_("Hình thức nhận kết quả không hợp lệ."), code="invalid_return_method")
    reason = (reason or "").strip()
    items = [i.strip() for i in (items or []) if i and i.strip()]
    if decision == "refuse" and not reason:
        raise ApplicationError(_("Cần ghi rõ lý do từ chối tiếp nhận."), code="reason_required")
    if decision == "supplement" and not items:
        raise ApplicationError(_("Cần liệt kê giấy tờ phải bổ sung, hoàn thiện."), code="items_required")
    if not 1 <= sets <= 20:
        raise ApplicationError(_("Số bộ hồ sơ phải từ 1 đến 20."), code="invalid_sets")
    now = timezone.now()
    version = _version_for(procedure, now)
    with transaction.atomic():
        dossier = _new_dossier(
            version=version,
            channel=Channel.COUNTER,
            return_method=return_method,
            applicant=applicant,
            applicant_user=applicant_user,
            at=now,
            sets=sets,
        )
        _attach(dossier, documents, actor=officer)
        if decision == "receive":
            missing = _missing_required(dossier)
            if missing:
                raise ApplicationError(
                    _("Hồ sơ chưa đủ giấy tờ bắt buộc, không thể tiếp nhận: %(names)s.")
                    % {"names": "; ".join(missing)},
                    code="missing_documents",
                    details=missing,
                )
            dossier.code = _take_code(dossier, now)
            dossier.status = S.RECEIVED
            _start_processing(dossier, actor=officer, at=now)
            dossier.save()
            _store_documents(dossier)
            _record(dossier, action=A.RECEIVE, from_status=S.DRAFT, actor=officer, at=now, ip=ip)
        elif decision == "supplement":
            dossier.status = S.WAITING_SUPPLEMENT
            dossier.save(update_fields=["status", "updated_at"])
            SupplementRequest.objects.create(
                dossier=dossier,
                stage=SupplementRequest.Stage.RECEPTION,
                items=items,
                reason=reason or _("Hồ sơ chưa đầy đủ theo quy định."),
                paused_from_status=S.SUBMITTED,
                requested_at=now,
                requested_by=officer,
            )
            _record(
                dossier, action=A.REQUEST_SUPPLEMENT, from_status=S.DRAFT, actor=officer, reason=reason, at=now, ip=ip
            )
        else:
            dossier.status = S.REFUSED
            dossier.decision_reason = reason
            dossier.save(update_fields=["status", "decision_reason", "updated_at"])
            _record(dossier, action=A.REFUSE, from_status=S.DRAFT, actor=officer, reason=reason, at=now, ip=ip)
    return dossier


# ---------------------------------------------------------------- actions


def dossier_act(
    *,
    dossier: Dossier,
    actor: User,
    action: str,
    data: ActionInput | None = None,
    ip: str | None = None,
    expected_status: str | None = None,
) -> Dossier:
    """Take `action` on `dossier` as `actor`: the one path that changes a dossier's status.

    `expected_status` (what the actor saw) turns a race between two officers into a
    clear refusal for the second instead of a surprise.
    """
    data = data or ActionInput()
    comment = (data.comment or "").strip()
    if action not in workflow.TRANSITIONS:
        raise ApplicationError(_("Thao tác không tồn tại."), code="unknown_action")
    with transaction.atomic():
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
        if not may_act(actor, dossier, action):
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
        now = timezone.now()
        from_status = dossier.status
        reason = handler(dossier, actor=actor, data=data, comment=comment, at=now, position=position)
        dossier.save()
        _record(dossier, action=action, from_status=from_status, actor=actor, reason=reason, at=now, ip=ip)
    return dossier


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
    dossier.status = S.WAITING_SUPPLEMENT
    return comment + "\n" + "; ".join(items)


def _supplement(dossier, *, actor, data, comment, at, position):
    request = dossier.supplement_requests.select_for_update().get(answered_at__isnull=True)
    _attach(dossier, data.documents, actor=actor)
    request.answered_at = at
    if position.received and dossier.paused_since:
        calendar = _calendar(dossier)
        waited = calendar.working_minutes_between(dossier.paused_since, at)
        request.paused_minutes = waited
        # The clock resumes: every pending due moment moves by the working time spent waiting.
        dossier.due_at = calendar.add_working_minutes(dossier.due_at, waited)
        run = dossier.steps.filter(finished_at__isnull=True).first()
        if run is not None:
            run.due_at = calendar.add_working_minutes(run.due_at, waited)
            run.save(update_fields=["due_at"])
        dossier.paused_since = None
    request.save(update_fields=["answered_at", "paused_minutes"])
    dossier.status = workflow.target_of(A.SUPPLEMENT, position, paused_from=request.paused_from_status)
    return comment or _("Đã bổ sung hồ sơ.")


def _assign(dossier, *, actor, data, comment, at, position):
    run = open_step(dossier)
    assignee = User.objects.filter(username=(data.assignee or "").strip(), is_active=True).first()
    if assignee is None:
        raise ApplicationError(_("Không tìm thấy cán bộ được phân công."), code="unknown_assignee")
    if assignee.agency_id != dossier.agency_id or (run.unit_id and assignee.unit_id != run.unit_id):
        raise ApplicationError(
            _("Cán bộ được phân công phải thuộc đơn vị xử lý bước này (%(unit)s).") % {"unit": run.unit},
            code="assignee_other_unit",
        )
    if assignee.role not in (run.role, Role.SPECIALIST, Role.UNIT_HEAD):
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
    if new_due is None or new_due <= dossier.due_at:
        raise ApplicationError(_("Ngày hẹn trả mới phải sau ngày hẹn hiện tại."), code="invalid_new_due")
    if timezone.is_naive(new_due):
        new_due = timezone.make_aware(new_due)
    Apology.objects.create(
        dossier=dossier, reason=comment, old_due_at=dossier.due_at, new_due_at=new_due, issued_at=at, issued_by=actor
    )
    dossier.due_at = new_due
    return comment


def _withdraw(dossier, *, actor, data, comment, at, position):
    _close_step_run(dossier, at=at, actor=actor, note=comment)
    dossier.status = S.WITHDRAWN
    dossier.paused_since = None
    return comment or _("Người nộp rút hồ sơ.")


def _stop(dossier, *, actor, data, comment, at, position):
    _close_step_run(dossier, at=at, actor=actor, note=comment)
    dossier.status = S.STOPPED
    dossier.decision_reason = comment
    dossier.paused_since = None
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


# ---------------------------------------------------------------- payment and the data store


def dossier_mark_paid(*, dossier: Dossier, online: bool, at: datetime | None = None) -> Dossier:
    """Record that the dossier's fees are paid (called by the payments app). Idempotent."""
    with transaction.atomic():
        dossier = _lock(dossier)
        if dossier.paid_at is not None:
            return dossier
        dossier.paid_at = at or timezone.now()
        dossier.paid_online = online
        dossier.save(update_fields=["paid_at", "paid_online", "updated_at"])
        audit_record(
            action="dossier.paid",
            object_type="dossier",
            object_id=dossier.pk,
            dossier_code=dossier.code or "",
            data={"amount": dossier.fee_amount, "online": online},
        )
    return dossier


def _store_documents(dossier: Dossier) -> None:
    """Keep the applicant's digitised components in their data store for later reuse (once-only)."""
    identifier = dossier.applicant_identifier
    if not identifier:
        return
    for document in dossier.documents.select_related("component").filter(digitised=True, reused=False):
        if not document.file:
            continue
        StoredDocument.objects.get_or_create(
            owner_identifier=identifier,
            component_key=fold(document.component.name),
            sha256=document.sha256,
            kind=StoredDocument.Kind.UPLOAD,
            deleted_at=None,
            defaults={
                "owner": dossier.applicant_user,
                "name": document.component.name,
                "file": document.file.name,
                "original_name": document.original_name,
                "content_type": document.content_type,
                "size": document.size,
                "source_dossier": dossier,
            },
        )


def store_add_result(*, dossier: Dossier, name: str, file_name: str, sha256: str, size: int) -> StoredDocument:
    """Put an electronic result into the applicant's store (called when a result is signed)."""
    stored, _created = StoredDocument.objects.get_or_create(
        owner_identifier=dossier.applicant_identifier,
        component_key=fold(name),
        sha256=sha256,
        kind=StoredDocument.Kind.RESULT,
        deleted_at=None,
        defaults={
            "owner": dossier.applicant_user,
            "name": name,
            "file": file_name,
            "original_name": file_name.rsplit("/", 1)[-1],
            "content_type": "application/pdf",
            "size": size,
            "source_dossier": dossier,
        },
    )
    return stored


def store_document_delete(*, document: StoredDocument, user: User) -> None:
    """An applicant removes one of their own uploads from the store; results stay.

    The file itself stays: the dossier it came with still holds it as a record."""
    with transaction.atomic():
        document = StoredDocument.objects.select_for_update().get(pk=document.pk)
        if document.owner_id != user.pk or document.deleted_at is not None:
            raise NotFound(_("Không tìm thấy giấy tờ."), code="stored_document_not_found")
        if document.kind == StoredDocument.Kind.RESULT:
            raise ApplicationError(_("Không xóa được kết quả giải quyết thủ tục."), code="result_not_deletable")
        document.deleted_at = timezone.now()
        document.save(update_fields=["deleted_at"])
        audit_record(action="store.delete", actor=user, object_type="stored_document", object_id=document.pk)


# ---------------------------------------------------------------- deadlines


def deadlines_scan(*, now: datetime | None = None) -> dict:
    """Flag open dossiers due within one working day, and late ones, telling each once."""
    from .selectors import dossiers_due_soon, dossiers_late

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
    return counts


def _deadline_recipients(dossier: Dossier) -> list[User]:
    run = open_step(dossier)
    people: dict[int, User] = {}
    if run is not None:
        if run.assignee_id:
            people[run.assignee_id] = run.assignee
        if run.unit_id:
            for head in User.objects.filter(unit_id=run.unit_id, role=Role.UNIT_HEAD, is_active=True):
                people[head.pk] = head
    return list(people.values())
