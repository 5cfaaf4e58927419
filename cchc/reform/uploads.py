"""Checks on evidence: a file's type decided by its content, a link that stays a link.

Accepted files: PDF, JPEG, PNG (by their signatures), and Word (.docx) or Excel (.xlsx) documents
(a zip archive holding `[Content_Types].xml` and the part that makes it a document or a
workbook). Accepted links: a path of this site ("/can-bo/ho-so/…") or an http(s) address.
"""

import hashlib
import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from cchc.core.errors import ApplicationError
from cchc.dossiers.uploads import sniff

from . import config

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OFFICE_PARTS = ((DOCX, ".docx", "word/document.xml"), (XLSX, ".xlsx", "xl/workbook.xml"))
LINK_MAX = 500
_PATH_RE = re.compile(r"^/(?!/)[^\s\\]*$")
_http = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


def _office_kind(upload) -> tuple[str, str] | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for content_type, extension, part in OFFICE_PARTS:
        if part in names:
            return content_type, extension
    return None


def check_evidence_file(upload) -> CheckedFile:
    """Refuse anything but PDF, JPEG, PNG, DOCX or XLSX within the size limit; hash what is accepted."""
    limit = config.evidence_max_bytes()
    if upload.size == 0:
        raise ApplicationError(_("Tệp kiểm chứng rỗng."), code="empty_file")
    if upload.size > limit:
        raise ApplicationError(
            _("Tệp kiểm chứng quá lớn: tối đa %(mb)s MB.") % {"mb": round(limit / (1024 * 1024), 1)},
            code="file_too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind is None and head.startswith(b"PK\x03\x04"):
        kind = _office_kind(upload)
    if kind is None:
        raise ApplicationError(
            _("Tệp kiểm chứng phải là PDF, JPEG, PNG, Word (.docx) hoặc Excel (.xlsx)."), code="file_type"
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(content_type=kind[0], extension=kind[1], size=upload.size, sha256=digest.hexdigest())


def clean_link(value: str) -> str:
    """A site path or an http(s) address, unchanged; anything else is refused."""
    link = (value or "").strip()
    if not link:
        raise ApplicationError(_("Cần nhập liên kết."), code="link_required")
    if len(link) > LINK_MAX:
        raise ApplicationError(_("Liên kết dài quá %(n)s ký tự.") % {"n": LINK_MAX}, code="link_too_long")
    if _PATH_RE.fullmatch(link):
        return link
    try:
        _http(link)
    except ValidationError:
        raise ApplicationError(
            _(
                "Liên kết không hợp lệ: nhập mã hồ sơ, đường dẫn trong hệ thống (bắt đầu bằng /) "
                "hoặc địa chỉ http(s)://…"
            ),
            code="bad_link",
        ) from None
    return link
