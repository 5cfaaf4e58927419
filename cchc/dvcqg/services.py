"""Writes of the DVCQG synchronisation: the outbox rows (in the transaction of each change), sending them
with retries in order per dossier, the operator's retry, and pulling dossiers lodged on the portal."""

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cchc.accounts.models import Agency, User
from cchc.audit.services import audit_record
from cchc.core import clock, jobs
from cchc.core.errors import ApplicationError, Conflict
from cchc.core.text import fold
from cchc.dossiers.models import Dossier, ReturnMethod
from cchc.dossiers.rules import ApplicantData
from cchc.dossiers.services import DocumentInput, dossier_receive_from_national_portal
from cchc.dossiers.workflow import FINAL, Action, Status
from cchc.procedures.models import Procedure

from . import protocol
from .client import DvcqgClient, DvcqgError, endpoints, sync_enabled
from .models import NationalDossier, OutboxMessage

Kind, State = OutboxMessage.Kind, OutboxMessage.State
# Attempts before a message is left for the operator; waits double from 1 minute up to 4 hours.
MAX_ATTEMPTS = 8
MAX_WAIT_MINUTES = 240
CLAIM_SECONDS = 300


# ---------------------------------------------------------------- recording changes (inside their transaction)


def _dossier_payload(dossier: Dossier) -> dict:
    version = dossier.procedure_version
    if "documents" in getattr(dossier, "_prefetched_objects_cache", {}):
        documents = dossier.documents.all()  # known already (a dossier just submitted, its components set)
    else:
        documents = dossier.documents.select_related("component")
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": dossier.procedure.code,
        "TenTTHC": version.name,
        "MaLinhVuc": version.field.code,
        "TenLinhVuc": version.field.name,
        "KenhThucHien": dossier.channel,
        "ChuHoSo": dossier.applicant_name,
        "LoaiDoiTuong": protocol.APPLICANT_KINDS.get(dossier.applicant_kind, "1"),
        "SoGiayToChuHoSo": dossier.applicant_identifier,
        "SoDienThoai": dossier.applicant_phone,
        "Email": dossier.applicant_email,
        "TrichYeuHoSo": version.name[:1000],
        "NgayNopHoSo": protocol.national_date(dossier.submitted_at),
        "NgayTiepNhan": protocol.national_date(dossier.received_at),
        "NgayHenTra": protocol.national_date(dossier.due_at),
        "NgayTra": protocol.national_date(dossier.returned_at),
        "TrangThaiHoSo": protocol.STATUS_CODES.get(dossier.status, "4"),
        "HinhThuc": protocol.BY_POST if dossier.return_method == ReturnMethod.POST else "0",
        "DonViXuLy": dossier.agency.name,
        "TaiKhoanDuocXacThucVoiVNeID": protocol.flag(dossier.applicant_identity_verified),
        "DuocThanhToanTrucTuyen": protocol.flag(dossier.paid_online),
        "TaiLieuNop": [
            {
                "TepDinhKemId": str(d.pk),
                "TenTepDinhKem": d.original_name or d.component.name,
                "MaThanhPhanHoSo": str(d.component_id),
                "DuocSoHoa": protocol.flag(d.digitised),
                "DuocTaiSuDung": protocol.flag(d.reused),
                "DuocLayTuKhoDMQG": protocol.flag(d.from_population_db),
            }
            for d in documents
        ],
        "DanhSachLePhi": [
            {"TenPhiLePhi": f.name, "Gia": f.amount_for(online=dossier.channel == "online"), "LoaiPhiLePhi": f.kind}
            for f in version.fees.all()
        ],
    }


def _progress_payload(dossier: Dossier, event) -> dict:
    actor = event.actor
    return {
        "MaHoSo": dossier.code,
        "NguoiXuLy": (actor.full_name or actor.username) if actor else dossier.applicant_name,
        "ChucDanh": actor.get_role_display() if actor else "",
        "ThoiDiemXuLy": protocol.national_date(event.at),
        "PhongBanXuLy": event.step_name,
        "NoiDungXuLy": " – ".join(filter(None, [str(Action(event.action).label), event.reason]))[:1000],
        "TrangThai": protocol.STATUS_CODES.get(dossier.status, "4"),
        "NgayBatDau": protocol.national_date(dossier.received_at or dossier.submitted_at),
        "NgayKetThucTheoQuyDinh": protocol.national_date(dossier.due_at),
    }


def _queue(dossier: Dossier, *, send: bool = True, **fields) -> OutboxMessage:
    """The message, and (unless another message of this change queued it) the job that sends the
    dossier's messages: queued in the change's transaction, it exists exactly when the message does
    (no commit of its own after the change's, no job lost to a crash in between)."""
    message = OutboxMessage.objects.create(agency_id=dossier.agency_id, dossier=dossier, **fields)
    if send:
        _enqueue_send(dossier.pk)
    return message


def _enqueue_send(dossier_id: int | None) -> None:
    jobs.enqueue_each(jobs.named("dvcqg.send_outbox"), [(dossier_id,)])


def outbox_on_dossier_changed(sender, dossier: Dossier, event, **kwargs) -> None:
    """`dossiers.hooks.dossier_changed` (inside the change's transaction): the change joins the outbox.

    The first change of a dossier that has a code creates it on the portal (DongBoHoSoMC); every later
    status change (and a new appointment) is a progress step (CapNhatTienDoHoSoMC); a final status also
    updates the dossier record (its return date, its final status)."""
    if not dossier.code or not sync_enabled():
        return
    if event.from_status == event.to_status and event.action != Action.APOLOGIZE:
        return
    # A dossier's first change with a code (its submission, or a counter intake) cannot be known yet.
    first = event.from_status in ("", None, Status.DRAFT)
    known = not first and OutboxMessage.objects.filter(dossier=dossier).exists()
    if not known:
        _queue(
            dossier,
            kind=Kind.DOSSIER,
            service=protocol.SERVICE_DOSSIER,
            payload={"isUpdating": "False", "data": _dossier_payload(dossier)},
            changed_at=event.at,
        )
        return
    _queue(
        dossier,
        kind=Kind.PROGRESS,
        service=protocol.SERVICE_PROGRESS,
        payload={"data": _progress_payload(dossier, event)},
        changed_at=event.at,
    )
    if dossier.status in FINAL or dossier.status == Status.RESULT_READY:
        _queue(
            dossier,
            send=False,  # the progress message's job sends both, in order
            kind=Kind.DOSSIER,
            service=protocol.SERVICE_DOSSIER,
            payload={"isUpdating": "True", "data": _dossier_payload(dossier)},
            changed_at=event.at,
        )


def _queue_offering(*, procedure: Procedure, version, agency: Agency, online_level: int | None) -> None:
    OutboxMessage.objects.create(
        kind=Kind.OFFERING,
        service=protocol.SERVICE_OFFERING,
        agency=agency,
        procedure=procedure,
        changed_at=clock.now(),
        payload={
            "data": {
                "MaTTHC": procedure.code,
                "TenTTHC": version.name,
                "MaDonVi": agency.code,
                "MucDo": str(online_level or version.online_level),
                "ThoiHanGiaiQuyet": f"{version.time_limit_value} {version.get_time_limit_unit_display()}",
                "PhiLePhi": [{"TenPhiLePhi": f.name, "SoTien": f.amount} for f in version.fees.all()],
                "NgayApDung": protocol.national_date(version.effective_from),
            }
        },
    )
    # Not urgent, and a catalogue import publishes many: the scheduler's next tick sends them.


def outbox_on_procedure_published(sender, procedure: Procedure, version, **kwargs) -> None:
    """`procedures.signals.procedure_published`: every agency offering the procedure tells the portal of
    the version in force (the procedure's own agency when no offering names another)."""
    if not sync_enabled():
        return
    offerings = list(procedure.offerings.select_related("agency"))
    if not offerings:
        _queue_offering(procedure=procedure, version=version, agency=procedure.agency, online_level=None)
    for offering in offerings:
        _queue_offering(
            procedure=procedure, version=version, agency=offering.agency, online_level=offering.online_level
        )


def outbox_on_offering_saved(sender, instance, **kwargs) -> None:
    """An agency starts offering a procedure, or changes how (`procedures.Offering` saved)."""
    version = instance.procedure.current_version
    if version is None or not sync_enabled():
        return
    _queue_offering(
        procedure=instance.procedure, version=version, agency=instance.agency, online_level=instance.online_level
    )


# ---------------------------------------------------------------- sending


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    waiting: int = 0


def _wait_after(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), MAX_WAIT_MINUTES))


def _claim(message: OutboxMessage, now: datetime) -> bool:
    """Only one sender works on a message at a time (a conditional update, checked by its row count)."""
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return bool(
        OutboxMessage.objects.filter(free, pk=message.pk, state=State.PENDING).update(
            claimed_until=now + timedelta(seconds=CLAIM_SECONDS)
        )
    )


def _national_code(message: OutboxMessage) -> str | None:
    if message.dossier_id is None:
        return None
    return NationalDossier.objects.filter(dossier_id=message.dossier_id).values_list("national_code", flat=True).first()


def _deliver(client: DvcqgClient, message: OutboxMessage) -> str:
    """Send one message: "" when the portal took it, otherwise the reason (Vietnamese)."""
    payload = dict(message.payload)
    data = dict(payload.pop("data"))
    national = _national_code(message)
    if national:
        data["MaHoSo"] = national
    agency_code = message.agency.code
    try:
        answer = client.call(message.service, agency_code=agency_code, data=[data], **payload)
        if message.kind == Kind.DOSSIER and payload.get("isUpdating") == "False" and protocol.already_exists(answer):
            answer = client.call(message.service, agency_code=agency_code, data=[data], isUpdating="True")
    except DvcqgError as exc:
        return str(exc)
    if protocol.succeeded(answer):
        return ""
    return _("Cổng DVCQG từ chối (mã %(code)s): %(message)s") % {
        "code": answer.get("error_code", "?"),
        "message": answer.get("message", ""),
    }


def _settle(message: OutboxMessage, *, error: str, at: datetime) -> bool:
    attempts = message.attempts + 1
    if not error:
        fields = {"state": State.SENT, "sent_at": at, "last_error": "", "next_attempt_at": None}
    else:
        state = State.FAILED if attempts >= MAX_ATTEMPTS else State.PENDING
        fields = {"state": state, "last_error": error[:2000], "next_attempt_at": at + _wait_after(attempts)}
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=attempts, claimed_until=None, **fields)
    return not error


def outbox_send(*, dossier_id: int | None = None, limit: int = 500) -> SendReport:
    """Send the messages that are due, oldest first. A dossier's message waits while an earlier one of the
    same dossier is unsent (order kept); a failure stops that dossier's queue until its retry."""
    report = SendReport()
    where = endpoints()
    if where is None:
        return report
    client = DvcqgClient(where)
    now = clock.now()
    due = OutboxMessage.objects.filter(state=State.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    if dossier_id is not None:
        due = due.filter(dossier_id=dossier_id)
    blocked: set[int] = set()
    for message in due.select_related("agency").order_by("id")[:limit]:
        if message.dossier_id is not None:
            earlier = OutboxMessage.objects.filter(dossier_id=message.dossier_id, id__lt=message.pk)
            if message.dossier_id in blocked or earlier.exclude(state=State.SENT).exists():
                blocked.add(message.dossier_id)
                report.waiting += 1
                continue
        if not _claim(message, now):
            report.waiting += 1
            blocked.add(message.dossier_id)
            continue
        if _settle(message, error=_deliver(client, message), at=clock.now()):
            report.sent += 1
        else:
            report.failed += 1
            if message.dossier_id is not None:
                blocked.add(message.dossier_id)
    return report


@transaction.atomic(durable=True)
def outbox_retry(*, message: OutboxMessage, actor: User) -> OutboxMessage:
    """The operator sends a stopped (or waiting) message again now; a sent one is not sent twice."""
    message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if message.state == State.SENT:
        raise Conflict(_("Thông điệp này đã được đồng bộ."), code="already_sent")
    message.state, message.next_attempt_at = State.PENDING, clock.now()
    message.save(update_fields=["state", "next_attempt_at"])
    audit_record(
        action="dvcqg.retry",
        actor=actor,
        object_type="dvcqg_outbox",
        object_id=message.pk,
        dossier_code=message.dossier.code if message.dossier_id else "",
        data={"attempts": message.attempts, "last_error": message.last_error[:200]},
    )
    transaction.on_commit(lambda: _enqueue_send(message.dossier_id))
    return message


# ---------------------------------------------------------------- pulling dossiers lodged on the portal


@dataclass
class PullReport:
    taken: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _applicant(item: dict) -> ApplicantData:
    business = str(item.get("LoaiDoiTuong", "1")) == "2"
    number = str(item.get("SoGiayToChuHoSo", "")).strip()
    return ApplicantData(
        kind="business" if business else "citizen",
        name=str(item.get("ChuHoSo", "")),
        id_number="" if business else number,
        tax_code=number if business else "",
        phone=str(item.get("SoDienThoai", "")),
        email=str(item.get("Email", "")),
        address=str(item.get("DiaChi", "")),
    )


def _documents(item: dict, procedure: Procedure) -> list[DocumentInput]:
    """The files lodged with the dossier, each matched to a component by its code or by its name."""
    components = list(procedure.current_version.components.all())
    by_code = {str(c.pk): c for c in components}
    by_name = {fold(c.name): c for c in components}
    documents = []
    for paper in item.get("TaiLieuNop") or []:
        component = by_code.get(str(paper.get("MaThanhPhanHoSo", ""))) or by_name.get(
            fold(str(paper.get("TenGiayTo", "")))
        )
        if component is None or not paper.get("Base64"):
            continue
        try:
            content = base64.b64decode(paper["Base64"], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ApplicationError(_("Tệp đính kèm không đọc được."), code="bad_attachment") from exc
        name = str(paper.get("TenTepDinhKem") or "tai-lieu.pdf")[:100]
        documents.append(DocumentInput(component_id=component.pk, file=SimpleUploadedFile(name, content)))
    return documents


def _take_lodged(item: dict, agency: Agency) -> Dossier:
    code = str(item.get("MaHoSo", "")).strip()
    procedure = (
        Procedure.objects.filter(
            Q(agency=agency) | Q(offerings__agency=agency), code=str(item.get("MaTTHC", "")).strip()
        )
        .select_related("current_version")
        .distinct()
        .first()
    )
    if procedure is None or procedure.current_version is None:
        raise ApplicationError(_("Thủ tục %(code)s không thuộc cơ quan.") % {"code": item.get("MaTTHC")})
    with transaction.atomic():
        dossier = dossier_receive_from_national_portal(
            procedure=procedure,
            agency=agency,
            applicant=_applicant(item),
            documents=_documents(item, procedure),
            return_method=ReturnMethod.POST if str(item.get("HinhThuc")) == protocol.BY_POST else ReturnMethod.COUNTER,
            lodged_at=protocol.parse_national_date(str(item.get("NgayNopHoSo", ""))),
        )
        NationalDossier.objects.create(
            national_code=code,
            dossier=dossier,
            lodged_at=protocol.parse_national_date(str(item.get("NgayNopHoSo", ""))),
        )
    return dossier


def national_pull(*, agency: Agency) -> PullReport:
    """Take the dossiers lodged on the national portal for `agency` into intake (status "submitted", so the
    counter receives them as any online dossier), then tell the portal each one arrived. A dossier already
    taken is only acknowledged again; one that cannot be taken is reported and left on the portal."""
    report = PullReport()
    client = DvcqgClient()
    answer = client.call(protocol.SERVICE_LODGED, agency_code=agency.code, share=True)
    if not protocol.succeeded(answer):
        raise DvcqgError(str(answer.get("message", "")))
    for item in answer.get("result") or []:
        code = str(item.get("MaHoSo", "")).strip() if isinstance(item, dict) else ""
        if not code:
            continue
        taken = NationalDossier.objects.filter(national_code=code).first()
        if taken is None:
            try:
                _take_lodged(item, agency)
            except ApplicationError as exc:
                report.skipped.append(f"{code}: {exc.message}")
                continue
            report.taken.append(code)
        acknowledged = client.call(protocol.SERVICE_LODGED_ACK, agency_code=agency.code, share=True, mahoso=code)
        if protocol.succeeded(acknowledged):
            NationalDossier.objects.filter(national_code=code, acknowledged_at__isnull=True).update(
                acknowledged_at=clock.now()
            )
    return report
