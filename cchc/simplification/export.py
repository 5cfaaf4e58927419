"""A review round as a spreadsheet (.xlsx): the procedures with their cost before and after and the
saving, the proposed changes, and the evidence from operations.

Numbers are numbers (VND with a thousands format, shares as percentages); the totals are written
as values, so every reader (and a reader that does not compute formulas) shows them right.
"""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from cchc.core.xlsx import xlsx_bytes

from .evidence import ProcedureEvidence
from .models import ReviewRound
from .selectors import RoundTotals, changes_of, review_figures, reviews_for, round_evidence

HEADER_ROW = 4
MONEY = "#,##0"
PERCENT = "0.00%"
HOURS = "0.00"
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")


def _percent(value) -> float | None:
    """77.44 -> 0.7744, shown as 77.44% by the cell's format."""
    return None if value is None else float(value) / 100


def _sheet(workbook, title: str, round: ReviewRound, headers: list[tuple[str, int]], *, first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.cell(row=1, column=1, value=f"{round.name} ({round.agency.name})").font = Font(bold=True, size=13)
    sheet.cell(
        row=2,
        column=1,
        value=_("Kỳ số liệu vận hành: %(start)s – %(end)s. Thu nhập bình quân tháng: %(income)s đồng.")
        % {
            "start": f"{round.period_start:%d/%m/%Y}",
            "end": f"{round.period_end:%d/%m/%Y}",
            "income": f"{round.monthly_income:,}".replace(",", "."),
        },
    ).font = Font(italic=True)
    for column, (label, width) in enumerate(headers, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[HEADER_ROW].height = 45
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    return sheet


def _write(sheet, row: int, values: list, formats: dict[int, str]) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        if column in formats:
            cell.number_format = formats[column]
        elif isinstance(value, str):
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def round_xlsx(*, user, round: ReviewRound) -> bytes:
    """The round as the user may see it (a unit head: their unit's procedures)."""
    workbook = Workbook()
    reviews = list(reviews_for(user=user, round=round))
    figures = [review_figures(r) for r in reviews]

    sheet = _sheet(
        workbook,
        _("Thủ tục rà soát"),
        round,
        [
            (_("STT"), 6),
            (_("Mã thủ tục"), 12),
            (_("Tên thủ tục"), 48),
            (_("Đơn vị chủ trì"), 24),
            (_("Số hồ sơ/năm"), 12),
            (_("Chi phí trước (đồng/hồ sơ)"), 16),
            (_("Chi phí sau (đồng/hồ sơ)"), 16),
            (_("Tỷ lệ cắt giảm"), 12),
            (_("Chi phí cả năm trước (đồng)"), 18),
            (_("Chi phí cả năm sau (đồng)"), 18),
            (_("Tiết kiệm cả năm (đồng)"), 18),
            (_("Trạng thái"), 14),
            (_("Kết luận"), 40),
        ],
        first=True,
    )
    money = {5: "#,##0", 6: MONEY, 7: MONEY, 8: PERCENT, 9: MONEY, 10: MONEY, 11: MONEY}
    row = HEADER_ROW
    for number, f in enumerate(figures, start=1):
        row += 1
        review = f.review
        _write(
            sheet,
            row,
            [
                number,
                review.procedure.code,
                review.version.name,
                review.version.unit.name,
                f.volume,
                f.before.total,
                f.after.total,
                _percent(f.saving_percent),
                f.annual_before,
                f.annual_after,
                f.annual_saving,
                review.get_status_display(),
                review.conclusion,
            ],
            money,
        )
    totals = RoundTotals(
        procedures=len(figures),
        annual_before=sum(f.annual_before for f in figures),
        annual_after=sum(f.annual_after for f in figures),
    )
    row += 1
    _write(
        sheet,
        row,
        [
            None,
            None,
            _("Tổng cộng (%(n)s thủ tục)") % {"n": totals.procedures},
            None,
            sum(f.volume for f in figures),
            None,
            None,
            _percent(totals.saving_percent),
            totals.annual_before,
            totals.annual_after,
            totals.annual_saving,
            None,
            None,
        ],
        money,
    )
    for column in range(1, 14):
        sheet.cell(row=row, column=column).font = Font(bold=True)
        sheet.cell(row=row, column=column).fill = TOTAL_FILL

    sheet = _sheet(
        workbook,
        _("Phương án đơn giản hóa"),
        round,
        [
            (_("STT"), 6),
            (_("Mã thủ tục"), 12),
            (_("Tên thủ tục"), 40),
            (_("Loại phương án"), 28),
            (_("Thành phần hồ sơ"), 36),
            (_("Thời hạn hiện hành"), 14),
            (_("Thời hạn mới"), 14),
            (_("Đơn vị thời hạn"), 16),
            (_("Nội dung phương án"), 48),
            (_("Lý do, căn cứ"), 48),
        ],
    )
    row, number = HEADER_ROW, 0
    for review in reviews:
        for change in changes_of(review):
            row, number = row + 1, number + 1
            _write(
                sheet,
                row,
                [
                    number,
                    review.procedure.code,
                    review.version.name,
                    change.get_kind_display(),
                    change.component.name if change.component_id else None,
                    review.version.time_limit_value,
                    change.new_time_limit_value,
                    review.version.get_time_limit_unit_display(),
                    change.description,
                    change.rationale,
                ],
                {},
            )

    sheet = _sheet(
        workbook,
        _("Bằng chứng vận hành"),
        round,
        [
            (_("Mã thủ tục"), 12),
            (_("Loại"), 16),
            (_("Thành phần / bước / thủ tục"), 48),
            (_("Số hồ sơ trong kỳ"), 12),
            (_("Số lần yêu cầu bổ sung"), 12),
            (_("Tỷ lệ hồ sơ phải bổ sung"), 12),
            (_("Số lần nộp"), 10),
            (_("Số lần tái sử dụng từ kho dữ liệu"), 14),
            (_("Tỷ lệ tái sử dụng"), 12),
            (_("Số lượt xử lý"), 10),
            (_("Giờ thực tế trung bình"), 12),
            (_("Giờ định mức"), 12),
            (_("Tỷ lệ lượt quá hạn"), 12),
            (_("Ứng viên đơn giản hóa"), 60),
        ],
    )
    formats = {
        4: MONEY,
        5: MONEY,
        6: PERCENT,
        7: MONEY,
        8: MONEY,
        9: PERCENT,
        10: MONEY,
        11: HOURS,
        12: HOURS,
        13: PERCENT,
    }
    row = HEADER_ROW
    for found in round_evidence(user=user, round=round):
        for values in _evidence_rows(found):
            row += 1
            _write(sheet, row, values, formats)

    workbook.properties.title = round.name
    workbook.properties.creator = round.agency.name
    return xlsx_bytes(workbook)


def _evidence_rows(found: ProcedureEvidence) -> list[list]:
    code = found.procedure.code
    rows = [
        [
            code,
            _("Thủ tục"),
            found.version.name,
            found.dossiers,
            None,
            None,
            None,
            None,
            None,
            found.finished,
            found.average_hours,
            found.limit_hours,
            None,
            " ".join(flag.reason for flag in found.procedure_flags) or None,
        ]
    ]
    for c in found.components:
        rows.append(
            [
                code,
                _("Thành phần hồ sơ"),
                c.name,
                found.dossiers,
                c.supplement_requests,
                _percent(c.supplement_share),
                c.documents,
                c.reused,
                _percent(c.reused_share),
                None,
                None,
                None,
                None,
                " ".join(flag.reason for flag in c.flags) or None,
            ]
        )
    for s in found.steps:
        rows.append(
            [
                code,
                _("Bước xử lý"),
                f"{s.order}. {s.name}",
                None,
                None,
                None,
                None,
                None,
                None,
                s.runs,
                s.average_hours,
                s.budget_hours,
                _percent(s.late_share),
                " ".join(flag.reason for flag in s.flags) or None,
            ]
        )
    return rows
