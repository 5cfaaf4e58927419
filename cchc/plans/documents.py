"""Documents of plans and commitments: the commitment to be signed (PDF), and the monthly
briefing report (PDF and .xlsx). WeasyPrint is imported only where a PDF is made."""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from cchc.core import clock
from cchc.core.xlsx import xlsx_bytes
from cchc.dossiers.documents import date_line

from .models import Commitment
from .selectors import Briefing

STAMP_ANCHOR = "vi-tri-chu-ky-so"
CSS_PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels; PDF counts points
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class RenderedPdf:
    pdf: bytes
    stamp_page: int  # 0-based
    stamp_box: tuple[int, int, int, int]  # x1, y1, x2, y2 in points from the bottom left


def _heading(agency, title: str, moment) -> dict:
    return {
        "agency": agency,
        "parent_name": (agency.parent_name or "").upper(),
        "agency_name": agency.name.upper(),
        "form_number": "",
        "circular": "",
        "title": title,
        "date_line": date_line(agency.place_name, moment),
        "copies": [""],
    }


def _stamp_box(document) -> tuple[int, tuple[int, int, int, int]]:
    for index, page in enumerate(document.pages):
        if STAMP_ANCHOR in page.anchors:
            x1, y1, x2, y2 = page.anchors[STAMP_ANCHOR]
            height = page.height * CSS_PX_TO_PT
            return index, (
                round(x1 * CSS_PX_TO_PT),
                round(height - y2 * CSS_PX_TO_PT),
                round(x2 * CSS_PX_TO_PT),
                round(height - y1 * CSS_PX_TO_PT),
            )
    raise LookupError("The commitment template has no signature box")  # a template defect


@translation.override("vi")
def render_commitment(commitment: Commitment) -> RenderedPdf:
    """The commitment as it will be signed: targets, tasks, and the two signature blocks."""
    from weasyprint import HTML

    moment = commitment.countersigned_at or clock.now()
    context = {
        **_heading(
            commitment.agency,
            _("BẢN CAM KẾT THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM %(year)s") % {"year": commitment.year},
            moment,
        ),
        "commitment": commitment,
        "targets": list(commitment.targets.all()),
        "tasks": list(commitment.tasks.select_related("lead").order_by("deadline", "code")),
        "stamp_anchor": STAMP_ANCHOR,
    }
    document = HTML(string=render_to_string("plans/pdf/commitment.html", context)).render()
    page, box = _stamp_box(document)
    return RenderedPdf(pdf=document.write_pdf(), stamp_page=page, stamp_box=box)


def month_label(briefing: Briefing) -> str:
    return _("tháng %(month)s/%(year)s") % {"month": f"{briefing.month:02d}", "year": briefing.year}


def _met(value) -> str:
    if value is None:
        return "–"
    return _("Đạt") if value else _("Chưa đạt")


@translation.override("vi")
def briefing_pdf(briefing: Briefing) -> bytes:
    from weasyprint import HTML

    context = {
        **_heading(
            briefing.agency,
            _("BÁO CÁO GIAO BAN CẢI CÁCH HÀNH CHÍNH %(month)s") % {"month": month_label(briefing).upper()},
            clock.localdate(),
        ),
        "briefing": briefing,
        "month_label": month_label(briefing),
    }
    return HTML(string=render_to_string("plans/pdf/briefing.html", context)).write_pdf()


@translation.override("vi")
def briefing_xlsx(briefing: Briefing) -> bytes:
    """Three sheets: the targets (percentages as numbers), the tasks due in the month, the late tasks."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def table(sheet, title: str, headers: list[str], rows: list[list], widths: list[int], percent_columns=()):
        sheet.append([title])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([f"{briefing.unit.name} – {month_label(briefing)}"])
        sheet.append([])
        sheet.append(headers)
        for cell in sheet[4]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for row in rows:
            sheet.append(row)
        for row in sheet.iter_rows(min_row=5):
            for cell in row:
                cell.alignment = wrap
                if cell.column in percent_columns and isinstance(cell.value, float):
                    cell.number_format = "0.00"
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A5"

    targets = workbook.active
    targets.title = _("Chỉ tiêu")
    table(
        targets,
        _("Chỉ tiêu cam kết và kết quả thực hiện"),
        [
            _("STT"),
            _("Chỉ tiêu"),
            _("So sánh"),
            _("Mục tiêu (%)"),
            _("Kết quả trong tháng (%)"),
            _("Lũy kế từ đầu năm (%)"),
            _("Đánh giá lũy kế"),
            _("Nguồn số liệu"),
        ],
        [
            [
                n,
                row.label,
                "≥" if row.target.comparison == "gte" else "≤",
                float(row.target.target),
                None if row.month_value is None else round(float(row.month_value), 2),
                None if row.ytd_value is None else round(float(row.ytd_value), 2),
                _met(row.ytd_met),
                row.source,
            ]
            for n, row in enumerate(briefing.targets, start=1)
        ],
        [6, 48, 9, 12, 14, 14, 14, 40],
        percent_columns=(4, 5, 6),
    )

    def task_rows(tasks):
        return [
            [
                task.code,
                task.title,
                str(task.lead or ""),
                task.deadline,
                task.get_status_display(),
                task.progress,
                _("Trễ hạn") if task.is_late else "",
            ]
            for task in tasks
        ]

    headers = [
        _("Số TT"),
        _("Nhiệm vụ"),
        _("Người phụ trách"),
        _("Thời hạn"),
        _("Trạng thái"),
        _("Tiến độ (%)"),
        _("Ghi chú"),
    ]
    widths = [8, 60, 24, 12, 18, 11, 12]
    for title, tasks in (
        (_("Nhiệm vụ đến hạn trong tháng"), briefing.due),
        (_("Nhiệm vụ trễ hạn"), briefing.late),
    ):
        sheet = workbook.create_sheet(title[:31])
        table(sheet, title, headers, task_rows(tasks), widths)
        for row in sheet.iter_rows(min_row=5, min_col=4, max_col=4):
            for cell in row:
                cell.number_format = "DD/MM/YYYY"
    workbook.properties.title = _("Báo cáo giao ban cải cách hành chính")
    workbook.properties.creator = briefing.agency.name
    return xlsx_bytes(workbook)
