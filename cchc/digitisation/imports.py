"""Historical results from a folder (or zip) of scans and a spreadsheet describing them.

Every row is checked first (the file is there and is a PDF, JPEG or PNG within the size limit; the ID
number or tax code is well formed; the dates are dates; the same scan is not listed twice) and the rows
are imported only when none is wrong: a partial import would leave the operator to work out which rows
went in, while a corrected sheet imports in one go, and running it again adds nothing (a scan is
imported once, by its SHA-256). Messages name the sheet's row.

The spreadsheet's first row names the columns (in any order; see `COLUMNS`): file name, ID number (or
tax code), holder's name, the paper's name (the kind of result: the name later procedures ask for it by)
or a procedure code (the procedure's result name is taken), issue date, valid until, number.
"""

import hashlib
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from pathlib import Path, PurePosixPath
from zipfile import BadZipFile

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from cchc.core import clock
from cchc.core.errors import ApplicationError
from cchc.core.text import fold
from cchc.dossiers.rules import ID_NUMBER_RE, TAX_CODE_RE
from cchc.dossiers.uploads import sniff
from cchc.procedures.models import Procedure

MAX_ROWS = 5000
MAX_NAME = 500
MAX_NUMBER = 60

# (key, the column's title, other titles accepted (folded), required)
COLUMNS = (
    ("file_name", gettext_lazy("Tên tệp"), ("tep", "ten file", "file"), True),
    (
        "identifier",
        gettext_lazy("Số định danh"),
        ("so dinh danh ca nhan", "so cccd", "ma so thue", "so dinh danh/mst"),
        True,
    ),
    ("owner_name", gettext_lazy("Họ và tên"), ("ho ten", "ten chu giay to", "ten to chuc"), True),
    ("name", gettext_lazy("Tên giấy tờ"), ("loai giay to", "loai ket qua", "ten ket qua"), False),
    ("procedure_code", gettext_lazy("Mã thủ tục"), ("ma tthc",), False),
    ("issued_on", gettext_lazy("Ngày cấp"), ("ngay ban hanh", "ngay ky"), True),
    ("valid_until", gettext_lazy("Có giá trị đến"), ("co gia tri den ngay", "ngay het han", "hieu luc den"), False),
    ("number", gettext_lazy("Số"), ("so van ban", "so giay phep", "so hieu"), False),
)
# What `read` answers for a file over the upload limit (never unpacked or read whole).
TOO_LARGE = object()
DATE_TEXT = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
ISO_TEXT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class Row:
    line: int
    file_name: str
    identifier: str
    owner_name: str
    name: str
    issued_on: date
    valid_until: date | None
    number: str
    sha256: str
    extension: str


class RowsRejected(ApplicationError):
    """Some rows are wrong: nothing was imported. `problems` are the messages, one per problem."""

    def __init__(self, problems: list[str]):
        super().__init__(_("Bảng kê có dòng sai: chưa nhập giấy tờ nào."), code="import_rows_rejected")
        self.problems = problems


class FolderFiles:
    """The scans in a folder (the management command): names relative to it, never outside it."""

    def __init__(self, folder: Path):
        self.folder = folder.resolve()

    def read(self, name: str):
        path = (self.folder / name).resolve()
        if not path.is_relative_to(self.folder) or not path.is_file():
            return None
        if path.stat().st_size > settings.CCHC_UPLOAD_MAX_BYTES:
            return TOO_LARGE
        return path.read_bytes()


class ZipFiles:
    """The scans in an uploaded zip, found by their path in it or, when unique, by their bare name."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.members = {info.filename: info for info in archive.infolist() if not info.is_dir()}
        bare: dict[str, list[str]] = {}
        for member in self.members:
            bare.setdefault(PurePosixPath(member).name, []).append(member)
        self.bare = {name: found[0] for name, found in bare.items() if len(found) == 1}

    def read(self, name: str):
        member = self.members.get(name) or self.bare.get(PurePosixPath(name).name)
        if member is None:
            return None
        info = self.members[member]
        if info.file_size > settings.CCHC_UPLOAD_MAX_BYTES:
            return TOO_LARGE
        return self.archive.read(member)


class _CellError(ValueError):
    pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _date(value, label: str, *, required: bool) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        if required:
            raise _CellError(_("thiếu “%(label)s”.") % {"label": label})
        return None
    match = DATE_TEXT.match(text) or ISO_TEXT.match(text)
    if match:
        parts = [int(g) for g in match.groups()]
        day, month, year = parts if DATE_TEXT.match(text) else reversed(parts)
        try:
            return date(year, month, day)
        except ValueError:
            pass
    raise _CellError(
        _("“%(label)s” không phải ngày hợp lệ (dd/mm/yyyy): “%(value)s”.") % {"label": label, "value": text}
    )


def _identifier(value) -> str:
    label = _("Số định danh")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = _text(value)
        if len(digits) != 12:
            raise _CellError(
                _(
                    "“%(label)s” “%(value)s” là ô kiểu số nên có thể đã mất số 0 ở đầu: định dạng cột là văn bản "
                    "và nhập lại."
                )
                % {"label": label, "value": digits}
            )
        return digits
    text = _text(value).replace(" ", "")
    if not text:
        raise _CellError(_("thiếu “%(label)s”.") % {"label": label})
    if not (ID_NUMBER_RE.fullmatch(text) or TAX_CODE_RE.fullmatch(text)):
        raise _CellError(
            _(
                "“%(label)s” không hợp lệ: “%(value)s” (số định danh cá nhân 12 chữ số, hoặc mã số thuế 10 chữ số "
                "hoặc dạng 0101234567-001)."
            )
            % {"label": label, "value": text}
        )
    return text


def _header(cells) -> dict[str, int] | str:
    """Column positions by key, or the message saying what is missing."""
    known = {}
    for key, title, others, _required in COLUMNS:
        for name in (fold(str(title)), *others):
            known[name] = key
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = known.get(fold(_text(cell)).strip(" :*"))
        if key and key not in positions:
            positions[key] = index
    missing = [str(title) for key, title, _o, required in COLUMNS if required and key not in positions]
    if missing or ("name" not in positions and "procedure_code" not in positions):
        if "name" not in positions and "procedure_code" not in positions:
            missing.append(_("“%(a)s” hoặc “%(b)s”") % {"a": COLUMNS[3][1], "b": COLUMNS[4][1]})
        return _("Dòng tiêu đề thiếu cột: %(cols)s.") % {"cols": "; ".join(missing)}
    return positions


def read_sheet(data: bytes) -> tuple[list[tuple[int, dict]], list[str]]:
    """The non-empty data rows of the first sheet as (row number, {key: cell}), and the problems."""
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError):
        return [], [_("Tệp không phải bảng tính Excel (.xlsx) hợp lệ.")]
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    positions = _header(next(lines, ()))
    if isinstance(positions, str):
        return [], [positions]
    rows = []
    for number, values in enumerate(lines, start=2):
        if all(_text(v) == "" for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            return [], [_("Bảng kê quá dài: tối đa %(n)s dòng mỗi lần nhập.") % {"n": MAX_ROWS}]
        rows.append((number, {key: values[i] if i < len(values) else None for key, i in positions.items()}))
    if not rows:
        return [], [_("Bảng kê không có dòng nào.")]
    return rows, []


def check_rows(sheet_rows: list[tuple[int, dict]], files) -> tuple[list[Row], list[str]]:
    """Every row checked against the files: the rows, or the problems (each naming its row)."""
    rows: list[Row] = []
    problems: list[str] = []
    by_file: dict[str, int] = {}
    by_content: dict[str, int] = {}
    today = clock.localdate()
    results = {}
    codes = {_text(cells.get("procedure_code")) for _n, cells in sheet_rows} - {""}
    if codes:
        results = {
            p.code: p.current_version.result_name
            for p in Procedure.objects.filter(code__in=codes, current_version__isnull=False).select_related(
                "current_version"
            )
        }
    for line, cells in sheet_rows:

        def problem(message, line=line):
            problems.append(_("Dòng %(row)s: %(message)s") % {"row": line, "message": message})

        try:
            row = _check_row(line, cells, files=files, results=results, today=today)
        except _CellError as exc:
            problem(str(exc))
            continue
        if row.file_name in by_file:
            problem(
                _("tệp “%(file)s” đã có ở dòng %(other)s.") % {"file": row.file_name, "other": by_file[row.file_name]}
            )
            continue
        if row.sha256 in by_content:
            problem(
                _("tệp “%(file)s” trùng nội dung với tệp ở dòng %(other)s.")
                % {"file": row.file_name, "other": by_content[row.sha256]}
            )
            continue
        by_file[row.file_name], by_content[row.sha256] = line, line
        rows.append(row)
    return rows, problems


def _check_row(line: int, cells: dict, *, files, results: dict, today: date) -> Row:
    errors: list[str] = []

    def attempt(check, *args, **kwargs):
        try:
            return check(*args, **kwargs)
        except _CellError as exc:
            errors.append(str(exc))
            return None

    file_name = _text(cells.get("file_name")).replace("\\", "/")
    content = None
    if not file_name:
        errors.append(_("thiếu “%(label)s”.") % {"label": COLUMNS[0][1]})
    elif file_name.startswith("/") or ".." in PurePosixPath(file_name).parts:
        errors.append(_("tên tệp “%(file)s” phải nằm trong thư mục bản quét.") % {"file": file_name})
    else:
        content = files.read(file_name)
        if content is None:
            errors.append(_("không tìm thấy tệp “%(file)s”.") % {"file": file_name})
    kind = None
    if content is not None:
        limit = settings.CCHC_UPLOAD_MAX_BYTES
        if content is TOO_LARGE or len(content) > limit:
            errors.append(
                _("tệp “%(file)s” quá lớn: tối đa %(mb)s MB.") % {"file": file_name, "mb": limit // (1024 * 1024)}
            )
        elif (kind := sniff(content[:16])) is None:
            errors.append(_("tệp “%(file)s” không phải PDF, JPEG hoặc PNG.") % {"file": file_name})
    identifier = attempt(_identifier, cells.get("identifier"))
    owner_name = _text(cells.get("owner_name"))
    if not owner_name:
        errors.append(_("thiếu “%(label)s”.") % {"label": COLUMNS[2][1]})
    name = _text(cells.get("name"))
    code = _text(cells.get("procedure_code"))
    if code and code not in results:
        errors.append(_("không có thủ tục mã “%(code)s”.") % {"code": code})
    name = name or results.get(code, "")
    if not name and not code:
        errors.append(_("thiếu “%(label)s” (hoặc “%(code)s”).") % {"label": COLUMNS[3][1], "code": COLUMNS[4][1]})
    elif len(name) > MAX_NAME:
        errors.append(_("“%(label)s” quá dài.") % {"label": COLUMNS[3][1]})
    issued_on = attempt(_date, cells.get("issued_on"), str(COLUMNS[5][1]), required=True)
    valid_until = attempt(_date, cells.get("valid_until"), str(COLUMNS[6][1]), required=False)
    if issued_on and issued_on > today:
        errors.append(_("ngày cấp %(day)s sau hôm nay.") % {"day": f"{issued_on:%d/%m/%Y}"})
    if issued_on and valid_until and valid_until < issued_on:
        errors.append(_("ngày hết hiệu lực trước ngày cấp."))
    number = _text(cells.get("number"))
    if len(number) > MAX_NUMBER:
        errors.append(_("“%(label)s” quá dài.") % {"label": COLUMNS[7][1]})
    if errors:
        raise _CellError("; ".join(errors))
    return Row(
        line=line,
        file_name=file_name,
        identifier=identifier,
        owner_name=owner_name[:255],
        name=name,
        issued_on=issued_on,
        valid_until=valid_until,
        number=number,
        sha256=hashlib.sha256(content).hexdigest(),
        extension=kind[1],
    )


def import_rows(*, agency, actor, sheet_name: str, sheet: bytes, files):
    """Read, check, then import (all rows or none): the `ImportBatch`, or `RowsRejected`."""
    from .services import historical_import

    sheet_rows, problems = read_sheet(sheet)
    if problems:
        raise RowsRejected(problems)
    rows, problems = check_rows(sheet_rows, files)
    if problems:
        raise RowsRejected(problems)
    return historical_import(agency=agency, actor=actor, sheet_name=sheet_name, rows=rows, files=files)


def import_upload(*, agency, actor, archive, sheet):
    """The staff page's import: a zip of scans and the .xlsx sheet."""
    from .policies import may_import

    if not may_import(actor, agency):
        from cchc.core.errors import PermissionDenied

        raise PermissionDenied(
            _("Chỉ cán bộ Một cửa hoặc cán bộ CCHC của cơ quan nhập kết quả cũ."), code="not_allowed"
        )
    try:
        bundle = zipfile.ZipFile(archive)
    except (BadZipFile, OSError) as exc:
        raise ApplicationError(_("Tệp nén không phải tệp .zip hợp lệ."), code="bad_zip") from exc
    with bundle:
        return import_rows(
            agency=agency,
            actor=actor,
            sheet_name=getattr(sheet, "name", "bang-ke.xlsx"),
            sheet=sheet.read(),
            files=ZipFiles(bundle),
        )
