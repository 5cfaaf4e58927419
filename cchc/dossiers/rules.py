"""Pure rules for dossiers: applicant identifiers and step judgement. No database."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from cchc.core.calendar import VN_TZ

ID_NUMBER_RE = re.compile(r"^\d{12}$")  # the 12-digit personal identification number (CCCD)
TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$")  # 10 digits, or 13 for a branch (0101234567-001)
PHONE_RE = re.compile(r"^(\+84|0)\d{9,10}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class ApplicantData:
    kind: str  # "citizen" or "business"
    name: str
    id_number: str = ""
    tax_code: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""

    def cleaned(self) -> "ApplicantData":
        return ApplicantData(
            kind=self.kind,
            name=" ".join(self.name.split()),
            id_number=self.id_number.strip(),
            tax_code=self.tax_code.strip(),
            phone=self.phone.replace(" ", "").replace(".", "").strip(),
            email=self.email.strip().lower(),
            address=" ".join(self.address.split()),
        )


def applicant_errors(applicant: ApplicantData) -> dict[str, str]:
    """Problems with the applicant's data, by field, in Vietnamese."""
    a = applicant.cleaned()
    errors: dict[str, str] = {}
    if a.kind not in ("citizen", "business"):
        errors["kind"] = _("Loại người nộp phải là cá nhân hoặc tổ chức, doanh nghiệp.")
    if len(a.name) < 2:
        errors["name"] = _("Cần ghi họ tên (hoặc tên tổ chức) của người nộp.")
    if a.kind == "citizen" and not ID_NUMBER_RE.fullmatch(a.id_number):
        errors["id_number"] = _("Số định danh cá nhân phải gồm đúng 12 chữ số.")
    if a.kind == "business" and not TAX_CODE_RE.fullmatch(a.tax_code):
        errors["tax_code"] = _("Mã số thuế phải gồm 10 chữ số (hoặc 10 chữ số, dấu gạch và 3 chữ số với chi nhánh).")
    if a.id_number and not ID_NUMBER_RE.fullmatch(a.id_number):
        errors["id_number"] = _("Số định danh cá nhân phải gồm đúng 12 chữ số.")
    if a.phone and not PHONE_RE.fullmatch(a.phone):
        errors["phone"] = _("Số điện thoại không hợp lệ (ví dụ 0912345678).")
    if a.email and not EMAIL_RE.fullmatch(a.email):
        errors["email"] = _("Địa chỉ thư điện tử không hợp lệ.")
    if not a.phone and not a.email:
        errors.setdefault("phone", _("Cần ít nhất số điện thoại hoặc thư điện tử để liên hệ."))
    return errors


def judge(finished_at: datetime, due_at: datetime) -> str:
    """Early, on time or late, as the one-stop statistics count them.

    Late: finished after the due moment. On time: finished on the due day, by the due
    moment. Early: finished on an earlier day.
    """
    if finished_at > due_at:
        return "late"
    if finished_at.astimezone(VN_TZ).date() == due_at.astimezone(VN_TZ).date():
        return "on_time"
    return "early"


def mask_name(name: str) -> str:
    """`Nguyễn Văn An` → `N*** V** A*`: enough to recognise one's own dossier, no more."""
    return " ".join(part[0] + "*" * (len(part) - 1) for part in name.split() if part)
