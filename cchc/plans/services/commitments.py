"""Unit commitments: targets, the unit head's signature, the leader's countersignature into a PAdES PDF."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.models import Unit, User
from cchc.audit.services import audit_record
from cchc.core import clock
from cchc.core.blobs import blob_of_bytes, blobs_put
from cchc.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from cchc.reports.config import INDICATOR_CODES

from .. import rules
from ..models import Commitment, CommitmentTarget
from ..policies import (
    may_countersign_commitment,
    may_edit_commitment,
    may_sign_commitment,
)
from ..workflow import (
    CommitmentStatus,
)
from .common import _clean
from .tasks import _raise


def _lock_commitment(commitment: Commitment) -> Commitment:
    return (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("agency", "unit", "signer", "countersigner")
        .get(pk=commitment.pk)
    )


def _countersign_check(commitment: Commitment, actor: User) -> None:
    if not may_countersign_commitment(actor, commitment):
        raise PermissionDenied(_("Chỉ lãnh đạo Sở được ký duyệt cam kết."), code="not_allowed")
    if commitment.status not in (CommitmentStatus.SIGNED_BY_UNIT, CommitmentStatus.COUNTERSIGNED):
        raise Conflict(_("Trưởng đơn vị cần ký cam kết trước khi lãnh đạo Sở ký duyệt."), code="not_signed_by_unit")


def _require_draft(commitment: Commitment) -> None:
    if commitment.status != CommitmentStatus.DRAFT:
        raise Conflict(_("Bản cam kết đã ký, không sửa được chỉ tiêu và nhiệm vụ."), code="commitment_frozen")


def commitment_draft(*, actor: User, unit: Unit, year: int) -> Commitment:
    """The unit's commitment for `year`, drafted with the unit's tasks from the plan. Drafting it
    again returns the one that exists."""
    if unit.agency_id != actor.agency_id:
        raise NotFound(_("Không tìm thấy đơn vị."), code="unit_not_found")
    probe = Commitment(agency_id=unit.agency_id, unit=unit, year=year)
    if not may_edit_commitment(actor, probe):
        raise PermissionDenied(_("Bạn không được lập cam kết cho đơn vị này."), code="not_allowed")
    if not 2000 <= int(year) <= 2100:
        raise ApplicationError(_("Năm cam kết không hợp lệ."), code="invalid_year")
    with transaction.atomic():
        existing = Commitment.objects.filter(agency_id=unit.agency_id, unit=unit, year=year).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():  # a double-click's second request lands here
                commitment = Commitment.objects.create(agency_id=unit.agency_id, unit=unit, year=year, created_by=actor)
        except IntegrityError:
            return Commitment.objects.get(agency_id=unit.agency_id, unit=unit, year=year)
        from ..selectors import unit_tasks_for_commitment

        commitment.tasks.set(unit_tasks_for_commitment(commitment))
        audit_record(
            action="plan.commitment.draft",
            actor=actor,
            object_type="commitment",
            object_id=commitment.pk,
            data={"unit": unit.code, "year": year, "tasks": commitment.tasks.count()},
        )
    return commitment


def _target_errors(*, label: str, indicator: str, comparison: str, target) -> list[tuple[str, str]]:
    errors = []
    if not label:
        errors.append(("label", _("Cần ghi tên chỉ tiêu.")))
    if indicator and indicator not in INDICATOR_CODES:
        errors.append(("indicator", _("Chỉ số không có trong Bộ chỉ số phục vụ.")))
    if comparison not in (rules.GTE, rules.LTE):
        errors.append(("comparison", _("Chọn ≥ hoặc ≤.")))
    if target is None or not 0 <= target <= 100:
        errors.append(("target", _("Mục tiêu là tỷ lệ từ 0 đến 100%.")))
    return errors


def commitment_target_add(
    *, commitment: Commitment, actor: User, label: str, indicator: str = "", comparison: str = rules.GTE, target
) -> CommitmentTarget:
    """A target linked to a live indicator (or measured by hand when `indicator` is blank). Draft only."""
    label, indicator = _clean(label), _clean(indicator)
    _raise(_target_errors(label=label, indicator=indicator, comparison=comparison, target=target), "invalid_target")
    with transaction.atomic():
        commitment = _lock_commitment(commitment)
        if not may_edit_commitment(actor, commitment):
            raise PermissionDenied(_("Bạn không được sửa cam kết của đơn vị này."), code="not_allowed")
        _require_draft(commitment)
        order = commitment.targets.count() + 1
        item = CommitmentTarget.objects.create(
            commitment=commitment, order=order, label=label, indicator=indicator, comparison=comparison, target=target
        )
        audit_record(
            action="plan.commitment.target_add",
            actor=actor,
            object_type="commitment",
            object_id=commitment.pk,
            data={"label": label, "indicator": indicator, "comparison": comparison, "target": target},
        )
    return item


def commitment_target_remove(*, commitment: Commitment, actor: User, target_id: int) -> None:
    with transaction.atomic():
        commitment = _lock_commitment(commitment)
        if not may_edit_commitment(actor, commitment):
            raise PermissionDenied(_("Bạn không được sửa cam kết của đơn vị này."), code="not_allowed")
        _require_draft(commitment)
        item = commitment.targets.filter(pk=target_id).first()
        if item is None:
            return
        item.delete()
        audit_record(
            action="plan.commitment.target_remove",
            actor=actor,
            object_type="commitment",
            object_id=commitment.pk,
            data={"label": item.label},
        )


def commitment_target_record_actual(*, commitment: Commitment, actor: User, target_id: int, value) -> CommitmentTarget:
    """The figure of a target measured by hand (not part of the signed terms: recorded any time)."""
    if value is not None and not 0 <= value <= 100:
        raise ApplicationError(_("Kết quả là tỷ lệ từ 0 đến 100%."), code="invalid_actual")
    with transaction.atomic():
        commitment = _lock_commitment(commitment)
        if not may_edit_commitment(actor, commitment):
            raise PermissionDenied(_("Bạn không được cập nhật cam kết của đơn vị này."), code="not_allowed")
        item = commitment.targets.filter(pk=target_id).first()
        if item is None:
            raise NotFound(_("Không tìm thấy chỉ tiêu."), code="target_not_found")
        if item.indicator:
            raise ApplicationError(_("Chỉ tiêu này lấy số liệu từ hệ thống, không nhập tay."), code="target_is_live")
        if item.manual_actual == value:
            return item
        old = item.manual_actual
        item.manual_actual = value
        item.save(update_fields=["manual_actual"])
        audit_record(
            action="plan.commitment.actual",
            actor=actor,
            object_type="commitment",
            object_id=commitment.pk,
            data={"label": item.label, "from": old, "to": value},
        )
    return item


def commitment_tasks_set(*, commitment: Commitment, actor: User, task_ids: list[int]) -> Commitment:
    """Which of the unit's plan tasks the commitment names. Draft only."""
    from ..selectors import unit_tasks_for_commitment

    with transaction.atomic():
        commitment = _lock_commitment(commitment)
        if not may_edit_commitment(actor, commitment):
            raise PermissionDenied(_("Bạn không được sửa cam kết của đơn vị này."), code="not_allowed")
        _require_draft(commitment)
        allowed = {t.pk: t for t in unit_tasks_for_commitment(commitment)}
        wanted = {int(pk) for pk in task_ids}
        if wanted - set(allowed):
            raise ApplicationError(
                _("Chỉ chọn được nhiệm vụ của đơn vị trong kế hoạch năm %(year)s.") % {"year": commitment.year},
                code="invalid_tasks",
            )
        current = set(commitment.tasks.values_list("pk", flat=True))
        if current == wanted:
            return commitment
        commitment.tasks.set([allowed[pk] for pk in wanted])
        audit_record(
            action="plan.commitment.tasks",
            actor=actor,
            object_type="commitment",
            object_id=commitment.pk,
            data={"tasks": sorted(allowed[pk].code for pk in wanted)},
        )
    return commitment


def commitment_sign(*, commitment: Commitment, actor: User) -> Commitment:
    """The head of the unit signs the commitment. Signing again changes nothing."""
    with transaction.atomic():
        commitment = _lock_commitment(commitment)
        if not may_sign_commitment(actor, commitment):
            raise PermissionDenied(
                _("Chỉ trưởng đơn vị %(unit)s được ký cam kết này.") % {"unit": commitment.unit.name},
                code="not_allowed",
            )
        if commitment.status != CommitmentStatus.DRAFT:
            return commitment
        if not commitment.targets.exists():
            raise ApplicationError(_("Cam kết cần ít nhất một chỉ tiêu trước khi ký."), code="no_targets")
        commitment.status = CommitmentStatus.SIGNED_BY_UNIT
        commitment.signer = actor
        commitment.signed_at = clock.now().replace(microsecond=0)
        commitment.save(update_fields=["status", "signer", "signed_at"])
        audit_record(
            action="plan.commitment.sign",
            actor=actor,
            object_type="commitment",
            object_id=commitment.pk,
            from_status=CommitmentStatus.DRAFT,
            to_status=commitment.status,
            data={
                "unit": commitment.unit.code,
                "year": commitment.year,
                "targets": [(t.label, t.comparison, t.target) for t in commitment.targets.all()],
                "tasks": sorted(commitment.tasks.values_list("code", flat=True)),
            },
        )
    return commitment


def _stamp_lines(commitment: Commitment, at: datetime) -> list[str]:
    signed = timezone.localtime(commitment.signed_at)
    local = timezone.localtime(at)
    return [
        _("Trưởng đơn vị ký: %(name)s (%(at)s)") % {"name": commitment.signer, "at": f"{signed:%H:%M %d/%m/%Y}"},
        _("Lãnh đạo Sở ký duyệt: %(name)s") % {"name": commitment.countersigner},
        commitment.agency.name,
        _("Thời gian ký số: %(at)s") % {"at": f"{local:%H:%M:%S %d/%m/%Y}"},
    ]


def commitment_countersign(*, commitment: Commitment, actor: User) -> Commitment:
    """A leader countersigns: the commitment (targets and tasks) is rendered to PDF, signed with the
    agency's certificate naming both signers, and kept; from then on it is frozen. Again: nothing.

    The PDF is rendered, signed and stored before the row is locked (signing takes a while; a
    signed unit's targets and tasks no longer change); the transaction re-checks the status and
    only references the stored file. A file a lost race leaves behind is swept (`core.blobs`)."""
    from cchc.results.signing import sign_pdf

    from ..documents import render_commitment

    current = Commitment.objects.select_related("agency", "unit", "signer", "countersigner").get(pk=commitment.pk)
    _countersign_check(current, actor)
    if current.status == CommitmentStatus.COUNTERSIGNED:
        return current
    at = clock.now().replace(microsecond=0)
    current.countersigner, current.countersigned_at = actor, at
    rendered = render_commitment(current)
    signed, certificate = sign_pdf(
        rendered.pdf,
        page=rendered.stamp_page,
        box=rendered.stamp_box,
        stamp_lines=_stamp_lines(current, at),
        signing_time=at,
        reason=_("Ký duyệt cam kết cải cách hành chính năm %(year)s của %(unit)s")
        % {"year": current.year, "unit": current.unit.name},
        location=current.agency.place_name or current.agency.name,
    )
    blob = blob_of_bytes(signed, ".pdf")
    blobs_put([blob])
    # Not durable: the reform demo loads each app's data in one transaction of its own.
    with transaction.atomic():
        commitment = _lock_commitment(commitment)
        _countersign_check(commitment, actor)
        if commitment.status == CommitmentStatus.COUNTERSIGNED:
            return commitment
        commitment.countersigner = actor
        commitment.countersigned_at = at
        commitment.sha256 = blob.sha256
        commitment.certificate_fingerprint = certificate.fingerprint
        commitment.status = CommitmentStatus.COUNTERSIGNED
        commitment.file = blob.name
        commitment.save(
            update_fields=["status", "countersigner", "countersigned_at", "sha256", "certificate_fingerprint", "file"]
        )
        audit_record(
            action="plan.commitment.countersign",
            actor=actor,
            object_type="commitment",
            object_id=commitment.pk,
            from_status=CommitmentStatus.SIGNED_BY_UNIT,
            to_status=commitment.status,
            data={
                "unit": commitment.unit.code,
                "year": commitment.year,
                "signer": commitment.signer.username,
                "sha256": commitment.sha256,
                "certificate": certificate.fingerprint,
            },
        )
    return commitment
