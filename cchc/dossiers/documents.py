"""Statutory documents of a dossier as PDF (WeasyPrint) and the tracking book.

Every dossier prints the forms of the regime in force when it was received
(`Dossier.regime`: Circular 01/2018/TT-VPCP or 03/2025/TT-VPCP), laid out as Decree
30/2020/NĐ-CP asks: parent body and agency top left, national title top right, the place
and date line, the title in bold capitals, a Times-compatible serif font that covers
Vietnamese (installed by `bin/system-deps`, never committed).

Reads only: nothing here changes a dossier. A form that does not apply to a dossier
(a refusal for a dossier never refused, a stop notice under the 2018 regime …) is a
`NotFound` with a Vietnamese message, so views and the API answer 404 for it.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter

from cchc.accounts.models import Agency, Unit
from cchc.accounts.roles import Role
from cchc.core import clock
from cchc.core.calendar import VN_TZ
from cchc.core.errors import ApplicationError, NotFound
from cchc.core.templatetags.cchc_format import vn_datetime
from cchc.core.xlsx import xlsx_bytes
from cchc.procedures.selectors import process_steps

from .models import Apology, ApplicantKind, Dossier, DossierDocument, DossierStep
from .regimes import FormSpec, Regime, regime_at, regime_by_code
from .workflow import FINAL, Action, Status

FORMS = ("receipt", "supplement_request", "refusal", "apology", "stop_notice", "control_slip")

# ---------------------------------------------------------------- shared pieces


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment, VN_TZ)


def date_line(place: str, moment: datetime | date) -> str:
    """`Bình Sơn, ngày 05 tháng 3 năm 2026`: Decree 30 writes a leading zero for days
    below 10 and for January and February, and for no other month."""
    day = _local(moment).date() if isinstance(moment, datetime) else moment
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
        "place": place or "……",
        "day": f"{day.day:02d}",
        "month": month,
        "year": day.year,
    }


def _heading(agency: Agency, regime: Regime, spec: FormSpec, issued_at: datetime | date) -> dict:
    return {
        "agency": agency,
        "parent_name": agency.parent_name.upper(),
        "agency_name": agency.name.upper(),
        "regime": regime,
        "form": spec,
        "form_number": _("Mẫu số %(number)s") % {"number": spec.number},
        "circular": regime.circular,
        "title": str(spec.title).upper(),
        "date_line": date_line(agency.place_name, issued_at),
        "copies": [""],
    }


def _pdf(template: str, context: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only PDF work needs.
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf()


def _not_applicable(message: str) -> NotFound:
    return NotFound(message, code="form_not_applicable")


def _person(user) -> str:
    return str(user) if user is not None else ""


def _unit_name(unit: Unit | None, role: str = "") -> str:
    if unit is not None:
        return unit.name
    return str(Role(role).label) if role in Role.values else ""


def _book_entry(dossier: Dossier) -> tuple[int, int]:
    """(year, number) of the dossier in the agency's tracking book: the book runs per calendar
    year, in order of reception, the order `tracking_book_rows` numbers its rows in."""
    received = _local(dossier.received_at)
    year_start = datetime(received.year, 1, 1, tzinfo=VN_TZ)
    number = Dossier.objects.filter(
        Q(received_at__lt=dossier.received_at) | Q(received_at=dossier.received_at, pk__lte=dossier.pk),
        agency_id=dossier.agency_id,
        received_at__gte=year_start,
    ).count()
    return received.year, number


# ---------------------------------------------------------------- the forms


def _load(dossier: Dossier) -> Dossier:
    documents = DossierDocument.objects.select_related("component").order_by("component__order", "pk")
    return (
        Dossier.objects.select_related("agency", "procedure", "procedure_version__unit", "received_by__unit")
        .prefetch_related(Prefetch("documents", queryset=documents))
        .get(pk=dossier.pk)
    )


def _applicant(dossier: Dossier) -> dict:
    business = dossier.applicant_kind == ApplicantKind.BUSINESS
    return {
        "name": dossier.applicant_name,
        "identifier_label": _("Mã số thuế") if business else _("Số định danh cá nhân"),
        "identifier": dossier.applicant_identifier,
        "phone": dossier.applicant_phone,
        "email": dossier.applicant_email,
        "address": dossier.applicant_address,
        "address_form": _("Tổ chức") if business else _("Ông/Bà"),
    }


def _receipt(dossier: Dossier) -> tuple[datetime, dict]:
    if dossier.received_at is None:
        raise _not_applicable(_("Hồ sơ chưa được tiếp nhận nên chưa có Giấy tiếp nhận hồ sơ và hẹn trả kết quả."))
    receiving_unit = dossier.received_by.unit if dossier.received_by and dossier.received_by.unit else None
    if receiving_unit is None:
        first = dossier.steps.select_related("unit").filter(order=1).first()
        receiving_unit = first.unit if first else None
    documents = []
    for document in dossier.documents.all():
        if document.reused:
            how = _("Tái sử dụng từ kho dữ liệu")
        elif document.paper_received and document.digitised:
            how = _("Bản giấy, đã số hóa")
        elif document.paper_received:
            how = _("Bản giấy")
        else:
            how = _("Bản điện tử")
        documents.append({"document": document, "component": document.component, "how": how})
    version = dossier.procedure_version
    year, number = _book_entry(dossier)
    return dossier.received_at, {
        "receiving_unit": receiving_unit.name if receiving_unit else "",
        "documents": documents,
        "sets": f"{dossier.sets:02d}",
        "time_limit": f"{version.time_limit_value} {version.get_time_limit_unit_display()}",
        "appointment": vn_datetime(dossier.original_due_at or dossier.due_at),
        "return_method": dossier.get_return_method_display(),
        "book_year": year,
        "book_number": number,
        "receiver": _person(dossier.received_by),
        "copies": [_("Liên 1: Lưu tại Bộ phận Một cửa"), _("Liên 2: Giao người nộp hồ sơ")],
    }


def _supplement_request(dossier: Dossier) -> tuple[datetime, dict]:
    request = dossier.supplement_requests.select_related("requested_by").order_by("-requested_at", "-pk").first()
    if request is None:
        raise _not_applicable(_("Hồ sơ không có yêu cầu bổ sung, hoàn thiện nào."))
    officer = request.requested_by
    return request.requested_at, {
        "request": request,
        "items": [str(item) for item in request.items],
        "officer": _person(officer),
        "officer_phone": officer.phone or dossier.agency.phone,
    }


def _refusal(dossier: Dossier) -> tuple[datetime, dict]:
    # Refused at reception (REFUSE) or refused after appraisal (NOT_APPROVE): form 03 covers both.
    event = (
        dossier.events.select_related("actor")
        .filter(action__in=[Action.REFUSE, Action.NOT_APPROVE])
        .order_by("-at", "-pk")
        .first()
    )
    if event is None:
        raise _not_applicable(_("Hồ sơ không bị từ chối tiếp nhận, giải quyết nên không có phiếu từ chối."))
    at_reception = event.action == Action.REFUSE
    return event.at, {
        "event": event,
        "at_reception": at_reception,
        "reason": event.reason or dossier.decision_reason,
        "signer": _person(event.actor),
        "signer_title": _("NGƯỜI TIẾP NHẬN HỒ SƠ") if at_reception else _("THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ"),
    }


def _apology(dossier: Dossier) -> tuple[datetime, dict]:
    apology = Apology.objects.select_related("issued_by").filter(dossier=dossier).first()
    if apology is None:
        raise _not_applicable(_("Hồ sơ chưa có phiếu xin lỗi và hẹn lại ngày trả kết quả."))
    return apology.issued_at, {
        "apology": apology,
        "old_appointment": vn_datetime(apology.old_due_at),
        "new_appointment": vn_datetime(apology.new_due_at),
        "signer": _person(apology.issued_by),
    }


def _stop_notice(dossier: Dossier) -> tuple[datetime, dict]:
    event = dossier.events.select_related("actor").filter(action=Action.STOP).order_by("-at", "-pk").first()
    if event is None:
        raise _not_applicable(_("Hồ sơ không bị dừng xử lý nên không có thông báo dừng xử lý."))
    return event.at, {"event": event, "reason": event.reason or dossier.decision_reason, "signer": _person(event.actor)}


def _control_slip(dossier: Dossier) -> tuple[datetime, dict]:
    if dossier.received_at is None:
        raise _not_applicable(_("Hồ sơ chưa được tiếp nhận nên chưa có phiếu kiểm soát quá trình giải quyết."))
    runs = list(
        DossierStep.objects.filter(dossier=dossier)
        .select_related("process_step", "unit", "assignee", "finished_by")
        .order_by("started_at", "pk")
    )
    rows = []
    for index, run in enumerate(runs):
        following = runs[index + 1] if index + 1 < len(runs) else None
        if following is not None:
            to_unit, to_person = _unit_name(following.unit, following.role), _person(following.assignee)
        elif run.finished_at and dossier.status == Status.RETURNED:
            to_unit, to_person = _("Người nộp hồ sơ"), dossier.applicant_name
        elif run.finished_at and dossier.status in FINAL:  # withdrawn or stopped: nobody takes it over
            to_unit, to_person = str(Status(dossier.status).label), ""
        else:
            to_unit, to_person = "", ""
        rows.append(
            {
                "run": run,
                "from_unit": _unit_name(run.unit, run.role),
                "from_person": _person(run.finished_by or run.assignee),
                "to_unit": to_unit,
                "to_person": to_person,
                "handed_over": vn_datetime(run.finished_at) if run.finished_at else _("Đang xử lý"),
                "result": run.get_outcome_display() if run.outcome else "",
            }
        )
    version = dossier.procedure_version
    lead = version.unit
    skip = {Unit.Kind.ONE_STOP, Unit.Kind.LEADERSHIP}
    coordinating = []
    for step in process_steps(version, dossier.agency_id).select_related("unit").order_by("order"):
        unit = step.unit
        if unit is not None and unit.pk != lead.pk and unit.kind not in skip and unit.name not in coordinating:
            coordinating.append(unit.name)
    return dossier.received_at, {
        "rows": rows,
        "lead_unit": lead.name,
        "coordinating_units": "; ".join(coordinating) or _("Không"),
    }


_BUILDERS = {
    "receipt": _receipt,
    "supplement_request": _supplement_request,
    "refusal": _refusal,
    "apology": _apology,
    "stop_notice": _stop_notice,
    "control_slip": _control_slip,
}


@translation.override("vi")  # statutory documents are in Vietnamese whatever the page language
def render_form(*, dossier: Dossier, form: str) -> bytes:
    """The statutory form `form` (one of `FORMS`) of `dossier` as a PDF, in the numbering and
    wording of the dossier's regime. Raises `NotFound` when the form does not apply."""
    if form not in _BUILDERS:
        raise NotFound(_("Không có mẫu văn bản này."), code="unknown_form")
    dossier = _load(dossier)
    regime = regime_by_code(dossier.regime)
    spec = regime.form(form)
    if spec is None:
        raise _not_applicable(
            _("Hồ sơ này áp dụng %(circular)s, không có mẫu văn bản này.") % {"circular": regime.circular}
        )
    issued_at, extra = _BUILDERS[form](dossier)
    context = {
        **_heading(dossier.agency, regime, spec, issued_at),
        "dossier": dossier,
        "applicant": _applicant(dossier),
        "procedure": dossier.procedure_version,
        "procedure_code": dossier.procedure.code,
        "received": vn_datetime(dossier.received_at),
        "appointment": vn_datetime(dossier.due_at),
        **extra,
    }
    return _pdf(f"dossiers/pdf/{form}.html", context)


# ---------------------------------------------------------------- the tracking book


@dataclass(frozen=True)
class BookRow:
    """One line of the dossier tracking book (2018 form 06, 2025 form 07)."""

    number: int  # the entry number in the agency's book of the year
    code: str
    procedure: str
    sets: int
    applicant: str
    contact: str
    lead_unit: str
    received_at: datetime
    due_at: datetime | None
    sent_at: datetime | None  # handed from the counter to processing
    result_at: datetime | None  # result back at the counter
    returned_at: datetime | None
    note: str


BOOK_PDF_MAX_ROWS = 1000

BOOK_HEADERS = (
    gettext_lazy("STT"),
    gettext_lazy("Mã hồ sơ"),
    gettext_lazy("Tên thủ tục hành chính"),
    gettext_lazy("Số lượng hồ sơ (bộ)"),
    gettext_lazy("Tên cá nhân, tổ chức"),
    gettext_lazy("Địa chỉ, số điện thoại"),
    gettext_lazy("Cơ quan chủ trì giải quyết"),
    gettext_lazy("Nhận hồ sơ"),
    gettext_lazy("Hẹn trả kết quả"),
    gettext_lazy("Chuyển hồ sơ đến cơ quan giải quyết"),
    gettext_lazy("Nhận kết quả từ cơ quan giải quyết"),
    gettext_lazy("Trả kết quả cho cá nhân, tổ chức"),
    gettext_lazy("Ký nhận"),
    gettext_lazy("Ghi chú"),
)


def _range(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    if date_from > date_to:
        raise ApplicationError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."), code="invalid_range")
    start = datetime.combine(date_from, time.min, tzinfo=VN_TZ)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=VN_TZ)
    return start, end


def _book_note(dossier: Dossier) -> str:
    notes = []
    apology = getattr(dossier, "apology", None)  # select_related: no query, None when absent
    if apology is not None:
        notes.append(_("Xin lỗi, hẹn lại %(at)s") % {"at": vn_datetime(apology.new_due_at)})
    if dossier.status == Status.WAITING_SUPPLEMENT or (dossier.status in FINAL and dossier.status != Status.RETURNED):
        notes.append(Status(dossier.status).label)
    return "; ".join(str(n) for n in notes)


@translation.override("vi")
def tracking_book_rows(*, agency: Agency, date_from: date, date_to: date) -> list[BookRow]:
    """The agency's dossiers received between `date_from` and `date_to` (inclusive, Vietnam
    time), in order of reception. One query for the rows whatever their number, plus one per
    calendar year in the range to continue the year's entry numbers."""
    start, end = _range(date_from, date_to)
    sent = (
        DossierStep.objects.filter(dossier=OuterRef("pk"), order=1, finished_at__isnull=False)
        .order_by("finished_at")
        .values("finished_at")[:1]
    )
    dossiers = (
        Dossier.objects.filter(agency=agency, received_at__gte=start, received_at__lt=end)
        .select_related("procedure_version__unit", "apology")
        .annotate(sent_at=Subquery(sent))
        .order_by("received_at", "pk")
    )
    rows: list[BookRow] = []
    numbers: dict[int, int] = {}
    for dossier in dossiers:
        year = _local(dossier.received_at).year
        if year not in numbers:
            # Entries of the year received before the range (the range may start mid-year).
            numbers[year] = Dossier.objects.filter(
                agency=agency,
                received_at__gte=datetime(year, 1, 1, tzinfo=VN_TZ),
                received_at__lt=max(start, datetime(year, 1, 1, tzinfo=VN_TZ)),
            ).count()
        numbers[year] += 1
        contact = ", ".join(p for p in (dossier.applicant_address, dossier.applicant_phone) if p)
        rows.append(
            BookRow(
                number=numbers[year],
                code=dossier.code or "",
                procedure=dossier.procedure_version.name,
                sets=dossier.sets,
                applicant=dossier.applicant_name,
                contact=contact,
                lead_unit=dossier.procedure_version.unit.name,
                received_at=dossier.received_at,
                due_at=dossier.due_at,
                sent_at=dossier.sent_at,
                result_at=dossier.finished_at,
                returned_at=dossier.returned_at,
                note=_book_note(dossier),
            )
        )
    return rows


def _book_regime(date_to: date) -> tuple[Regime, FormSpec]:
    """A book spanning the change of regime takes the numbering in force at its last day."""
    regime = regime_at(datetime.combine(date_to, time.max, tzinfo=VN_TZ))
    return regime, regime.form("tracking_book")


def _range_line(date_from: date, date_to: date) -> str:
    return _("Từ ngày %(start)s đến ngày %(end)s") % {"start": f"{date_from:%d/%m/%Y}", "end": f"{date_to:%d/%m/%Y}"}


def _excel_time(moment: datetime | None) -> datetime | None:
    # Excel has no time zones: write the Vietnam wall-clock time.
    return _local(moment).replace(tzinfo=None) if moment else None


@translation.override("vi")
def tracking_book_xlsx(*, agency: Agency, date_from: date, date_to: date) -> bytes:
    """The tracking book as a spreadsheet: title rows, a frozen header, one row per dossier."""
    rows = tracking_book_rows(agency=agency, date_from=date_from, date_to=date_to)
    regime, spec = _book_regime(date_to)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Sổ theo dõi hồ sơ")[:31]
    columns = len(BOOK_HEADERS)
    last = get_column_letter(columns)
    titles = [
        (f"{agency.parent_name.upper()} – {agency.name.upper()}" if agency.parent_name else agency.name.upper(), 11),
        (str(spec.title).upper(), 14),
        (_("Mẫu số %(number)s") % {"number": spec.number} + f" – {regime.circular}", 10),
        (_range_line(date_from, date_to), 11),
    ]
    for index, (text, size) in enumerate(titles, start=1):
        sheet.merge_cells(f"A{index}:{last}{index}")
        cell = sheet.cell(row=index, column=1, value=text)
        cell.font = Font(name="Times New Roman", size=size, bold=index <= 2, italic=index >= 3)
        cell.alignment = Alignment(horizontal="center")
    header_row = len(titles) + 2
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for column, header in enumerate(BOOK_HEADERS, start=1):
        cell = sheet.cell(row=header_row, column=column, value=str(header))
        cell.font = Font(name="Times New Roman", size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    sheet.row_dimensions[header_row].height = 45
    # Named styles: one style record for thousands of cells instead of one per cell.
    body = NamedStyle("book_body", font=Font(name="Times New Roman", size=11), border=border)
    body.alignment = Alignment(vertical="top", wrap_text=True)
    moment = NamedStyle("book_moment", font=body.font, border=border, number_format="dd/mm/yyyy hh:mm")
    moment.alignment = Alignment(vertical="top", horizontal="center")
    workbook.add_named_style(body)
    workbook.add_named_style(moment)
    moment_columns = {8, 9, 10, 11, 12}
    for offset, row in enumerate(rows, start=1):
        values = (
            row.number,
            row.code,
            row.procedure,
            row.sets,
            row.applicant,
            row.contact,
            row.lead_unit,
            _excel_time(row.received_at),
            _excel_time(row.due_at),
            _excel_time(row.sent_at),
            _excel_time(row.result_at),
            _excel_time(row.returned_at),
            "",
            row.note,
        )
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=header_row + offset, column=column, value=value)
            cell.style = "book_moment" if column in moment_columns else "book_body"
    widths = (6, 28, 45, 9, 26, 34, 30, 16, 16, 16, 16, 16, 12, 28)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return xlsx_bytes(workbook)


def _code_parts(code: str) -> tuple[str, str]:
    """The code split after the agency identifier, where a narrow column may break it."""
    head, dash, tail = code.partition("-")
    return head + dash, tail


def _book_moment(moment: datetime | None) -> tuple[str, str]:
    if moment is None:
        return "", ""
    local = _local(moment)
    return f"{local:%d/%m/%Y}", f"{local:%H:%M}"


@translation.override("vi")
def tracking_book_pdf(*, agency: Agency, date_from: date, date_to: date) -> bytes:
    """The tracking book on landscape A4, its header repeated on every page.

    WeasyPrint lays out a table row in 15–25 ms, so a book longer than `BOOK_PDF_MAX_ROWS`
    is refused with a message pointing to a shorter range or the spreadsheet."""
    rows = tracking_book_rows(agency=agency, date_from=date_from, date_to=date_to)
    if len(rows) > BOOK_PDF_MAX_ROWS:
        raise ApplicationError(
            _(
                "Khoảng thời gian này có %(count)s hồ sơ, vượt quá %(limit)s hồ sơ của một bản in PDF. "
                "Vui lòng chọn khoảng ngày ngắn hơn hoặc tải sổ dạng Excel."
            )
            % {"count": len(rows), "limit": BOOK_PDF_MAX_ROWS},
            code="book_too_long",
        )
    regime, spec = _book_regime(date_to)
    context = {
        **_heading(agency, regime, spec, clock.now()),
        "rows": [
            {
                "row": row,
                "code": _code_parts(row.code),
                "moments": [
                    _book_moment(moment)
                    for moment in (row.received_at, row.due_at, row.sent_at, row.result_at, row.returned_at)
                ],
            }
            for row in rows
        ],
        "headers": [str(h) for h in BOOK_HEADERS],
        "range_line": _range_line(date_from, date_to),
    }
    return _pdf("dossiers/pdf/tracking_book.html", context)
