"""Dossier endpoints: submit online, list and read what the caller may see, act, print, track.

Every endpoint but the public status lookup needs a bearer token (or the browser's session).
A dossier the caller may not see answers exactly like one that does not exist (404), so
nothing leaks. Writes go through `services`; reads through `selectors`, which hold the
access rule.
"""

import json
import re
from datetime import date
from typing import Annotated

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from ninja import Field, Header, Router, Schema
from ninja.responses import Status as StatusResponse
from pydantic import StringConstraints
from pydantic import ValidationError as PydanticValidationError

from cchc.accounts.auth import api_auth, rate_limit
from cchc.accounts.models import Agency, User
from cchc.accounts.policies import is_staff
from cchc.accounts.roles import Role
from cchc.accounts.selectors import agency_get
from cchc.audit.services import client_ip
from cchc.core import clock
from cchc.core.api_utils import FREE_TEXT_MAX, check_length, field_max_length, iso, parse_moment
from cchc.core.calendar import VN_TZ
from cchc.core.errors import ApplicationError, NotFound
from cchc.procedures.models import Procedure
from cchc.procedures.selectors import procedure_for_intake, procedure_get_published

from . import hooks, timeliness, workflow
from .documents import FORMS, render_form
from .models import Dossier, DossierSegment
from .policies import available_actions
from .regimes import legal_basis_of
from .rules import ApplicantData, mask_name
from .selectors import PublicStatus, dossier_get, dossier_list, dossier_public_status_row, public_current_step
from .services import (
    ActionInput,
    DocumentInput,
    dossier_act,
    dossier_counter_intake,
    dossier_record_view,
    dossier_submit_online,
    position_of,
)
from .workflow import Action, Status

router = Router(tags=["Hồ sơ"], auth=api_auth)

PAGE_SIZE = 20
# The actions the action endpoint takes; submitting is `POST /dossiers` itself.
API_ACTIONS = tuple(a for a in workflow.TRANSITIONS if a != Action.SUBMIT)
APPLICANT_KEYS = ("kind", "name", "id_number", "tax_code", "phone", "email", "address")
DMY_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


# ---------------------------------------------------------------- schemas


class ErrorOut(Schema):
    detail: str
    code: str
    errors: list


class NamedOut(Schema):
    code: str
    name: str


class StepOut(Schema):
    order: int
    name: str
    unit: NamedOut | None
    role: str
    role_label: str
    assignee: str | None
    assignee_username: str | None
    started_at: str | None
    due_at: str | None


class SegmentOut(Schema):
    """An inter-agency (liên thông) dossier's passage through one agency, judged for that agency."""

    sequence: int
    agency: NamedOut
    first_step: int
    entered_at: str
    left_at: str | None
    budget_hours: int
    due_at: str
    outcome: str  # early, on_time, late once it left the agency; empty while there
    outcome_label: str
    late: bool  # judged late, or still there after its due moment


class ApplicantOut(Schema):
    kind: str
    name: str
    id_number: str
    tax_code: str
    phone: str
    email: str
    address: str


class DocumentOut(Schema):
    component_id: int
    component: str
    original_name: str
    content_type: str
    size: int
    paper_received: bool


class SupplementRequestOut(Schema):
    stage: str
    items: list[str]
    reason: str
    requested_at: str
    answered_at: str | None


class ApologyOut(Schema):
    reason: str
    old_due_at: str
    new_due_at: str
    issued_at: str


class EventOut(Schema):
    action: str
    action_label: str
    from_status: str
    to_status: str
    to_status_label: str
    step: int
    step_name: str
    actor: str | None
    actor_role: str
    reason: str
    at: str


class DossierItemOut(Schema):
    code: str | None
    status: str
    status_label: str
    procedure: NamedOut
    agency: NamedOut  # the agency that resolves it
    received_by: NamedOut  # the one-stop point that received it
    applicant_name: str
    channel: str
    submitted_at: str | None
    received_at: str | None
    due_at: str | None
    finished_at: str | None
    current_step: int


class DossierListOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[DossierItemOut]


class ResultOut(Schema):
    id: str
    sha256: str
    signed_at: str


class PaymentStateOut(Schema):
    amount: int  # VND the applicant owes for the dossier (0: no fee)
    status: str  # not_required | unpaid | pending | paid | refund_pending | refunded
    status_label: str
    paid_at: str | None
    method: str | None  # online | counter (when paid)


class DossierOut(Schema):
    code: str | None
    status: str
    status_label: str
    procedure: NamedOut
    procedure_version: int
    agency: NamedOut  # the agency that resolves it
    received_by: NamedOut  # the one-stop point that received it (a centre, a commune, or the agency)
    return_point: NamedOut | None  # where a result returned at a counter is collected
    regime: str
    legal_basis: list[str]  # the regime's decrees in force at reception, then the circular of its forms
    channel: str
    return_method: str
    applicant: ApplicantOut
    submitted_at: str | None
    received_at: str | None
    due_at: str | None
    original_due_at: str | None
    finished_at: str | None
    returned_at: str | None
    paused_since: str | None
    decision_reason: str
    current_step: StepOut | None
    documents: list[DocumentOut]
    supplement_requests: list[SupplementRequestOut]
    apology: ApologyOut | None
    payment: PaymentStateOut
    history: list[EventOut]
    available_actions: list[str]
    result: ResultOut | None
    segments: list[SegmentOut]  # the agencies an inter-agency dossier passed through (empty otherwise)


class TimelineOut(Schema):
    at: str
    action: str
    action_label: str
    status: str
    status_label: str
    step_name: str


class PublicStepOut(Schema):
    order: int
    name: str


class PublicStatusOut(Schema):
    code: str
    status: str
    status_label: str
    procedure: str
    agency: str  # the agency resolving it now (after a merger, the successor)
    applicant: str
    received_at: str | None
    due_at: str | None
    finished_at: str | None
    current_step: PublicStepOut | None
    timeline: list[TimelineOut]


class ActionIn(Schema):
    comment: str = Field("", max_length=FREE_TEXT_MAX)
    assignee: str = Field("", max_length=field_max_length(User, "username"))
    items: list[Annotated[str, StringConstraints(max_length=FREE_TEXT_MAX)]] = Field([], max_length=50)
    new_due_at: str | None = Field(None, max_length=40)
    return_method: str = Field("", max_length=field_max_length(Dossier, "return_method"))
    expected_status: str | None = Field(None, max_length=field_max_length(Dossier, "status"))


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


# ---------------------------------------------------------------- helpers


def _not_found() -> NotFound:
    return NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found")


def _get_visible(request, code: str) -> Dossier:
    dossier = dossier_get(user=request.auth, code=code)
    if dossier is None:
        raise _not_found()
    return dossier


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _person(user) -> str | None:
    return str(user) if user is not None else None


def _open_run(dossier: Dossier):
    # `steps` is prefetched by `dossier_get`: pick the open run without another query.
    return next((run for run in dossier.steps.all() if run.finished_at is None), None)


def _step(dossier: Dossier, *, staff: bool) -> dict | None:
    run = _open_run(dossier)
    if run is None:
        return None
    return {
        "order": run.order,
        "name": run.process_step.name,
        "unit": {"code": run.unit.code, "name": run.unit.name} if run.unit else None,
        "role": run.role,
        "role_label": _label(Role, run.role),
        "assignee": _person(run.assignee),
        "assignee_username": run.assignee.username if (run.assignee and staff) else None,
        "started_at": iso(run.started_at),
        "due_at": iso(run.due_at),
    }


def _segments(dossier: Dossier) -> list[dict]:
    now = clock.now()
    return [
        {
            "sequence": s.sequence,
            "agency": _named(s.agency),
            "first_step": s.first_step,
            "entered_at": iso(s.entered_at),
            "left_at": iso(s.left_at),
            "budget_hours": s.budget_hours,
            "due_at": iso(s.due_at),
            "outcome": s.outcome,
            "outcome_label": _label(DossierSegment.Outcome, s.outcome) if s.outcome else "",
            "late": timeliness.segment_is_late(s, dossier=dossier, at=now),
        }
        for s in dossier.segments.all()
    ]


def _named(agency) -> dict | None:
    return {"code": agency.code, "name": agency.name} if agency is not None else None


def _item(dossier: Dossier) -> dict:
    return {
        "code": dossier.code,
        "status": dossier.status,
        "status_label": _label(Status, dossier.status),
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure_version.name},
        "agency": _named(dossier.agency),
        "received_by": _named(dossier.reception_point or dossier.agency),
        "applicant_name": dossier.applicant_name,
        "channel": dossier.channel,
        "submitted_at": iso(dossier.submitted_at),
        "received_at": iso(dossier.received_at),
        "due_at": iso(dossier.due_at),
        "finished_at": iso(dossier.finished_at),
        "current_step": dossier.current_step,
    }


def _detail(dossier: Dossier, user) -> dict:
    staff = is_staff(user)
    apology = getattr(dossier, "apology", None)  # a missing one-to-one raises an AttributeError subclass
    return {
        "code": dossier.code,
        "status": dossier.status,
        "status_label": _label(Status, dossier.status),
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure_version.name},
        "procedure_version": dossier.procedure_version.number,
        "agency": _named(dossier.agency),
        "received_by": _named(dossier.reception_point or dossier.agency),
        "return_point": _named(dossier.return_point),
        "regime": dossier.regime,
        "legal_basis": legal_basis_of(dossier),
        "channel": dossier.channel,
        "return_method": dossier.return_method,
        "applicant": {
            "kind": dossier.applicant_kind,
            "name": dossier.applicant_name,
            "id_number": dossier.applicant_id_number,
            "tax_code": dossier.applicant_tax_code,
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
            "address": dossier.applicant_address,
        },
        "submitted_at": iso(dossier.submitted_at),
        "received_at": iso(dossier.received_at),
        "due_at": iso(dossier.due_at),
        "original_due_at": iso(dossier.original_due_at),
        "finished_at": iso(dossier.finished_at),
        "returned_at": iso(dossier.returned_at),
        "paused_since": iso(dossier.paused_since),
        "decision_reason": dossier.decision_reason,
        "current_step": _step(dossier, staff=staff),
        "segments": _segments(dossier),
        "documents": [
            {
                "component_id": d.component_id,
                "component": d.component.name,
                "original_name": d.original_name,
                "content_type": d.content_type,
                "size": d.size,
                "paper_received": d.paper_received,
            }
            for d in dossier.documents.all()
        ],
        "supplement_requests": [
            {
                "stage": r.stage,
                "items": r.items,
                "reason": r.reason,
                "requested_at": iso(r.requested_at),
                "answered_at": iso(r.answered_at),
            }
            for r in dossier.supplement_requests.all()
        ],
        "apology": (
            {
                "reason": apology.reason,
                "old_due_at": iso(apology.old_due_at),
                "new_due_at": iso(apology.new_due_at),
                "issued_at": iso(apology.issued_at),
            }
            if apology
            else None
        ),
        "payment": _payment(dossier),
        "history": [
            {
                "action": e.action,
                "action_label": _label(Action, e.action),
                "from_status": e.from_status,
                "to_status": e.to_status,
                "to_status_label": _label(Status, e.to_status),
                "step": e.step_order,
                "step_name": e.step_name,
                "actor": _person(e.actor),
                "actor_role": e.actor_role,
                "reason": e.reason,
                "at": iso(e.at),
            }
            for e in dossier.events.all()
        ],
        "available_actions": available_actions(user, dossier, position_of(dossier)),
        "result": _result(dossier, staff=staff),
    }


PAYMENT_STATUS_LABELS = {
    "not_required": _l("Không phải nộp phí, lệ phí"),
    "unpaid": _l("Chưa nộp phí, lệ phí"),
    "pending": _l("Đang chờ cổng thanh toán xác nhận"),
    "paid": _l("Đã nộp phí, lệ phí"),
    "refund_pending": _l("Đang hoàn tiền"),
    "refunded": _l("Đã hoàn tiền"),
}


def _payment(dossier: Dossier) -> dict:
    state = hooks.payment_state(dossier)
    return {
        "amount": state["amount"],
        "status": state["status"],
        "status_label": str(PAYMENT_STATUS_LABELS.get(state["status"], state["status"])),
        "paid_at": iso(state["paid_at"]),
        "method": state["method"],
    }


def _result(dossier: Dossier, *, staff: bool) -> dict | None:
    """The signed electronic result (the results app's one-to-one, read without importing it).

    The applicant sees it once the result is returned, like the file itself."""
    signed = getattr(dossier, "signed_result", None)
    if signed is None or not (staff or dossier.status == Status.RETURNED):
        return None
    return {"id": str(signed.pk), "sha256": signed.sha256, "signed_at": iso(signed.signed_at)}


def _page_number(page: str | None) -> int:
    if page is None or page == "":
        return 1
    try:
        number = int(page)
    except ValueError:
        number = 0
    if number < 1:
        raise ApplicationError(_("Tham số page phải là số nguyên dương."), code="invalid_page")
    return number


def _day(value: str | None, *, name: str) -> date | None:
    """A day given as dd/mm/yyyy or YYYY-MM-DD (an ISO moment counts by its Vietnam date)."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        match = DMY_RE.fullmatch(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            result = date(year, month, day)
        elif "T" in text:
            result = parse_moment(text, name=name).astimezone(VN_TZ).date()
        else:
            result = date.fromisoformat(text)
    except (ValueError, ApplicationError):
        raise ApplicationError(
            _("Tham số %(name)s “%(value)s” không phải ngày hợp lệ (dd/mm/yyyy hoặc yyyy-mm-dd).")
            % {"name": name, "value": value},
            code="invalid_date",
        ) from None
    if not 2000 <= result.year <= 2099:
        raise ApplicationError(
            _("Tham số %(name)s phải nằm trong khoảng năm 2000–2099.") % {"name": name}, code="date_out_of_range"
        )
    return result


def _applicant(raw: str) -> ApplicantData:
    """The `applicant` form field: a JSON object with the applicant's details, strictly checked."""
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise ApplicationError(
            _(
                "Trường applicant phải là một đối tượng JSON, ví dụ "
                '{"kind": "citizen", "name": "Nguyễn Văn An", "id_number": "001090000001", "phone": "0912345678"}.'
            ),
            code="invalid_applicant_json",
        )
    unknown = sorted(set(data) - set(APPLICANT_KEYS))
    if unknown:
        raise ApplicationError(
            _("Trường applicant có khóa không được hỗ trợ: %(keys)s.") % {"keys": ", ".join(unknown)},
            code="invalid_applicant_json",
        )
    wrong = [key for key, value in data.items() if value is not None and not isinstance(value, str)]
    if wrong:
        raise ApplicationError(
            _("Các giá trị trong applicant phải là chuỗi ký tự: %(keys)s.") % {"keys": ", ".join(sorted(wrong))},
            code="invalid_applicant_json",
        )
    for key in APPLICANT_KEYS:
        check_length(data.get(key) or "", name=f"applicant.{key}", limit=field_max_length(Dossier, f"applicant_{key}"))
    return ApplicantData(**{key: data.get(key) or "" for key in APPLICANT_KEYS})


def _form_field(request, name: str, meaning: str, *, limit: int = FREE_TEXT_MAX) -> str:
    value = check_length((request.POST.get(name) or "").strip(), name=name, limit=limit)
    if not value:
        raise ApplicationError(
            _("Thiếu trường %(name)s (%(meaning)s).") % {"name": name, "meaning": meaning},
            code="missing_field",
            details=[name],
        )
    return value


def _return_method(request, *, default: str) -> str:
    """The multipart `return_method` field (its choice is checked by the intake service)."""
    return check_length(
        (request.POST.get("return_method") or default).strip(),
        name="return_method",
        limit=field_max_length(Dossier, "return_method"),
    )


def _agency_code(request, name: str) -> str:
    """An optional form field's agency code, as sent (empty when absent)."""
    return check_length((request.POST.get(name) or "").strip(), name=name, limit=field_max_length(Agency, "code"))


def _agency_field(request, name: str) -> Agency | None:
    """An optional form field naming an agency of the province by its code."""
    code = _agency_code(request, name)
    if not code:
        return None
    agency = agency_get(code=code)
    if agency is None:
        raise ApplicationError(
            _("Không có cơ quan mã %(code)s (trường %(name)s).") % {"code": code, "name": name},
            code="agency_not_found",
            details=[name],
        )
    return agency


def _documents(request) -> list[DocumentInput]:
    """One file per component, each under the component's id as field name."""
    documents = []
    for field_name in request.FILES:
        if not field_name.isdigit():
            raise ApplicationError(
                _("Tệp “%(field)s”: tên trường tệp phải là mã số (id) của thành phần hồ sơ.") % {"field": field_name},
                code="invalid_file_field",
            )
        files = request.FILES.getlist(field_name)
        if len(files) > 1:
            raise ApplicationError(
                _("Mỗi thành phần hồ sơ chỉ nhận một tệp (trường %(field)s có %(count)s tệp).")
                % {"field": field_name, "count": len(files)},
                code="too_many_files",
            )
        documents.append(DocumentInput(component_id=int(field_name), file=files[0]))
    return documents


def _action_input(request) -> ActionIn:
    """The action's data: JSON, or multipart form fields (with files, for `supplement`)."""
    content_type = request.content_type or ""
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        raw: dict = {key: request.POST.get(key) for key in request.POST if key != "items"}
        if "items" in request.POST:
            items = request.POST.getlist("items")
            raw["items"] = _items_field(items)
    else:
        body = request.body.strip()
        try:
            raw = json.loads(body) if body else {}
        except ValueError:
            raw = None
        if not isinstance(raw, dict):
            raise ApplicationError(_("Nội dung yêu cầu phải là một đối tượng JSON."), code="invalid_json")
    try:
        return ActionIn.model_validate(raw)
    except PydanticValidationError as exc:
        fields = sorted({".".join(str(p) for p in e["loc"]) for e in exc.errors()})
        raise ApplicationError(
            _("Dữ liệu gửi lên không hợp lệ."),
            code="invalid_input",
            details=[_("Trường %(field)s không hợp lệ.") % {"field": field} for field in fields],
        ) from None


def _items_field(values: list[str]) -> list[str]:
    # A form may send `items` once per line, or once as a JSON list.
    if len(values) == 1 and values[0].strip().startswith("["):
        try:
            parsed = json.loads(values[0])
        except ValueError:
            parsed = None
        if isinstance(parsed, list):
            return parsed
    return values


# ---------------------------------------------------------------- endpoints


@router.post(
    "",
    response={201: DossierOut, 200: DossierOut, **ERRORS},
    summary="Nộp hồ sơ trực tuyến (multipart: procedure, applicant, return_method và một tệp cho mỗi thành phần)",
    description=(
        "Gửi `multipart/form-data` gồm: `procedure` (mã thủ tục, ví dụ 1.000010); `applicant` (JSON "
        '`{"kind": "citizen" | "business", "name", "id_number" hoặc "tax_code", "phone", "email", "address"}`); '
        "`return_method` (`online` | `counter` | `post`, mặc định `online`); `agency` (mã cơ quan giải quyết, bắt buộc "
        "khi thủ tục do nhiều cơ quan thực hiện, xem `agencies` trong `GET /api/v1/procedures/{code}`); `return_point` "
        "(mã trung tâm hoặc xã nơi nhận kết quả khi `return_method` là `counter`; mặc định cơ quan giải quyết); "
        "và một tệp PDF/JPEG/PNG cho mỗi thành "
        "phần hồ sơ, tên trường là `id` của thành phần trong `GET /api/v1/procedures/{code}`.\n\n"
        "Hồ sơ mới: **201**. Gửi lại với cùng tiêu đề `Idempotency-Key` (của cùng người nộp): **200** với đúng "
        "hồ sơ đã tạo lần đầu (cùng mã), không tạo hồ sơ mới. Tệp sai loại hoặc thông tin sai: 400, không tạo gì."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["procedure", "applicant"],
                        "properties": {
                            "procedure": {"type": "string", "example": "1.000010"},
                            "applicant": {
                                "type": "string",
                                "description": "JSON",
                                "example": json.dumps(
                                    {
                                        "kind": "citizen",
                                        "name": "Nguyễn Văn An",
                                        "id_number": "001090000001",
                                        "phone": "0912345678",
                                        "email": "an@example.vn",
                                        "address": "Bình Sơn",
                                    },
                                    ensure_ascii=False,
                                ),
                            },
                            "return_method": {"type": "string", "enum": ["online", "counter", "post"]},
                            "agency": {"type": "string", "example": "000.00.10.H99"},
                            "return_point": {"type": "string", "example": "000.01.01.H99"},
                        },
                        "additionalProperties": {"type": "string", "format": "binary"},
                    }
                }
            },
        }
    },
)
def dossier_create(request, idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    user = request.auth
    procedure = _form_field(request, "procedure", _("mã thủ tục"), limit=field_max_length(Procedure, "code"))
    check_length(idempotency_key or "", name="Idempotency-Key", limit=field_max_length(Dossier, "idempotency_key"))
    applicant = _form_field(request, "applicant", _("thông tin người nộp, dạng JSON"))
    found = procedure_for_intake(code=procedure)
    if found is None:
        raise ApplicationError(
            _("Không tìm thấy thủ tục có mã %(code)s.") % {"code": procedure}, code="procedure_not_found"
        )
    dossier, created = dossier_submit_online(
        user=user,
        procedure=found,
        # Found among the procedure's offerings (no read of its own); refused there when none matches.
        agency_code=_agency_code(request, "agency"),
        return_point=_agency_field(request, "return_point"),
        applicant=_applicant(applicant),
        return_method=_return_method(request, default="online"),
        documents=_documents(request),
        idempotency_key=idempotency_key or "",
        ip=client_ip(request),
    )
    # A new dossier knows what it holds (`remember_fresh`); a repeated key reads the stored one.
    shown = dossier if created else _get_visible(request, dossier.code)
    return StatusResponse(201 if created else 200, _detail(shown, user))


def _counter_documents(request) -> list[DocumentInput]:
    """Per component (its id as field name): an uploaded scan, or the text `paper=1` (also
    `paper_<id>=1`) when the paper copy was handed in."""
    documents = {d.component_id: d for d in _documents(request)}
    for name, value in request.POST.items():
        key = name.removeprefix("paper_")
        if not key.isdigit():
            continue
        if (name.startswith("paper_") and value.strip() == "1") or value.strip() == "paper=1":
            item = documents.setdefault(int(key), DocumentInput(component_id=int(key)))
            item.paper = True
        else:
            raise ApplicationError(
                _("Trường %(field)s: gửi tệp, hoặc paper=1 khi nhận bản giấy.") % {"field": name},
                code="invalid_file_field",
            )
    return list(documents.values())


@router.post(
    "/counter",
    response={201: DossierOut, **ERRORS},
    summary="Tiếp nhận hồ sơ tại quầy (cán bộ Một cửa của trung tâm, xã hoặc cơ quan)",
    description=(
        "`multipart/form-data`: `procedure` (mã thủ tục); `agency` (mã cơ quan giải quyết, bắt buộc khi thủ tục do "
        "nhiều cơ quan thực hiện); `applicant` (JSON như khi nộp trực tuyến); `return_method` (`counter` | `post` | "
        "`online`); `return_point` (mã trung tâm hoặc xã nơi trả kết quả, mặc định nơi tiếp nhận); và cho mỗi thành "
        "phần hồ sơ (tên trường là `id` của thành phần) một tệp bản quét, hoặc giá trị `paper=1` khi nhận bản giấy. "
        "Cán bộ Một cửa của Trung tâm Phục vụ hành chính công hoặc của xã tiếp nhận cho mọi cơ quan của tỉnh; nơi "
        "tiếp nhận (`received_by`) là cơ quan của cán bộ, mã hồ sơ theo mã định danh và số thứ tự trong ngày của nơi "
        "tiếp nhận. Hồ sơ được tiếp nhận: 201 với hồ sơ. Thiếu giấy tờ bắt buộc hoặc sai dữ liệu: 400, không tạo gì."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["procedure", "applicant"],
                        "properties": {
                            "procedure": {"type": "string", "example": "1.001193"},
                            "agency": {"type": "string", "example": "000.01.02.H99"},
                            "applicant": {"type": "string", "description": "JSON"},
                            "return_method": {"type": "string", "enum": ["online", "counter", "post"]},
                            "return_point": {"type": "string", "example": "000.01.01.H99"},
                        },
                        "additionalProperties": {"type": "string"},
                    }
                }
            },
        }
    },
)
def dossier_counter(request):
    user = request.auth
    code = _form_field(request, "procedure", _("mã thủ tục"), limit=field_max_length(Procedure, "code"))
    applicant = _form_field(request, "applicant", _("thông tin người nộp, dạng JSON"))
    procedure = procedure_get_published(code=code)
    if procedure is None:
        raise ApplicationError(_("Không tìm thấy thủ tục có mã %(code)s.") % {"code": code}, code="procedure_not_found")
    dossier = dossier_counter_intake(
        officer=user,
        procedure=procedure,
        agency=_agency_field(request, "agency"),
        return_point=_agency_field(request, "return_point"),
        applicant=_applicant(applicant),
        return_method=_return_method(request, default="counter"),
        documents=_counter_documents(request),
        decision="receive",
        ip=client_ip(request),
    )
    return StatusResponse(201, _detail(_get_visible(request, dossier.code), user))


@router.get(
    "",
    response={200: DossierListOut, **ERRORS},
    summary="Danh sách hồ sơ người gọi được xem (lọc theo trạng thái, ngày tiếp nhận; phân trang)",
    description=(
        "Công dân, doanh nghiệp: hồ sơ của mình. Cán bộ Một cửa, lãnh đạo: hồ sơ của cơ quan. Chuyên viên, "
        "trưởng phòng: hồ sơ đã qua đơn vị mình. `received_from`, `received_to`: ngày dd/mm/yyyy hoặc yyyy-mm-dd "
        f"(tính cả hai đầu). {PAGE_SIZE} hồ sơ mỗi trang."
    ),
)
def dossier_list_view(
    request,
    status: str = "",
    received_from: str | None = None,
    received_to: str | None = None,
    page: str | None = None,
):
    status = status.strip()
    if status and status not in Status.values:
        raise ApplicationError(
            _("Trạng thái “%(status)s” không hợp lệ; chọn một trong: %(values)s.")
            % {"status": status, "values": ", ".join(Status.values)},
            code="invalid_status",
        )
    start_day = _day(received_from, name="received_from")
    end_day = _day(received_to, name="received_to")
    if start_day and end_day and start_day > end_day:
        raise ApplicationError(_("received_from không được sau received_to."), code="invalid_date_range")
    number = _page_number(page)
    qs = dossier_list(user=request.auth, status=status, received_from=start_day, received_to=end_day)
    start = (number - 1) * PAGE_SIZE
    return {
        "count": qs.count(),
        "page": number,
        "page_size": PAGE_SIZE,
        "items": [_item(d) for d in qs[start : start + PAGE_SIZE]],
    }


@router.get(
    "/{code}",
    response={200: DossierOut, **ERRORS},
    summary="Một hồ sơ: trạng thái, thời hạn, bước hiện tại, lịch sử và các thao tác người gọi được làm",
)
def dossier_detail(request, code: str):
    dossier = _get_visible(request, code)
    dossier_record_view(dossier=dossier, user=request.auth, ip=client_ip(request))
    return _detail(dossier, request.auth)


@router.post(
    "/{code}/actions/{action}",
    response={200: DossierOut, **ERRORS},
    summary="Thực hiện một thao tác trên hồ sơ (một trong available_actions)",
    description=(
        "Thân yêu cầu JSON: `comment` (ý kiến, lý do), `assignee` (tên đăng nhập, với `assign`), `items` (danh "
        "sách giấy tờ cần bổ sung, với `request_supplement`), `new_due_at` (ISO 8601, với `apologize`), "
        "`return_method` (với `return_result`), `expected_status` (trạng thái người gọi đang thấy: nếu hồ sơ đã "
        "đổi trạng thái thì 409). Với `supplement` có thể gửi `multipart/form-data`: các trường trên và một tệp "
        "cho mỗi thành phần bổ sung, tên trường là `id` của thành phần.\n\n"
        "Thao tác không hợp lệ ở trạng thái hiện tại: 409; người gọi không có quyền: 403; hồ sơ không thay đổi."
    ),
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": ActionIn.model_json_schema()},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"comment": {"type": "string"}},
                        "additionalProperties": {"type": "string", "format": "binary"},
                    }
                },
            }
        }
    },
)
def dossier_action(request, code: str, action: str):
    dossier = _get_visible(request, code)
    if action not in API_ACTIONS:
        raise ApplicationError(
            _("Thao tác “%(action)s” không tồn tại; chọn một trong: %(values)s.")
            % {"action": action, "values": ", ".join(API_ACTIONS)},
            code="unknown_action",
        )
    if request.FILES and action != Action.SUPPLEMENT:
        raise ApplicationError(_("Chỉ thao tác bổ sung hồ sơ (supplement) mới nhận tệp."), code="files_not_expected")
    payload = _action_input(request)
    expected = (payload.expected_status or "").strip() or None
    if expected and expected not in Status.values:
        raise ApplicationError(_("expected_status không phải trạng thái hợp lệ."), code="invalid_status")
    data = ActionInput(
        comment=payload.comment,
        assignee=payload.assignee,
        items=payload.items,
        new_due_at=parse_moment(payload.new_due_at, name="new_due_at") if payload.new_due_at else None,
        return_method=payload.return_method.strip(),
        documents=_documents(request),
    )
    dossier_act(
        dossier=dossier,
        actor=request.auth,
        action=action,
        data=data,
        ip=client_ip(request),
        expected_status=expected,
    )
    refreshed = dossier_get(user=request.auth, code=code)
    if refreshed is None:  # acting took the dossier out of the caller's sight
        raise _not_found()
    return _detail(refreshed, request.auth)


@router.get(
    "/{code}/documents/{form}",
    response={**ERRORS},
    summary="Tải biểu mẫu của hồ sơ (PDF)",
    description="`form`: " + ", ".join(f"`{f}`" for f in FORMS) + ".",
    openapi_extra={"responses": {200: {"description": "PDF", "content": {"application/pdf": {}}}}},
)
def dossier_document(request, code: str, form: str):
    dossier = _get_visible(request, code)
    if form not in FORMS:
        raise NotFound(
            _("Không có biểu mẫu “%(form)s”; chọn một trong: %(values)s.") % {"form": form, "values": ", ".join(FORMS)},
            code="form_not_found",
        )
    response = HttpResponse(render_form(dossier=dossier, form=form), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{form}-{dossier.code}.pdf"'
    return response


@router.get(
    "/{code}/status",
    auth=None,
    response={200: PublicStatusOut, 404: ErrorOut, 429: ErrorOut},
    summary="Tra cứu công khai tình trạng hồ sơ theo mã (không cần đăng nhập)",
    description=(
        "Chỉ gồm trạng thái, mốc thời gian và tên người nộp đã che (N*** V** A*); không có số định danh, điện "
        "thoại, thư điện tử. Giới hạn số lần tra cứu mỗi phút cho mỗi địa chỉ IP (vượt: 429)."
    ),
)
def dossier_status(request, code: str):
    rate_limit(
        scope="dossier_status",
        key=client_ip(request) or "-",
        limit=settings.CCHC_LOOKUP_RATE_PER_MINUTE,
        message=_("Bạn đã tra cứu quá nhiều lần; vui lòng thử lại sau một phút."),
    )
    found = dossier_public_status_row(code=code.strip())
    if found is None:
        raise _not_found()
    # Rendered as the API's renderer does (UTF-8 text, no \u escapes), without django-ninja validating
    # the answer again against PublicStatusOut: built here from plain values in its shape (the contract
    # test checks it against the schema), that cost the lookup a fifth of its Python time.
    return JsonResponse(
        _public_status(found), json_dumps_params={"ensure_ascii": False}, content_type="application/json; charset=utf-8"
    )


def _public_status(found: PublicStatus) -> dict:
    return {
        "code": found.code,
        "status": found.status,
        "status_label": _label(Status, found.status),
        "procedure": found.procedure,
        "agency": found.agency,
        "applicant": mask_name(found.applicant_name),
        "received_at": iso(found.received_at),
        "due_at": iso(found.due_at),
        "finished_at": iso(found.finished_at),
        "current_step": _public_step(found),
        "timeline": [
            {
                "at": iso(at),
                "action": action,
                "action_label": _label(Action, action),
                "status": to_status,
                "status_label": _label(Status, to_status),
                "step_name": step_name,
            }
            for at, action, to_status, _order, step_name in found.events
        ],
    }


def _public_step(found: PublicStatus) -> dict | None:
    step = public_current_step(found)
    return {"order": step[0], "name": step[1]} if step else None
