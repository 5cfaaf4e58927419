"""Checks on uploaded files: the type is decided by the content, not the name."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from cchc.core.errors import ApplicationError

SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def check_upload(upload, *, label: str) -> CheckedFile:
    """Refuse anything but PDF, JPEG or PNG within the size limit; hash what is accepted."""
    limit = settings.CCHC_UPLOAD_MAX_BYTES
    if upload.size == 0:
        raise ApplicationError(_("Tệp “%(label)s” rỗng.") % {"label": label}, code="empty_file")
    if upload.size > limit:
        raise ApplicationError(
            _("Tệp “%(label)s” quá lớn: tối đa %(mb)s MB.") % {"label": label, "mb": limit // (1024 * 1024)},
            code="file_too_large",
        )
    upload.seek(0)
    kind = sniff(upload.read(16))
    if kind is None:
        raise ApplicationError(_("Tệp “%(label)s” không phải PDF, JPEG hoặc PNG.") % {"label": label}, code="file_type")
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(content_type=kind[0], extension=kind[1], size=upload.size, sha256=digest.hexdigest())
