"""Reading the audit log and checking that it is whole."""

import bisect
import hmac
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from . import checkpoints
from .checkpoints import Checkpoint
from .models import GENESIS_DIGEST, AuditCheckpoint, AuditEvent, AuditHead, audit_hmac_key


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    problem: str = ""


@dataclass
class _Mark:
    """Where a checkpoint saw one chain end: its count, last digest, and the day's end."""

    count: int
    digest: str
    cut: datetime
    day: str


@dataclass
class _Chain:
    """The walk of one chain: position reached, the last good event, the first problem."""

    name: str
    head: tuple[int, str] | None
    marks: list[_Mark] = field(default_factory=list)
    position: int = 0
    prev_digest: str = GENESIS_DIGEST
    prev_id: int | None = None
    problem: tuple[int | None, str] | None = None


def audit_verify(*, exported: list[Checkpoint] | None = None, public_key: str | None = None) -> VerifyResult:
    """Recompute every chain, streaming, and compare it with its head and with the checkpoints.

    The heads are read first: events appended while the check runs are checked too but do not
    count as a mismatch. The checkpoints are those stored, or `exported` (a copy kept outside,
    whose signatures are checked with `public_key`, by default the installation's own). Each
    chain reports its first problem: a changed event (its digest no longer matches), a removed,
    inserted or swapped one (a broken link), an event stamped before a sealed day's end but
    placed after that day's checkpoint (appended after the seal), an event that is not the one a
    checkpoint sealed, events missing at the end. The result names the problem with the lowest id.
    """
    key = audit_hmac_key()
    heads = {head.chain: (head.count, head.last_digest) for head in AuditHead.objects.all()}
    stored = [row.as_checkpoint() for row in AuditCheckpoint.objects.order_by("day")]
    problem = _checkpoint_problem(
        stored, exported, public_key or checkpoints.public_key_hex(checkpoints.signing_key(key))
    )
    if problem:
        return VerifyResult(False, 0, None, problem)
    chains: dict[str, _Chain] = {name: _Chain(name, head) for name, head in heads.items()}
    for checkpoint in exported if exported is not None else stored:
        for name, end in checkpoint.heads.items():
            chain = chains.setdefault(name, _Chain(name, None))
            cut = datetime.fromisoformat(checkpoint.cut)
            chain.marks.append(_Mark(end["count"], end["digest"], cut, checkpoint.day))
    checked, current = 0, None
    for event in AuditEvent.objects.order_by("chain", "id").iterator(chunk_size=2000):
        if current is None or event.chain != current.name:
            current = chains.setdefault(event.chain, _Chain(event.chain, None))
            if current.head is None:
                current.problem = (event.pk, _("Không tìm thấy đầu chuỗi nhật ký dù đã có sự kiện."))
        if current.problem is None and _check_event(current, event, key):
            checked += 1
    for chain in chains.values():
        if chain.problem is None:
            _check_end(chain)
    problems = sorted((chain.problem for chain in chains.values() if chain.problem), key=_by_id)
    if problems:
        first_bad_id, message = problems[0]
        return VerifyResult(False, checked, first_bad_id, message)
    return VerifyResult(True, checked)


def _by_id(problem: tuple[int | None, str]) -> tuple[int, int]:
    return (0, problem[0]) if problem[0] is not None else (1, 0)


def _checkpoint_problem(stored: list[Checkpoint], exported: list[Checkpoint] | None, public_key: str) -> str:
    """The first thing wrong with the checkpoints themselves, or ""."""
    problems = checkpoints.problems_of(exported if exported is not None else stored, public_key)
    if problems:
        return problems[0]
    if exported is not None:
        roots = {checkpoint.day: checkpoint.root for checkpoint in stored}
        for checkpoint in exported:
            if roots.get(checkpoint.day) != checkpoint.root:
                return _("Điểm niêm phong ngày %(day)s trong cơ sở dữ liệu khác bản đã xuất hoặc đã bị xóa.") % {
                    "day": _shown(checkpoint.day)
                }
    return ""


def _check_event(chain: _Chain, event: AuditEvent, key: bytes) -> bool:
    """Check one event at the next position of its chain; on a problem record it and say False."""
    chain.position += 1
    n = chain.position
    if not hmac.compare_digest(event.compute_digest(key), event.digest):
        chain.problem = (
            event.pk,
            _("Sự kiện #%(id)s đã bị sửa đổi: mã kiểm tra không khớp với nội dung.") % {"id": event.pk},
        )
    elif event.prev_digest != chain.prev_digest:
        chain.problem = (
            event.pk,
            _(
                "Sự kiện #%(id)s không nối tiếp sự kiện đứng trước: có sự kiện đã bị xóa, "
                "chèn vào hoặc đổi chỗ trước nó."
            )
            % {"id": event.pk},
        )
    else:
        chain.problem = _seal_problem(chain, event, n)
    if chain.problem is None and chain.head and n == chain.head[0] and event.digest != chain.head[1]:
        chain.problem = (event.pk, _("Sự kiện #%(id)s không khớp với đầu chuỗi nhật ký.") % {"id": event.pk})
    if chain.problem is not None:
        return False
    chain.prev_digest, chain.prev_id = event.digest, event.pk
    return True


def _seal_problem(chain: _Chain, event: AuditEvent, n: int) -> tuple[int, str] | None:
    # The earliest day's end after the event's stamp: a sealed day must already have counted it.
    index = bisect.bisect_right([mark.cut for mark in chain.marks], event.at)
    if index < len(chain.marks) and n > chain.marks[index].count:
        return (
            event.pk,
            _("Sự kiện #%(id)s được ghi thêm sau khi ngày %(day)s đã được niêm phong.")
            % {"id": event.pk, "day": _shown(chain.marks[index].day)},
        )
    for mark in chain.marks:
        if mark.count == n and mark.digest != event.digest:
            return (
                event.pk,
                _("Sự kiện #%(id)s không phải sự kiện đã được niêm phong ngày %(day)s.")
                % {"id": event.pk, "day": _shown(mark.day)},
            )
    return None


def _check_end(chain: _Chain) -> None:
    """Events missing at the end of a chain: fewer than its head or a checkpoint counted."""
    expected = max([chain.head[0] if chain.head else 0, *(mark.count for mark in chain.marks)])
    if chain.position >= expected:
        return
    if chain.prev_id is None:
        chain.problem = (
            None,
            _("Chuỗi nhật ký “%(chain)s” trống nhưng đã ghi nhận %(count)s sự kiện: tất cả đã bị xóa.")
            % {"chain": chain.name or "-", "count": expected},
        )
    else:
        chain.problem = (
            chain.prev_id,
            _("Thiếu %(missing)s sự kiện sau sự kiện #%(id)s (sự kiện cuối còn nguyên vẹn).")
            % {"missing": expected - chain.position, "id": chain.prev_id},
        )


def _shown(day: str) -> str:
    year, month, date = day.split("-")
    return f"{date}/{month}/{year}"


def audit_events_for_dossier(*, code: str):
    """The events recorded for one dossier, oldest first."""
    return AuditEvent.objects.filter(dossier_code=code).order_by("id")
