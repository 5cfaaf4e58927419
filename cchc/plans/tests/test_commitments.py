"""Commitments: drafting, signing by the unit head, countersigning into a signed PDF."""

import hashlib
from decimal import Decimal
from io import BytesIO
from unittest import mock

import pytest
from pypdf import PdfReader

from cchc.audit.models import AuditEvent
from cchc.core.errors import Conflict, PermissionDenied
from cchc.plans import services
from cchc.plans.models import Commitment
from cchc.plans.workflow import CommitmentStatus
from cchc.results.signing import sign_pdf
from cchc.results.verification import verify_pdf

from .conftest import unit, user


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages).split())


def draft(unit_code: str = "QLVT") -> Commitment:
    commitment = services.commitment_draft(actor=user("cchc"), unit=unit(unit_code), year=2026)
    services.commitment_target_add(
        commitment=commitment,
        actor=user("cchc"),
        label="Hồ sơ giải quyết đúng hạn",
        indicator="progress.on_time",
        comparison="gte",
        target=Decimal("98"),
    )
    return commitment


def signs(commitment: Commitment) -> int:
    return AuditEvent.objects.filter(
        object_type="commitment", object_id=str(commitment.pk), action__endswith="sign"
    ).count()


def test_the_draft_takes_the_units_tasks_from_the_plan_and_drafting_again_returns_it(task):
    commitment = draft()
    assert list(commitment.tasks.all()) == [task]
    assert services.commitment_draft(actor=user("truongphong"), unit=unit("QLVT"), year=2026) == commitment
    assert Commitment.objects.count() == 1


def test_a_unit_head_cannot_sign_another_units_commitment(demo):
    commitment = draft("KCHT")
    with pytest.raises(PermissionDenied):
        services.commitment_sign(commitment=commitment, actor=user("truongphong"))
    with pytest.raises(PermissionDenied):
        services.commitment_sign(commitment=commitment, actor=user("lanhdao"))
    commitment.refresh_from_db()
    assert (commitment.status, commitment.signer) == (CommitmentStatus.DRAFT, None)
    assert signs(commitment) == 0


def test_the_unit_head_signs_once_and_the_terms_are_then_frozen(demo):
    commitment = draft()
    services.commitment_sign(commitment=commitment, actor=user("truongphong"))
    services.commitment_sign(commitment=commitment, actor=user("truongphong"))
    commitment.refresh_from_db()
    assert (commitment.status, commitment.signer.username) == (CommitmentStatus.SIGNED_BY_UNIT, "truongphong")
    event = AuditEvent.objects.get(action="plan.commitment.sign", object_id=str(commitment.pk))
    assert event.actor_username == "truongphong" and event.data["unit"] == "QLVT"
    with pytest.raises(Conflict):
        services.commitment_target_add(
            commitment=commitment, actor=user("cchc"), label="Thêm sau khi ký", target=Decimal(50)
        )
    assert commitment.targets.count() == 1


def test_a_leader_countersigns_only_after_the_unit_head(demo, signing):
    commitment = draft()
    with pytest.raises(Conflict):
        services.commitment_countersign(commitment=commitment, actor=user("lanhdao"))
    services.commitment_sign(commitment=commitment, actor=user("truongphong"))
    for username in ("truongphong", "cchc", "chuyenvien"):
        with pytest.raises(PermissionDenied):
            services.commitment_countersign(commitment=commitment, actor=user(username))
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.SIGNED_BY_UNIT and not commitment.file


def test_countersigning_keeps_a_pdf_signed_by_the_agency_naming_both_signers(task, signing):
    commitment = draft()
    services.commitment_sign(commitment=commitment, actor=user("truongphong"))
    with mock.patch("cchc.results.signing.sign_pdf", wraps=sign_pdf) as signer:
        services.commitment_countersign(commitment=commitment, actor=user("lanhdao"))
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.COUNTERSIGNED
    stamp = signer.call_args.kwargs["stamp_lines"]
    assert stamp[0].startswith("Trưởng đơn vị ký: Đỗ Quang Phúc")
    assert stamp[1] == "Lãnh đạo Sở ký duyệt: Vũ Đức Giang"
    with commitment.file.open("rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == commitment.sha256
    report = verify_pdf(data)
    assert report.valid, report.reason
    assert report.signer == "Sở Giao thông vận tải tỉnh Bình Sơn (minh họa)"

    text = pdf_text(data)
    assert "CAM KẾT THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026" in text
    assert "Hồ sơ giải quyết đúng hạn" in text and task.title in text
    assert "THỦ TRƯỞNG ĐƠN VỊ" in text and "Đỗ Quang Phúc" in text and "Vũ Đức Giang" in text

    event = AuditEvent.objects.get(action="plan.commitment.countersign", object_id=str(commitment.pk))
    assert event.data["sha256"] == commitment.sha256 and event.actor_username == "lanhdao"
    # Again: nothing changes; and the terms stay frozen.
    services.commitment_countersign(commitment=commitment, actor=user("lanhdao"))
    commitment.refresh_from_db()
    assert signs(commitment) == 2 and hashlib.sha256(data).hexdigest() == commitment.sha256
    with pytest.raises(Conflict):
        services.commitment_tasks_set(commitment=commitment, actor=user("cchc"), task_ids=[])
    assert commitment.tasks.count() == 1


def test_a_manual_figure_can_be_recorded_but_a_live_one_cannot(demo):
    commitment = draft()
    manual = services.commitment_target_add(
        commitment=commitment, actor=user("truongphong"), label="Văn bản ký số", target=Decimal(95)
    )
    services.commitment_target_record_actual(
        commitment=commitment, actor=user("truongphong"), target_id=manual.pk, value=Decimal("96.5")
    )
    manual.refresh_from_db()
    assert manual.manual_actual == Decimal("96.5")
    live = commitment.targets.get(indicator="progress.on_time")
    with pytest.raises(Exception, match="lấy số liệu từ hệ thống"):
        services.commitment_target_record_actual(
            commitment=commitment, actor=user("truongphong"), target_id=live.pk, value=Decimal(99)
        )
