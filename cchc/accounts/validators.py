import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Decision 20/2020/QĐ-TTg: four levels XXX.YY.ZZ.Hnn, the last one naming the province.
AGENCY_CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.H\d{2}$")


def is_agency_code(value: str) -> bool:
    return bool(AGENCY_CODE_RE.fullmatch(value or ""))


def validate_agency_code(value: str) -> None:
    if not is_agency_code(value):
        raise ValidationError(
            _("Mã định danh cơ quan phải có dạng XXX.YY.ZZ.Hnn (ví dụ 000.00.12.H99)."),
            code="invalid_agency_code",
        )


PROVINCE_CODE_RE = re.compile(r"^H\d{2}$")


def validate_province_code(value: str) -> None:
    if not PROVINCE_CODE_RE.fullmatch(value or ""):
        raise ValidationError(_("Mã tỉnh phải có dạng Hnn (ví dụ H99)."), code="invalid_province_code")
