"""Writes for complaints and petitions: submitting, taking up, answering.

Each write is one transaction with its audit event and its notices (rows written and
delivery jobs enqueued in the same transaction, as for dossiers).
"""

from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.models import Agency, Unit, User
from cchc.accounts.roles import HEADS_UNIT, WORKS_IN_UNIT
from cchc.audit.services import audit_record
from cchc.core import clock
from cchc.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from cchc.dossiers import notifications
from cchc.dossiers.models import Dossier, Notification
from cchc.dossiers.notifications import notify_staff
from cchc.dossiers.policies import open_step
from cchc.dossiers.rules import EMAIL_RE, PHONE_RE, judge
from cchc.dossiers.workflow import Status as DossierStatus
from cchc.procedures.models import Procedure
from cchc.procedures.selectors import agency_calendar

from .models import Complaint, ComplaintSequence
from .policies import may_answer

CONTENT_MIN, CONTENT_MAX = 10, 5000
ANSWER_MIN = 10


def complaint_time_limit_days() -> int:
    """Working days to answer: `CCHC_COMPLAINT_DAYS` (default 15)."""
    days = int(settings.CCHC_COMPLAINT_DAYS)
    if days < 1:
        raise ValueError("CCHC_COMPLAINT_DAYS must be at least 1")
    return days


def complaint_due_at(*, agency: Agency, submitted_at: datetime, days: int) -> datetime:
    """`days` working days from the next opening at or after `submitted_at`, on the agency's calendar."""
    calendar = agency_calendar(agency)
    return calendar.add_working_hours(calendar.counting_start(submitted_at), days * 8)


def format_complaint_code(day, sequence: int) -> str:
    """2026-03-02, 7 → `PAKN-260302-0007`."""
    return f"PAKN-{day:%y%m%d}-{sequence:04d}"


def _take_code(at: datetime) -> str:
    """The day's next number. The upsert locks the day's row until commit, as for dossier codes."""
    day = timezone.localdate(at)
    table = ComplaintSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, last) VALUES (%s, 1) "  # noqa: S608 - table name is ours
            f"ON CONFLICT (day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [day],
        )
        (sequence,) = cursor.fetchone()
    return format_complaint_code(day, sequence)


def _route(dossier: Dossier | None, procedure: Procedure) -> Unit:
    """The unit holding the dossier's current step; otherwise the procedure's lead unit."""
    if dossier is not None:
        run = open_step(dossier)
        if run is not None and run.unit_id:
            return run.unit
        return dossier.procedure_version.unit
    return procedure.current_version.unit


def _contact_errors(*, kind: str, content: str, name: str, phone: str, email: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in Complaint.Kind.values:
        errors["kind"] = _("Chọn phản ánh hoặc kiến nghị.")
    if len(content) < CONTENT_MIN:
        errors["content"] = _("Nội dung cần ít nhất %(n)s ký tự.") % {"n": CONTENT_MIN}
    elif len(content) > CONTENT_MAX:
        errors["content"] = _("Nội dung dài quá %(n)s ký tự.") % {"n": CONTENT_MAX}
    if len(name) < 2:
        errors["name"] = _("Cần ghi họ và tên người gửi.")
    if phone and not PHONE_RE.fullmatch(phone):
        errors["phone"] = _("Số điện thoại không hợp lệ (ví dụ 0912345678).")
    if email and not EMAIL_RE.fullmatch(email):
        errors["email"] = _("Địa chỉ thư điện tử không hợp lệ.")
    if not phone and not email:
        errors.setdefault("phone", _("Cần ít nhất số điện thoại hoặc thư điện tử để nhận trả lời."))
    return errors


def _mine_url() -> str:
    return f"{settings.CCHC_PUBLIC_URL}{reverse('complaints:mine')}"


def _email_submitter(complaint: Complaint, *, subject: str, lines: list[str], kind: str) -> None:
    if not complaint.contact_email:
        return
    body = "\n".join(
        [
            _("Kính gửi Ông/Bà %(name)s,") % {"name": complaint.submitter_name},
            "",
            *lines,
            "",
            _("Trân trọng,"),
            complaint.agency.name,
            "",
            _("Thư này được gửi tự động, vui lòng không trả lời."),
        ]
    )
    notifications.queue_notification(
        dossier=complaint.dossier,
        recipient=complaint.submitter,
        channel=Notification.Channel.EMAIL,
        address=complaint.contact_email,
        subject=subject,
        body=body,
        kind=kind,
    )


def _vn_moment(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def _about(complaint: Complaint) -> str:
    if complaint.dossier_id:
        return _("hồ sơ %(code)s") % {"code": complaint.dossier.code}
    return _("thủ tục %(code)s – %(name)s") % {
        "code": complaint.procedure.code,
        "name": complaint.procedure.current_version.name,
    }


def _unit_recipients(unit: Unit) -> list[User]:
    """The unit's heads; where it has none (a small one-stop counter), its members who may answer."""
    members = User.objects.filter(unit=unit, is_active=True).order_by("pk")
    heads = list(members.filter(role__in=HEADS_UNIT))
    return heads or list(members.filter(role__in=WORKS_IN_UNIT))


def complaint_submit(
    *,
    kind: str,
    content: str,
    name: str,
    phone: str = "",
    email: str = "",
    submitter: User | None = None,
    dossier: Dossier | None = None,
    procedure: Procedure | None = None,
    raised_again_from: Complaint | None = None,
    ip: str | None = None,
) -> Complaint:
    """Record a complaint or petition about one's own dossier or about a procedure, route it
    to a unit and set its answer deadline. Anyone may write about a procedure; only the
    applicant signed in may write about their dossier (anyone else: NotFound).

    `raised_again_from`: the sender's own answered complaint that this one raises again (it is
    then about the same dossier or procedure); the service index counts the earlier one as not
    satisfactorily handled (Decision 766, indicator 5.3)."""
    content, name = (content or "").strip(), " ".join((name or "").split())
    phone = (phone or "").replace(" ", "").replace(".", "").strip()
    email = (email or "").strip().lower()
    errors = _contact_errors(kind=kind, content=content, name=name, phone=phone, email=email)
    if errors:
        raise ApplicationError(" ".join(errors.values()), code="invalid_complaint", details=list(errors.items()))
    if submitter is not None and not submitter.is_authenticated:
        submitter = None
    if raised_again_from is not None:
        mine = submitter is not None and raised_again_from.submitter_id == submitter.pk
        if not mine or raised_again_from.status != Complaint.Status.ANSWERED:
            raise NotFound(_("Không tìm thấy phản ánh, kiến nghị đã được trả lời."), code="complaint_not_found")
        dossier, procedure = raised_again_from.dossier, raised_again_from.procedure
    if dossier is not None:
        own = submitter is not None and dossier.applicant_user_id == submitter.pk
        if not own or not dossier.code or dossier.status == DossierStatus.DRAFT:
            raise NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found")
        procedure = dossier.procedure
    elif procedure is None:
        raise ApplicationError(_("Cần chọn thủ tục hành chính được phản ánh, kiến nghị."), code="subject_required")
    elif procedure.current_version_id is None:
        raise NotFound(_("Không tìm thấy thủ tục."), code="procedure_not_found")
    with transaction.atomic(durable=True):
        now = clock.now()
        agency = dossier.agency if dossier is not None else procedure.agency
        days = complaint_time_limit_days()
        complaint = Complaint.objects.create(
            code=_take_code(now),
            kind=kind,
            agency=agency,
            dossier=dossier,
            procedure=procedure,
            submitter=submitter,
            submitter_name=name,
            contact_phone=phone,
            contact_email=email,
            content=content,
            submitted_at=now,
            unit=_route(dossier, procedure),
            time_limit_days=days,
            due_at=complaint_due_at(agency=agency, submitted_at=now, days=days),
            raised_again_from=raised_again_from,
        )
        audit_record(
            action="complaint.submit",
            actor=submitter,
            object_type="complaint",
            object_id=complaint.code,
            dossier_code=dossier.code if dossier is not None else "",
            ip=ip,
            data={
                "kind": kind,
                "unit": complaint.unit.code,
                "procedure": procedure.code,
                "raised_again_from": raised_again_from.code if raised_again_from is not None else "",
            },
        )
        kind_label = Complaint.Kind(kind).label
        due = _vn_moment(complaint.due_at)
        notify_staff(
            dossier=dossier,
            users=_unit_recipients(complaint.unit),
            subject=_("%(kind)s mới %(code)s, hạn trả lời %(due)s")
            % {"kind": kind_label, "code": complaint.code, "due": due},
            body="\n".join(
                [
                    _("Về %(about)s.") % {"about": _about(complaint)},
                    "",
                    content,
                    "",
                    _("Trả lời tại: %(url)s")
                    % {"url": settings.CCHC_PUBLIC_URL + reverse("complaints:answer", kwargs={"code": complaint.code})},
                ]
            ),
            kind="complaint.new",
        )
        _email_submitter(
            complaint,
            subject=_("Đã nhận %(kind)s %(code)s") % {"kind": kind_label.lower(), "code": complaint.code},
            lines=[
                _("Cơ quan đã nhận %(kind)s của Ông/Bà về %(about)s.")
                % {"kind": kind_label.lower(), "about": _about(complaint)},
                _("Mã: %(code)s. Hạn trả lời: %(due)s.") % {"code": complaint.code, "due": due},
            ],
            kind="complaint.received",
        )
    return complaint


def _lock(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("agency", "dossier", "procedure__current_version", "unit")
        .get(pk=complaint.pk)
    )


def complaint_start(*, complaint: Complaint, user: User, ip: str | None = None) -> Complaint:
    """A member of the unit takes the complaint up (new → in progress). Taking it up again changes nothing."""
    with transaction.atomic(durable=True):
        complaint = _lock(complaint)
        if not may_answer(user, complaint):
            raise PermissionDenied(_("Bạn không xử lý phản ánh, kiến nghị của đơn vị này."), code="not_allowed")
        if complaint.status != Complaint.Status.NEW:
            return complaint
        complaint.status = Complaint.Status.IN_PROGRESS
        complaint.save(update_fields=["status"])
        audit_record(
            action="complaint.start",
            actor=user,
            object_type="complaint",
            object_id=complaint.code,
            from_status=Complaint.Status.NEW,
            to_status=complaint.status,
            ip=ip,
        )
    return complaint


def complaint_answer(*, complaint: Complaint, user: User, answer: str, ip: str | None = None) -> Complaint:
    """Answer once: the outcome is judged against the deadline and the submitter is told by email."""
    answer = (answer or "").strip()
    if len(answer) < ANSWER_MIN:
        raise ApplicationError(
            _("Nội dung trả lời cần ít nhất %(n)s ký tự.") % {"n": ANSWER_MIN}, code="answer_required"
        )
    with transaction.atomic(durable=True):
        complaint = _lock(complaint)
        if not may_answer(user, complaint):
            raise PermissionDenied(_("Bạn không trả lời phản ánh, kiến nghị của đơn vị này."), code="not_allowed")
        if complaint.status == Complaint.Status.ANSWERED:
            raise Conflict(_("Phản ánh, kiến nghị này đã được trả lời."), code="already_answered")
        now = clock.now()
        from_status = complaint.status
        complaint.status = Complaint.Status.ANSWERED
        complaint.answer = answer
        complaint.answered_at = now
        complaint.answered_by = user
        complaint.outcome = judge(now, complaint.due_at)
        complaint.save(update_fields=["status", "answer", "answered_at", "answered_by", "outcome"])
        audit_record(
            action="complaint.answer",
            actor=user,
            object_type="complaint",
            object_id=complaint.code,
            dossier_code=complaint.dossier.code if complaint.dossier_id else "",
            from_status=from_status,
            to_status=complaint.status,
            ip=ip,
            data={"outcome": complaint.outcome},
        )
        kind_label = Complaint.Kind(complaint.kind).label
        _email_submitter(
            complaint,
            subject=_("Trả lời %(kind)s %(code)s") % {"kind": kind_label.lower(), "code": complaint.code},
            lines=[
                _("Về %(kind)s của Ông/Bà (mã %(code)s) về %(about)s, cơ quan trả lời như sau:")
                % {"kind": kind_label.lower(), "code": complaint.code, "about": _about(complaint)},
                "",
                answer,
                "",
                _("Xem lại tại: %(url)s") % {"url": _mine_url()} if complaint.submitter_id else "",
            ],
            kind="complaint.answered",
        )
    return complaint


def complaint_give_feedback(*, complaint: Complaint, user: User, feedback: str, ip: str | None = None) -> Complaint:
    """The sender says whether the answer satisfies them, once. Saying the same again changes
    nothing; changing one's mind afterwards is refused (raise the matter again instead)."""
    if feedback not in Complaint.Feedback.values:
        raise ApplicationError(_("Chọn hài lòng hoặc chưa hài lòng với câu trả lời."), code="invalid_feedback")
    with transaction.atomic(durable=True):
        complaint = _lock(complaint)
        if user is None or not user.is_authenticated or complaint.submitter_id != user.pk:
            raise NotFound(_("Không tìm thấy phản ánh, kiến nghị."), code="complaint_not_found")
        if complaint.status != Complaint.Status.ANSWERED:
            raise Conflict(_("Phản ánh, kiến nghị này chưa được trả lời."), code="not_answered")
        if complaint.feedback == feedback:
            return complaint
        if complaint.feedback:
            raise Conflict(
                _("Bạn đã cho ý kiến về câu trả lời này; nếu chưa hài lòng, hãy gửi phản ánh lại."),
                code="feedback_given",
            )
        complaint.feedback = feedback
        complaint.feedback_at = clock.now()
        complaint.save(update_fields=["feedback", "feedback_at"])
        audit_record(
            action="complaint.feedback",
            actor=user,
            object_type="complaint",
            object_id=complaint.code,
            dossier_code=complaint.dossier.code if complaint.dossier_id else "",
            ip=ip,
            data={"feedback": feedback},
        )
    return complaint
