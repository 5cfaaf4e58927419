"""A PAR Index criteria template as a file, both ways: YAML or an Excel workbook (.xlsx).

Both carry the same columns, one row per criterion: code, name, maximum points, scoring method,
linked indicator, responsible unit's code, guidance. The tree comes from the dotted codes
("1" → "1.2" → "1.2.3"). Reading never touches the database: it returns the rows and every
problem found, each naming its row, so that a loader can refuse the whole file at once.

YAML::

    name: "Bộ tiêu chí ..."
    sample: true            # a sample to adapt, not a province's official template
    note: "..."
    criteria:
      - {code: "1", name: "...", max: 10}
      - {code: "1.1", name: "...", max: 4, method: self, unit: VP, guidance: "..."}
      - {code: "1.2", name: "...", max: 6, method: indicator, indicator: progress.on_time}

The workbook has a sheet "Tiêu chí" (a header row, then the criteria) and an optional sheet
"Thông tin" (name, sample, note).
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from zipfile import BadZipFile

import yaml
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from cchc.core.text import fold
from cchc.core.xlsx import xlsx_bytes

from . import scoring

# The sample shaped on the eight domains of domain.md §8 (100 points), to adapt.
SAMPLE_TEMPLATE = Path(__file__).resolve().parent / "data" / "par_template_sample.yaml"
SHEET_CRITERIA = "Tiêu chí"
SHEET_INFO = "Thông tin"
COLUMNS = [
    ("code", "Mã"),
    ("name", "Tên lĩnh vực, tiêu chí"),
    ("max", "Điểm tối đa"),
    ("method", "Phương pháp chấm"),
    ("indicator", "Chỉ số liên kết"),
    ("unit", "Mã đơn vị chịu trách nhiệm"),
    ("guidance", "Hướng dẫn chấm"),
]
INFO_NAME, INFO_SAMPLE, INFO_NOTE = "Tên bộ tiêu chí", "Bộ tiêu chí mẫu (Có/Không)", "Ghi chú"
METHOD_WORDS = {
    scoring.SELF: "Tự đánh giá",
    scoring.INDICATOR: "Chỉ số hệ thống",
    scoring.SURVEY: "Điều tra xã hội học",
}
YES_WORDS, NO_WORDS = {"co", "x", "yes", "true", "1"}, {"khong", "", "no", "false", "0"}
CODE_RE = re.compile(r"^\d{1,4}(\.\d{1,4}){0,5}$")
MAX_POINTS_LIMIT = Decimal("9999.99")


@dataclass(frozen=True)
class RowSpec:
    code: str
    name: str
    max_points: Decimal
    method: str = scoring.SELF
    indicator: str = ""
    unit_code: str = ""
    guidance: str = ""
    # "Dòng 5" (workbook) or "Tiêu chí thứ 5" (YAML), for messages; not part of the criterion.
    where: str = field(default="", compare=False)


@dataclass
class TemplateSpec:
    name: str = ""
    sample: bool = False
    note: str = ""
    rows: list[RowSpec] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class _CellError(ValueError):
    pass


def vn_number(value: Decimal) -> str:
    """`Decimal("9.50")` → `"9,5"`."""
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}".rstrip("0")
    return text.replace(".", ",")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _code(value) -> str:
    if isinstance(value, bool):
        raise _CellError(_("mã không hợp lệ."))
    if isinstance(value, float):
        # 1.10 and 1.1 are the same number: a code must be written as text.
        raise _CellError(
            _('mã “%(value)s” bị đọc thành số; hãy ghi mã dạng văn bản (trong dấu nháy, ví dụ "1.10").')
            % {"value": value}
        )
    code = _text(value)
    if not code:
        raise _CellError(_("thiếu mã."))
    if not CODE_RE.fullmatch(code):
        raise _CellError(
            _("mã “%(code)s” không hợp lệ: dùng các số cách nhau bằng dấu chấm, ví dụ 1, 1.2, 1.2.3.") % {"code": code}
        )
    return code


def _points(value) -> Decimal:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise _CellError(_("thiếu điểm tối đa."))
    if isinstance(value, bool):
        raise _CellError(_("điểm tối đa phải là số."))
    text = value if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)
    try:
        points = scoring.to_decimal(text.strip().replace(",", "."))
    except ValueError:
        points = None
    if points is None or not points.is_finite():
        raise _CellError(_("điểm tối đa “%(value)s” không phải là số.") % {"value": _text(value)})
    if points < 0 or points > MAX_POINTS_LIMIT:
        raise _CellError(_("điểm tối đa phải từ 0 đến %(limit)s.") % {"limit": vn_number(MAX_POINTS_LIMIT)})
    if points != points.quantize(scoring.CENT):
        raise _CellError(_("điểm tối đa chỉ lấy đến hai chữ số thập phân."))
    return points.quantize(scoring.CENT)


def _method(value) -> str:
    folded = fold(_text(value))
    if not folded:
        return scoring.SELF
    for code, word in METHOD_WORDS.items():
        if folded in (code, fold(word)):
            return code
    allowed = ", ".join(f"{word} ({code})" for code, word in METHOD_WORDS.items())
    raise _CellError(
        _("phương pháp chấm “%(value)s” không hợp lệ (chọn một trong: %(allowed)s).")
        % {"value": _text(value), "allowed": allowed}
    )


def _row(values: dict, where: str) -> RowSpec:
    problems = []
    parsed = {}
    for key, parse in (("code", _code), ("max", _points), ("method", _method)):
        try:
            parsed[key] = parse(values.get(key))
        except _CellError as exc:
            problems.append(str(exc))
    name = _text(values.get("name"))
    if not name:
        problems.append(_("thiếu tên lĩnh vực, tiêu chí."))
    if problems:
        raise _CellError(" ".join(problems))
    return RowSpec(
        code=parsed["code"],
        name=name,
        max_points=parsed["max"],
        method=parsed["method"],
        indicator=_text(values.get("indicator")),
        unit_code=_text(values.get("unit")).upper(),
        guidance=str(values.get("guidance") or "").strip(),
        where=where,
    )


def _about(row: RowSpec) -> str:
    return _("%(where)s (mã %(code)s)") % {"where": row.where, "code": row.code}


def check(spec: TemplateSpec, *, unit_codes: set[str], indicator_codes: set[str]) -> list[str]:
    """The problems of the tree as a whole: duplicate codes, missing parents, a parent whose
    maximum is not the sum of its children's, unknown indicators or units, misplaced methods."""
    errors: list[str] = []
    if not spec.rows and not spec.errors:
        errors.append(_("Tệp không có tiêu chí nào."))
    first: dict[str, RowSpec] = {}
    for row in spec.rows:
        if row.code in first:
            errors.append(
                _("%(about)s: mã trùng với %(other)s.") % {"about": _about(row), "other": first[row.code].where}
            )
        else:
            first[row.code] = row
    children: dict[str, list[RowSpec]] = {}
    for row in first.values():
        parent = scoring.parent_code(row.code)
        if parent is None:
            continue
        if parent not in first:
            errors.append(
                _("%(about)s: không có tiêu chí cấp trên mã %(parent)s.") % {"about": _about(row), "parent": parent}
            )
        else:
            children.setdefault(parent, []).append(row)
    for row in first.values():
        kids = children.get(row.code)
        if kids:
            total = sum((kid.max_points for kid in kids), Decimal(0))
            if total != row.max_points:
                errors.append(
                    _("%(about)s: điểm tối đa %(max)s khác tổng điểm tối đa của các tiêu chí con (%(sum)s).")
                    % {"about": _about(row), "max": vn_number(row.max_points), "sum": vn_number(total)}
                )
            if row.method != scoring.SELF or row.indicator:
                errors.append(
                    _(
                        "%(about)s: tiêu chí có tiêu chí con được tính bằng tổng điểm của các tiêu chí con; "
                        "để trống phương pháp chấm và chỉ số liên kết."
                    )
                    % {"about": _about(row)}
                )
        elif row.method == scoring.INDICATOR:
            if not row.indicator:
                errors.append(
                    _("%(about)s: phương pháp “Chỉ số hệ thống” cần ghi chỉ số liên kết.") % {"about": _about(row)}
                )
            elif row.indicator not in indicator_codes:
                errors.append(
                    _("%(about)s: không có chỉ số “%(indicator)s” (các chỉ số có: %(known)s).")
                    % {"about": _about(row), "indicator": row.indicator, "known": ", ".join(sorted(indicator_codes))}
                )
        elif row.indicator:
            errors.append(
                _("%(about)s: chỉ ghi chỉ số liên kết khi phương pháp chấm là “Chỉ số hệ thống”.")
                % {"about": _about(row)}
            )
        if row.unit_code and row.unit_code not in unit_codes:
            errors.append(
                _("%(about)s: cơ quan không có đơn vị đang hoạt động mã “%(unit)s”.")
                % {"about": _about(row), "unit": row.unit_code}
            )
    return errors


def _flag(value) -> bool:
    if isinstance(value, bool):
        return value
    folded = fold(_text(value))
    if folded in YES_WORDS:
        return True
    if folded in NO_WORDS:
        return False
    raise _CellError(_("“%(label)s” phải là Có hoặc Không.") % {"label": INFO_SAMPLE})


# ---------------------------------------------------------------- YAML


def read_yaml(data: bytes) -> TemplateSpec:
    spec = TemplateSpec()
    try:
        document = yaml.safe_load(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        spec.errors.append(_("Tệp không phải YAML hợp lệ (mã hóa UTF-8)."))
        return spec
    if not isinstance(document, dict) or not isinstance(document.get("criteria"), list):
        spec.errors.append(_("Tệp YAML cần có danh sách “criteria” gồm các tiêu chí."))
        return spec
    spec.name = _text(document.get("name"))[:255]
    spec.note = str(document.get("note") or "").strip()
    try:
        spec.sample = _flag(document.get("sample", False))
    except _CellError as exc:
        spec.errors.append(str(exc))
    for number, item in enumerate(document["criteria"], start=1):
        where = _("Tiêu chí thứ %(n)s") % {"n": number}
        if not isinstance(item, dict):
            spec.errors.append(_("%(where)s: cần các mục code, name, max, ….") % {"where": where})
            continue
        try:
            spec.rows.append(_row(item, where))
        except _CellError as exc:
            spec.errors.append(f"{where}: {exc}")
    return spec


# ---------------------------------------------------------------- Excel


def read_workbook(data: bytes) -> TemplateSpec:
    spec = TemplateSpec()
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError):
        spec.errors.append(_("Tệp không phải bảng tính Excel (.xlsx) hợp lệ."))
        return spec
    if SHEET_CRITERIA not in workbook.sheetnames:
        spec.errors.append(_("Thiếu trang tính “%(sheet)s”.") % {"sheet": SHEET_CRITERIA})
        return spec
    sheet = workbook[SHEET_CRITERIA]
    header = [_text(cell) for cell in next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())]
    expected = [label for _key, label in COLUMNS]
    if header[: len(expected)] != expected:
        spec.errors.append(
            _("Dòng 1: dòng tiêu đề không đúng mẫu; cần các cột: %(cols)s.") % {"cols": "; ".join(expected)}
        )
        return spec
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        values = list(values[: len(COLUMNS)]) + [None] * (len(COLUMNS) - len(values))
        if all(_text(v) == "" for v in values):
            continue
        where = _("Dòng %(n)s") % {"n": number}
        try:
            spec.rows.append(_row({key: values[i] for i, (key, _label) in enumerate(COLUMNS)}, where))
        except _CellError as exc:
            spec.errors.append(f"{where}: {exc}")
    if SHEET_INFO in workbook.sheetnames:
        for label, value, *_rest in workbook[SHEET_INFO].iter_rows(min_row=1, values_only=True):
            label = _text(label)
            try:
                if label == INFO_NAME:
                    spec.name = _text(value)[:255]
                elif label == INFO_SAMPLE:
                    spec.sample = _flag(value)
                elif label == INFO_NOTE:
                    spec.note = str(value or "").strip()
            except _CellError as exc:
                spec.errors.append(f"{SHEET_INFO}: {exc}")
    return spec


def write_workbook(spec: TemplateSpec) -> bytes:
    """The template in the layout `read_workbook` reads back (codes as text cells)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_CRITERIA
    sheet.append([label for _key, label in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F3")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    parents = {scoring.parent_code(row.code) for row in spec.rows}
    for row in spec.rows:
        sheet.append(
            [
                row.code,
                row.name,
                float(row.max_points),
                "" if row.code in parents else METHOD_WORDS[row.method],
                row.indicator,
                row.unit_code,
                row.guidance,
            ]
        )
    for cells in sheet.iter_rows(min_row=2, max_col=1):
        cells[0].number_format = "@"
    for letter, width in zip("ABCDEFG", (9, 60, 12, 20, 28, 14, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    info = workbook.create_sheet(SHEET_INFO)
    info.append([INFO_NAME, spec.name])
    info.append([INFO_SAMPLE, "Có" if spec.sample else "Không"])
    info.append([INFO_NOTE, spec.note])
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 90
    return xlsx_bytes(workbook)


def read_template(data: bytes, *, filename: str) -> TemplateSpec:
    """Pick the reader by the content (an .xlsx is a zip archive), else by the name."""
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        return read_workbook(data)
    return read_yaml(data)
