"""Checking a result file: is the signature valid, who signed and when, is it the agency's record.

`valid` means all of: the file is a PDF with at least one signature; every signature is intact
(the signed bytes are unchanged), cryptographically sound and made with a certificate the agency
trusts (its current signing certificate and those of results it signed before; nothing is
fetched from the network); and nothing was added after the signature (it covers the whole
file, or only validation data such as timestamps follows it). `matches_record` says whether the file
is byte for byte a result the agency stored (same SHA-256). An altered copy fails both. Nothing
here raises on bad input: a file that is not a PDF is simply not valid, with a reason.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from django.utils.translation import gettext as _

from .models import SignedResult
from .signing import SigningUnavailable, agency_certificate

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Report:
    valid: bool
    signer: str | None
    signed_at: datetime | None
    matches_record: bool
    reason: str
    sha256: str
    record: SignedResult | None = None


def trust_roots() -> list:
    """The agency's certificates: the one it signs with now and every one it signed results with."""
    from asn1crypto import pem, x509

    roots: dict[str, object] = {}
    try:
        current = agency_certificate()
        roots[current.fingerprint] = current.certificate
    except SigningUnavailable:
        pass
    stored = SignedResult.objects.exclude(certificate_fingerprint__in=list(roots)).values_list(
        "certificate_fingerprint", "certificate_pem"
    )
    for fingerprint, text in stored.distinct():
        if fingerprint in roots or not text:
            continue
        _kind, _headers, der = pem.unarmor(text.encode("ascii"))
        roots[fingerprint] = x509.Certificate.load(der)
    return list(roots.values())


def _looks_like_pdf(data: bytes) -> bool:
    # The header may follow some junk bytes; readers accept it within the first kilobyte.
    return b"%PDF-" in data[:1024]


def _covers_everything(status) -> bool:
    """The signature covers the whole file, or what follows it only adds validation data
    (timestamps, revocation info). Anything else appended, even bytes no reader shows, fails:
    a verified copy is the signed copy."""
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    return (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level == ModificationLevel.LTA_UPDATES
    )


def _refusal(status) -> str:
    if not status.intact:
        return _("Nội dung tệp đã bị thay đổi sau khi ký: chữ ký số không còn khớp.")
    if not status.valid:
        return _("Chữ ký số không hợp lệ.")
    if not _covers_everything(status) or status.docmdp_ok is False:
        return _("Tệp đã bị sửa đổi hoặc bổ sung nội dung sau khi ký.")
    if not status.trusted:
        return _("Chữ ký số không phải của cơ quan (chứng thư số không được tin cậy).")
    return ""


def verify_pdf(data: bytes, *, record: SignedResult | None = None) -> Report:
    """Check `data`; `record` is the stored result it should be (else it is looked up by its hash)."""
    sha256 = hashlib.sha256(data).hexdigest()
    if record is None:
        record = SignedResult.objects.filter(sha256=sha256).select_related("dossier").first()
    matches = record is not None and record.sha256 == sha256

    def report(valid: bool, reason: str, signer=None, signed_at=None) -> Report:
        return Report(
            valid=valid,
            signer=signer,
            signed_at=signed_at,
            matches_record=matches,
            reason=str(reason),
            sha256=sha256,
            record=record if matches else None,
        )

    if not _looks_like_pdf(data):
        return report(False, _("Tệp không phải văn bản PDF."))
    try:
        signatures = _embedded_signatures(data)
    except Exception:  # any unreadable file is simply not a valid result
        logger.info("Unreadable PDF submitted for verification", exc_info=True)
        return report(False, _("Không đọc được tệp PDF (tệp hỏng hoặc không đúng định dạng)."))
    if not signatures:
        return report(False, _("Tệp PDF không có chữ ký số."))
    try:
        roots = trust_roots()
        statuses = [_validate(signature, roots) for signature in signatures]
    except Exception:  # a signature pyHanko cannot process is not a valid one
        logger.info("Signature could not be checked", exc_info=True)
        return report(False, _("Không kiểm tra được chữ ký số trong tệp."))
    first = statuses[0]
    signer = first.signing_cert.subject.native.get("common_name") or first.signing_cert.subject.human_friendly
    signed_at = first.signer_reported_dt
    for status in statuses:
        refusal = _refusal(status)
        if refusal:
            return report(False, refusal, signer, signed_at)
    if matches:
        reason = _("Chữ ký số hợp lệ; tệp còn nguyên vẹn và trùng khớp với bản lưu của cơ quan.")
    else:
        reason = _("Chữ ký số hợp lệ và tệp còn nguyên vẹn, nhưng không trùng với bản nào cơ quan đã lưu.")
    return report(True, reason, signer, signed_at)


def _embedded_signatures(data: bytes) -> list:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return list(PdfFileReader(BytesIO(data), strict=False).embedded_signatures)


def _validate(signature, roots: list):
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    return validate_pdf_signature(signature, signer_validation_context=context)


def verify_stored(record: SignedResult) -> Report:
    """Check the file the agency keeps for `record` (what the QR code's page shows)."""
    try:
        with record.file.open("rb") as handle:
            data = handle.read()
    except OSError:
        logger.exception("Stored result %s cannot be read", record.pk)
        return Report(
            valid=False,
            signer=None,
            signed_at=None,
            matches_record=False,
            reason=_("Không đọc được tệp kết quả cơ quan đã lưu; vui lòng liên hệ cơ quan cấp."),
            sha256="",
        )
    return verify_pdf(data, record=record)
