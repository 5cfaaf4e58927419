"""The catalogue as an Excel workbook, both ways.

One sheet per kind of row (procedures, fees, components, process steps), each row of
the detail sheets naming its procedure by code. Reading never touches the database:
it returns specs and the problems found, each with its sheet and row number.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from io import BytesIO
from zipfile import BadZipFile

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from cchc.core.text import fold
from cchc.core.xlsx import xlsx_bytes

from .rules import ComponentSpec, FeeSpec, ProcedureSpec, StepSpec

SHEET_PROCEDURES = "Thủ tục"
SHEET_FEES = "Phí, lệ phí"
SHEET_COMPONENTS = "Thành phần hồ sơ"
SHEET_STEPS = "Quy trình nội bộ"

PROCEDURE_COLUMNS = [
    ("code", "Mã thủ tục"),
    ("name", "Tên thủ tục"),
    ("field_code", "Mã lĩnh vực"),
    ("unit_code", "Mã đơn vị chủ trì"),
    ("applicants", "Đối tượng thực hiện"),
    ("time_limit_value", "Thời hạn giải quyết"),
    ("time_limit_unit", "Đơn vị thời hạn"),
    ("online_level", "Mức độ DVC (2, 3, 4)"),
    ("result_type", "Hình thức kết quả"),
    ("result_name", "Kết quả thực hiện"),
    ("payment_stage", "Thời điểm nộp phí"),
    ("legal_basis", "Căn cứ pháp lý (mỗi văn bản một dòng)"),
    ("requirements", "Yêu cầu, điều kiện"),
    ("annual_volume", "Số hồ sơ mỗi năm"),
]
FEE_COLUMNS = [
    ("code", "Mã thủ tục"),
    ("kind", "Loại (Phí / Lệ phí)"),
    ("name", "Tên khoản thu"),
    ("amount", "Mức thu (đồng)"),
    ("online_amount", "Mức thu trực tuyến (đồng)"),
]
COMPONENT_COLUMNS = [
    ("code", "Mã thủ tục"),
    ("name", "Tên giấy tờ"),
    ("required", "Bắt buộc (Có / Không)"),
    ("originals", "Bản chính"),
    ("certified_copies", "Bản sao chứng thực"),
    ("copies", "Bản sao"),
    ("template_name", "Tệp mẫu đơn"),
    ("note", "Ghi chú"),
    ("from_population_db", "Có trong CSDL dân cư (Có / Không)"),
]
# Columns added after the first workbooks were made: a file without them still reads (as "Không").
OPTIONAL_TAIL = {SHEET_COMPONENTS: 1, SHEET_STEPS: 1}
STEP_COLUMNS = [
    ("code", "Mã thủ tục"),
    ("name", "Nội dung công việc"),
    ("unit_code", "Mã đơn vị thực hiện"),
    ("role", "Vai trò thực hiện"),
    ("hours", "Thời gian (giờ làm việc)"),
    # Inter-agency (liên thông) processes: the code of the agency the step runs in, when not the one
    # resolving the dossier (its unit code is then one of that agency's units). Empty: the resolving agency.
    ("agency_code", "Mã cơ quan thực hiện (liên thông)"),
]
SHEETS = [
    (SHEET_PROCEDURES, PROCEDURE_COLUMNS),
    (SHEET_FEES, FEE_COLUMNS),
    (SHEET_COMPONENTS, COMPONENT_COLUMNS),
    (SHEET_STEPS, STEP_COLUMNS),
]

# Cell words for coded values, both ways. Reading also accepts the code itself.
TIME_UNIT_WORDS = {"working_days": "ngày làm việc", "working_hours": "giờ làm việc", "calendar_days": "ngày"}
RESULT_TYPE_WORDS = {"paper": "bản giấy", "electronic": "bản điện tử"}
PAYMENT_STAGE_WORDS = {"before_reception": "khi nộp hồ sơ", "before_result": "khi nhận kết quả"}
FEE_KIND_WORDS = {"fee": "Lệ phí", "charge": "Phí"}
ROLE_WORDS = {
    "one_stop_officer": "Cán bộ một cửa",
    "specialist": "Chuyên viên",
    "unit_head": "Trưởng phòng",
    "leader": "Lãnh đạo Sở",
}
YES_WORDS = {"co", "x", "yes", "true", "1", "bat buoc"}
NO_WORDS = {"khong", "no", "false", "0", ""}


@dataclass
class RowError:
    sheet: str
    row: int
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return self.message
        return _("Trang “%(sheet)s”, dòng %(row)s: %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "message": self.message,
        }


@dataclass
class ParsedCatalogue:
    specs: list[tuple[int, ProcedureSpec]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def catalogue_to_workbook(specs: list[ProcedureSpec]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = {}
    for title, columns in SHEETS:
        sheet = workbook.create_sheet(title)
        sheet.append([label for _key, label in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
        for index, (_key, label) in enumerate(columns, start=1):
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(60, max(12, len(label) + 4))
        sheets[title] = sheet
    for spec in specs:
        sheets[SHEET_PROCEDURES].append(
            [
                spec.code,
                spec.name,
                spec.field_code,
                spec.unit_code,
                spec.applicants,
                spec.time_limit_value,
                TIME_UNIT_WORDS[spec.time_limit_unit],
                spec.online_level,
                RESULT_TYPE_WORDS[spec.result_type],
                spec.result_name,
                PAYMENT_STAGE_WORDS[spec.payment_stage],
                "\n".join(spec.legal_basis),
                spec.requirements,
                spec.annual_volume,
            ]
        )
        for fee in spec.fees:
            sheets[SHEET_FEES].append([spec.code, FEE_KIND_WORDS[fee.kind], fee.name, fee.amount, fee.online_amount])
        for c in spec.components:
            sheets[SHEET_COMPONENTS].append(
                [
                    spec.code,
                    c.name,
                    "Có" if c.required else "Không",
                    c.originals,
                    c.certified_copies,
                    c.copies,
                    c.template_name,
                    c.note,
                    "Có" if c.from_population_db else "Không",
                ]
            )
        for step in spec.steps:
            sheets[SHEET_STEPS].append(
                [spec.code, step.name, step.unit_code, ROLE_WORDS[step.role], step.hours, step.agency_code]
            )
    return xlsx_bytes(workbook)


class _CellError(ValueError):
    pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _int(value, label: str, *, optional: bool = False) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if optional:
            return None
        raise _CellError(_("thiếu “%(label)s”.") % {"label": label})
    if isinstance(value, bool):
        raise _CellError(_("“%(label)s” phải là số nguyên.") % {"label": label})
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip().replace(".", "").replace(",", "").replace(" ", "")
    if text.lstrip("-").isdigit():
        return int(text)
    raise _CellError(_("“%(label)s” phải là số nguyên, không phải “%(value)s”.") % {"label": label, "value": value})


def _choice(value, words: dict[str, str], label: str) -> str:
    folded = fold(_text(value))
    for code, word in words.items():
        if folded in (code, fold(word)):
            return code
    allowed = ", ".join(words.values())
    raise _CellError(
        _("“%(label)s” không hợp lệ: “%(value)s” (chọn một trong: %(allowed)s).")
        % {"label": label, "value": _text(value), "allowed": allowed}
    )


def _bool(value, label: str) -> bool:
    folded = fold(_text(value))
    if folded in YES_WORDS:
        return True
    if folded in NO_WORDS:
        return False
    raise _CellError(_("“%(label)s” phải là Có hoặc Không.") % {"label": label})


def _rows(workbook, title: str, columns, errors: list[RowError]):
    """Yield (row number, {key: value}) for the non-empty data rows of a sheet."""
    if title not in workbook.sheetnames:
        errors.append(RowError(title, 1, _("Thiếu trang tính “%(sheet)s”.") % {"sheet": title}))
        return
    sheet = workbook[title]
    header = [_text(cell) for cell in next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())]
    expected = [label for _key, label in columns]
    required = expected[: len(expected) - OPTIONAL_TAIL.get(title, 0)]
    present = header[: len(expected)]
    if present[: len(required)] != required or any(h and h != e for h, e in zip(present, expected, strict=False)):
        errors.append(
            RowError(title, 1, _("Dòng tiêu đề không đúng mẫu; cần các cột: %(cols)s.") % {"cols": "; ".join(expected)})
        )
        return
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        values = list(values[: len(columns)]) + [None] * (len(columns) - len(values))
        if all(_text(v) == "" for v in values):
            continue
        yield number, {key: values[i] for i, (key, _label) in enumerate(columns)}


def workbook_to_specs(data: bytes) -> ParsedCatalogue:
    """Read a workbook made by `catalogue_to_workbook` (and edited by people)."""
    parsed = ParsedCatalogue()
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError):
        parsed.errors.append(RowError("—", 0, _("Tệp không phải bảng tính Excel (.xlsx) hợp lệ.")))
        return parsed

    fees: dict[str, list[FeeSpec]] = defaultdict(list)
    components: dict[str, list[ComponentSpec]] = defaultdict(list)
    steps: dict[str, list[StepSpec]] = defaultdict(list)
    detail_rows: dict[str, list[tuple[str, int]]] = defaultdict(list)

    def record(sheet, number, build, target):
        try:
            code, item = build()
        except _CellError as exc:
            parsed.errors.append(RowError(sheet, number, str(exc)))
            return
        target[code].append(item)
        detail_rows[code].append((sheet, number))

    for number, row in _rows(workbook, SHEET_FEES, FEE_COLUMNS, parsed.errors):
        record(
            SHEET_FEES,
            number,
            lambda row=row: (
                _text(row["code"]),
                FeeSpec(
                    kind=_choice(row["kind"], FEE_KIND_WORDS, "Loại"),
                    name=_text(row["name"]),
                    amount=_int(row["amount"], "Mức thu"),
                    online_amount=_int(row["online_amount"], "Mức thu trực tuyến", optional=True),
                ),
            ),
            fees,
        )
    for number, row in _rows(workbook, SHEET_COMPONENTS, COMPONENT_COLUMNS, parsed.errors):
        record(
            SHEET_COMPONENTS,
            number,
            lambda row=row: (
                _text(row["code"]),
                ComponentSpec(
                    name=_text(row["name"]),
                    required=_bool(row["required"], "Bắt buộc"),
                    originals=_int(row["originals"], "Bản chính", optional=True) or 0,
                    certified_copies=_int(row["certified_copies"], "Bản sao chứng thực", optional=True) or 0,
                    copies=_int(row["copies"], "Bản sao", optional=True) or 0,
                    template_name=_text(row["template_name"]),
                    note=_text(row["note"]),
                    from_population_db=_bool(row["from_population_db"], "Có trong CSDL dân cư"),
                ),
            ),
            components,
        )
    for number, row in _rows(workbook, SHEET_STEPS, STEP_COLUMNS, parsed.errors):
        record(
            SHEET_STEPS,
            number,
            lambda row=row: (
                _text(row["code"]),
                StepSpec(
                    name=_text(row["name"]),
                    unit_code=_text(row["unit_code"]),
                    role=_choice(row["role"], ROLE_WORDS, "Vai trò thực hiện"),
                    hours=_int(row["hours"], "Thời gian"),
                    agency_code=_text(row["agency_code"]),
                ),
            ),
            steps,
        )

    seen: set[str] = set()
    for number, row in _rows(workbook, SHEET_PROCEDURES, PROCEDURE_COLUMNS, parsed.errors):
        code = _text(row["code"])
        if code in seen:
            parsed.errors.append(RowError(SHEET_PROCEDURES, number, _("Mã thủ tục %(code)s bị lặp.") % {"code": code}))
            continue
        seen.add(code)
        try:
            spec = ProcedureSpec(
                code=code,
                name=_text(row["name"]),
                field_code=_text(row["field_code"]),
                unit_code=_text(row["unit_code"]),
                applicants=_text(row["applicants"]),
                time_limit_value=_int(row["time_limit_value"], "Thời hạn giải quyết"),
                time_limit_unit=_choice(row["time_limit_unit"], TIME_UNIT_WORDS, "Đơn vị thời hạn"),
                online_level=_int(row["online_level"], "Mức độ DVC"),
                result_type=_choice(row["result_type"], RESULT_TYPE_WORDS, "Hình thức kết quả"),
                result_name=_text(row["result_name"]),
                payment_stage=_choice(row["payment_stage"], PAYMENT_STAGE_WORDS, "Thời điểm nộp phí"),
                legal_basis=tuple(line for line in _text(row["legal_basis"]).splitlines() if line.strip()),
                requirements=_text(row["requirements"]),
                annual_volume=_int(row["annual_volume"], "Số hồ sơ mỗi năm", optional=True) or 0,
                fees=tuple(fees.get(code, ())),
                components=tuple(components.get(code, ())),
                steps=tuple(steps.get(code, ())),
            )
        except _CellError as exc:
            parsed.errors.append(RowError(SHEET_PROCEDURES, number, str(exc)))
            continue
        parsed.specs.append((number, spec))

    for code, places in detail_rows.items():
        if code not in seen:
            for sheet, number in places:
                parsed.errors.append(
                    RowError(
                        sheet,
                        number,
                        _("Mã thủ tục “%(code)s” không có trong trang “%(sheet)s”.")
                        % {"code": code, "sheet": SHEET_PROCEDURES},
                    )
                )
    parsed.errors.sort(key=lambda e: ([t for t, _c in SHEETS].index(e.sheet) if e.sheet in dict(SHEETS) else -1, e.row))
    return parsed
