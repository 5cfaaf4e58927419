"""The DVCQG synchronisation messages as public integrations shaped them (docs/integrations.md, DVCQG).

Pure: no database, no web. Every call is a JSON POST to one of three adapter endpoints (auth,
integration, share), with the header `dstcode`; bodies carry `session`, `madonvi` (the agency's
identifier code) and `service`; answers are `{error_code, message, result}` with 0 (integer or string)
for success. Dates are `yyyyMMddHHmmss` in Vietnam time, booleans the strings "True"/"False".
"""

from datetime import datetime

from django.utils import timezone

from cchc.core.calendar import VN_TZ

DATE_FORMAT = "%Y%m%d%H%M%S"

SERVICE_DOSSIER = "DongBoHoSoMC"  # create or update a dossier
SERVICE_PROGRESS = "CapNhatTienDoHoSoMC"  # a processing step / status change
# Not found in public code (docs/integrations.md: to confirm with the portal):
SERVICE_OFFERING = "DongBoThuTucDiaPhuong"  # a procedure offered by a local agency
SERVICE_LODGED = "LayDanhSachHoSoNopTaiCong"  # dossiers lodged on the national portal, not yet delivered
SERVICE_LODGED_ACK = "XacNhanDaNhanHoSo"  # mark one as delivered to the provincial system

# Our statuses → TrangThaiHoSo (1 awaiting intake … 10 returned; docs/integrations.md).
STATUS_CODES = {
    "submitted": "1",
    "received": "2",
    "refused": "3",
    "in_progress": "4",
    "approved": "4",
    "not_approved": "4",
    "waiting_supplement": "5",
    "withdrawn": "7",
    "stopped": "8",
    "result_ready": "9",
    "returned": "10",
}
VALID_STATUS_CODES = frozenset(str(n) for n in range(1, 11))
# The one-word applicant kinds: LoaiDoiTuong 1 citizen, 2 business.
APPLICANT_KINDS = {"citizen": "1", "business": "2"}
# HinhThuc: "1" when the result goes by post (inferred), "0" otherwise.
BY_POST = "1"


def national_date(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return timezone.localtime(moment, VN_TZ).strftime(DATE_FORMAT)


def parse_national_date(text: str) -> datetime | None:
    try:
        return datetime.strptime(text or "", DATE_FORMAT).replace(tzinfo=VN_TZ)
    except ValueError:
        return None


def flag(value: bool) -> str:
    return "True" if value else "False"


def succeeded(answer: dict) -> bool:
    """`error_code` 0, given as an integer or a string."""
    return isinstance(answer, dict) and str(answer.get("error_code", "")).strip() == "0"


def already_exists(answer: dict) -> bool:
    """A create refused because the portal holds that MaHoSo already ("3"/"-3", "đã tồn tại")."""
    return str(answer.get("error_code", "")).strip() in ("3", "-3") and "tồn tại" in str(answer.get("message", ""))


SESSION_ERROR = "401"


def session_refused(answer: dict) -> bool:
    """The session expired or is unknown: log in again."""
    return str(answer.get("error_code", "")).strip() == SESSION_ERROR
