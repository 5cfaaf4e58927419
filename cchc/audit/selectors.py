"""Reading the audit log and checking that it is whole."""

import hmac
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import GENESIS_DIGEST, AuditEvent, AuditHead, audit_hmac_key


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    problem: str = ""


def audit_verify() -> VerifyResult:
    """Recompute the whole chain in id order, streaming, and compare it with the head.

    The head is read first: events appended while the check runs are checked too but do
    not count as a mismatch. Reports the first problem found: a changed event (its digest
    no longer matches), a removed or inserted one (the next event's link is broken), or
    events missing at the end (fewer events than the head has counted).
    """
    head = AuditHead.objects.filter(pk=1).first()
    head_count, head_digest = (head.count, head.last_digest) if head else (0, GENESIS_DIGEST)
    key = audit_hmac_key()
    prev_digest, prev_id, checked = GENESIS_DIGEST, None, 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if not hmac.compare_digest(event.compute_digest(key), event.digest):
            return VerifyResult(
                False,
                checked,
                event.pk,
                _("Sự kiện #%(id)s đã bị sửa đổi: mã kiểm tra không khớp với nội dung.") % {"id": event.pk},
            )
        if event.prev_digest != prev_digest:
            return VerifyResult(
                False,
                checked,
                event.pk,
                _("Sự kiện #%(id)s không nối tiếp sự kiện đứng trước: có sự kiện đã bị xóa hoặc chèn vào trước nó.")
                % {"id": event.pk},
            )
        checked += 1
        if checked == head_count and event.digest != head_digest:
            return VerifyResult(
                False,
                checked,
                event.pk,
                _("Sự kiện #%(id)s không khớp với đầu chuỗi nhật ký.") % {"id": event.pk},
            )
        prev_digest, prev_id = event.digest, event.pk
    if checked < head_count:
        missing = head_count - checked
        if prev_id is None:
            problem = _("Nhật ký trống nhưng đầu chuỗi ghi nhận %(count)s sự kiện: tất cả đã bị xóa.") % {
                "count": head_count
            }
        else:
            problem = _("Thiếu %(missing)s sự kiện sau sự kiện #%(id)s (sự kiện cuối còn nguyên vẹn).") % {
                "missing": missing,
                "id": prev_id,
            }
        return VerifyResult(False, checked, prev_id, problem)
    if head is None and checked and not AuditHead.objects.filter(pk=1).exists():
        return VerifyResult(
            False, checked, None, _("Không tìm thấy đầu chuỗi nhật ký dù đã có %(count)s sự kiện.") % {"count": checked}
        )
    return VerifyResult(True, checked)


def audit_events_for_dossier(*, code: str):
    """The events recorded for one dossier, oldest first."""
    return AuditEvent.objects.filter(dossier_code=code).order_by("id")
