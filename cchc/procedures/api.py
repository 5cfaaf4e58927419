"""Catalogue endpoints: list, detail and appointment."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from cchc.core.api_utils import iso, parse_moment
from cchc.core.errors import ApplicationError, NotFound

from .form_templates import FORMATS as FORM_FORMATS
from .models import ProcedureVersion
from .selectors import (
    offering_agencies,
    offering_for,
    procedure_appointment,
    procedure_catalogue,
    procedure_get_published,
    process_steps,
)

router = Router(tags=["Thủ tục hành chính"])


class TimeLimitOut(Schema):
    value: int
    unit: str


class FeeOut(Schema):
    kind: str
    name: str
    amount: int
    online_amount: int | None


class ProcedureItemOut(Schema):
    code: str
    name: str
    field: str
    field_name: str
    level: int
    time_limit: TimeLimitOut
    fees: list[FeeOut]


class ProcedureListOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[ProcedureItemOut]


class NamedOut(Schema):
    code: str
    name: str


class FormTemplateFileOut(Schema):
    format: str
    file_name: str
    content_type: str
    url: str


class ComponentOut(Schema):
    id: int
    order: int
    name: str
    required: bool
    originals: int
    certified_copies: int
    copies: int
    template_name: str
    template_url: str | None
    templates: list[FormTemplateFileOut]
    online_form: bool
    note: str
    from_population_db: bool


class StepOut(Schema):
    order: int
    name: str
    unit: NamedOut | None
    role: str
    role_label: str
    hours: int


class VersionOut(Schema):
    number: int
    effective_from: str | None


class ProcedureDetailOut(ProcedureItemOut):
    level_label: str
    agency: NamedOut  # the agency asked for with ?agency=, else the procedure's own
    agencies: list[NamedOut]  # every agency that offers it (communes by name)
    local_note: str
    unit: NamedOut
    applicants: str
    requirements: str
    time_limit_hours: int | None  # None for a limit in calendar days ("unit": "calendar_days")
    result_type: str
    result_name: str
    payment_stage: str
    legal_basis: list[str]
    components: list[ComponentOut]
    steps: list[StepOut]
    version: VersionOut


class AppointmentOut(Schema):
    received_at: str
    counted_from: str
    due_at: str


def _fees(version: ProcedureVersion) -> list[dict]:
    return [
        {"kind": f.kind, "name": f.name, "amount": f.amount, "online_amount": f.online_amount}
        for f in version.fees.all()
    ]


def _item(procedure) -> dict:
    version = procedure.current_version
    return {
        "code": procedure.code,
        "name": version.name,
        "field": version.field.code,
        "field_name": version.field.name,
        "level": version.online_level,
        "time_limit": {"value": version.time_limit_value, "unit": version.time_limit_unit},
        "fees": _fees(version),
    }


def _page_number(page: str | None) -> int:
    if page is None or page == "":
        return 1
    try:
        number = int(page)
    except ValueError:
        raise ApplicationError(_("Tham số page phải là số nguyên dương."), code="invalid_page") from None
    if number < 1:
        raise ApplicationError(_("Tham số page phải là số nguyên dương."), code="invalid_page")
    return number


def _level(level: str | None) -> int | None:
    if level is None or level == "":
        return None
    if level not in {"2", "3", "4"}:
        raise ApplicationError(_("Tham số level phải là 2, 3 hoặc 4."), code="invalid_level")
    return int(level)


@router.get("", response=ProcedureListOut, summary="Danh mục thủ tục hành chính (tìm không dấu, lọc, phân trang)")
def procedure_list(
    request,
    q: str = "",
    field: str = "",
    level: str | None = None,
    unit: str = "",
    agency: str = "",
    page: str | None = None,
):
    number = _page_number(page)
    size = settings.CCHC_CATALOGUE_PAGE_SIZE
    qs = procedure_catalogue(q=q, field=field, level=_level(level), unit=unit, agency=agency.strip())
    qs = qs.prefetch_related("current_version__fees")
    count = qs.count()
    start = (number - 1) * size
    return {
        "count": count,
        "page": number,
        "page_size": size,
        "items": [_item(p) for p in qs[start : start + size]],
    }


def _get(code: str):
    procedure = procedure_get_published(code=code)
    if procedure is None:
        raise NotFound(_("Không tìm thấy thủ tục có mã %(code)s.") % {"code": code}, code="procedure_not_found")
    return procedure


def _offering_agency(procedure, code: str):
    """The agency named by `?agency=` among those offering `procedure` (404 otherwise), or the
    procedure's own when none is named."""
    agencies = offering_agencies(procedure)
    if not code:
        return (agencies[0] if len(agencies) == 1 else procedure.agency), agencies
    for agency in agencies:
        if agency.code == code:
            return agency, agencies
    raise NotFound(
        _("Cơ quan có mã %(agency)s không thực hiện thủ tục %(code)s.") % {"agency": code, "code": procedure.code},
        code="agency_not_offering",
    )


def _form_of(component):
    return getattr(component, "form_template", None)


def _template_files(request, code: str, component) -> list[dict]:
    form = _form_of(component)
    if form is None:
        return []
    return [
        {
            "format": fmt,
            "file_name": form.file_name(fmt),
            "content_type": content_type,
            "url": request.build_absolute_uri(reverse("procedures:form_template", args=[code, component.pk, fmt])),
        }
        for fmt, content_type in FORM_FORMATS.items()
        if form.file_of(fmt) is not None
    ]


@router.get(
    "/{code}",
    response=ProcedureDetailOut,
    summary="Toàn bộ thông tin một thủ tục (với ?agency=: như cơ quan đó thực hiện)",
    description=(
        "`agencies` liệt kê mọi cơ quan thực hiện thủ tục. Với `agency` (mã cơ quan), đơn vị chủ trì, mức độ dịch vụ "
        "công, ghi chú và quy trình nội bộ là của cơ quan đó; cơ quan không thực hiện thủ tục: 404."
    ),
)
def procedure_detail(request, code: str, agency: str = ""):
    procedure = _get(code)
    version = procedure.current_version
    chosen, agencies = _offering_agency(procedure, agency.strip())
    offering = offering_for(procedure=procedure, agency=chosen)
    unit = offering.unit if offering is not None and offering.unit_id else version.unit
    level = offering.online_level_for(version) if offering is not None else version.online_level
    steps = version.steps.all() if offering is None else process_steps(version, chosen.pk).select_related("unit")
    data = _item(procedure)
    data.update(
        level=level,
        level_label=str(ProcedureVersion.OnlineLevel(level).label),
        agency={"code": chosen.code, "name": chosen.name},
        agencies=[{"code": a.code, "name": a.name} for a in agencies],
        local_note=offering.local_note if offering is not None else "",
        unit={"code": unit.code, "name": unit.name},
        applicants=version.applicants,
        requirements=version.requirements,
        time_limit_hours=version.time_limit_hours,
        result_type=version.result_type,
        result_name=version.result_name,
        payment_stage=version.payment_stage,
        legal_basis=version.legal_basis_lines,
        components=[
            {
                "id": c.pk,
                "order": c.order,
                "name": c.name,
                "required": c.required,
                "originals": c.originals,
                "certified_copies": c.certified_copies,
                "copies": c.copies,
                "from_population_db": c.from_population_db,
                "template_name": c.template_name,
                "template_url": (
                    request.build_absolute_uri(reverse("procedures:component_template", args=[procedure.code, c.pk]))
                    if c.template or _form_of(c) is not None
                    else None
                ),
                "templates": _template_files(request, procedure.code, c),
                "online_form": bool(_form_of(c) and _form_of(c).online),
                "note": c.note,
            }
            for c in version.components.all()
        ],
        steps=[
            {
                "order": s.order,
                "name": s.name,
                "unit": {"code": s.unit.code, "name": s.unit.name} if s.unit else None,
                "role": s.role,
                "role_label": s.get_role_display(),
                "hours": s.hours,
            }
            for s in steps
        ],
        version={"number": version.number, "effective_from": iso(version.effective_from)},
    )
    return data


@router.get(
    "/{code}/appointment",
    response=AppointmentOut,
    summary="Thời điểm hẹn trả kết quả nếu hồ sơ được tiếp nhận vào received_at",
)
def procedure_appointment_view(request, code: str, received_at: str | None = None):
    moment = parse_moment(received_at, name="received_at")
    procedure = _get(code)
    appointment = procedure_appointment(version=procedure.current_version, received_at=moment)
    return {
        "received_at": iso(appointment.received_at),
        "counted_from": iso(appointment.counted_from),
        "due_at": iso(appointment.due_at),
    }
