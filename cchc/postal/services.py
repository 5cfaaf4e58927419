"""Writes for results sent by post: the officer's request, the order at VNPost (its waybill), the tracking
pulled from VNPost, and the delivery recorded as the return of the result."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.models import User
from cchc.audit.services import audit_record
from cchc.core import clock, jobs
from cchc.core.calendar import VN_TZ
from cchc.core.errors import ApplicationError, Conflict, PermissionDenied
from cchc.dossiers.models import Dossier, ReturnMethod
from cchc.dossiers.policies import may_act
from cchc.dossiers.services import ActionInput, dossier_act
from cchc.dossiers.workflow import Action, Status

from .client import ACCEPTED, ALREADY_EXISTS, VnpostClient, VnpostError, post_enabled
from .models import Shipment, ShipmentEvent

S = Shipment.State
LIVE = (S.REQUESTED, S.CREATED, S.PICKED_UP, S.IN_TRANSIT)
TRAVELLING = (S.CREATED, S.PICKED_UP, S.IN_TRANSIT)
MAX_ORDER_ATTEMPTS = 5
# VNPost's tracking codes are not public; these are the simulator's (docs/integrations.md: to confirm).
STATES_BY_CODE = {"100": S.CREATED, "200": S.PICKED_UP, "300": S.IN_TRANSIT, "500": S.DELIVERED, "600": S.RETURNED}


@transaction.atomic(durable=True)
def shipment_request(*, dossier: Dossier, officer: User, ip: str | None = None) -> Shipment:
    """The counter officer sends a ready result by post: a shipment to the applicant's address, whose
    VNPost order (and waybill) is made by a task once this commits. Asking twice changes nothing."""
    dossier = Dossier.objects.select_for_update(of=("self",)).select_related("agency").get(pk=dossier.pk)
    live = Shipment.objects.filter(dossier=dossier, state__in=LIVE).first()
    if live is not None:
        return live
    if not post_enabled():
        raise ApplicationError(_("Chưa cấu hình kết nối VNPost."), code="post_not_configured")
    if not may_act(officer, dossier, Action.RETURN_RESULT):
        raise PermissionDenied(_("Chỉ cán bộ Một cửa của cơ quan gửi kết quả qua bưu điện."), code="not_counter")
    if dossier.status != Status.RESULT_READY:
        raise Conflict(_("Hồ sơ chưa có kết quả để gửi."), code="not_ready")
    if dossier.return_method != ReturnMethod.POST:
        raise Conflict(_("Người nộp không chọn nhận kết quả qua bưu chính."), code="not_by_post")
    if not dossier.applicant_address or not dossier.applicant_phone:
        raise ApplicationError(
            _("Cần địa chỉ và số điện thoại của người nhận để gửi qua bưu điện."), code="receiver_incomplete"
        )
    shipment = Shipment.objects.create(
        dossier=dossier,
        receiver_name=dossier.applicant_name,
        receiver_phone=dossier.applicant_phone,
        receiver_address=dossier.applicant_address,
        requested_by=officer,
    )
    audit_record(
        action="postal.request",
        actor=officer,
        object_type="shipment",
        object_id=shipment.pk,
        dossier_code=dossier.code or "",
        ip=ip,
    )
    transaction.on_commit(lambda: _enqueue_order(shipment.pk))
    return shipment


def _enqueue_order(shipment_id: int) -> None:
    jobs.named("postal.create_order").enqueue(shipment_id)


def _order(shipment: Shipment) -> dict:
    agency = shipment.dossier.agency
    return {
        "OrderNumber": shipment.dossier.code,
        "CODAmount": 0,
        "Sender": {"Name": agency.name, "Address": agency.address, "Tel": agency.phone, "Email": agency.email},
        "Receiver": {
            "Name": shipment.receiver_name,
            "Address": shipment.receiver_address,
            "Tel": shipment.receiver_phone,
        },
        "Description": _("Kết quả giải quyết thủ tục hành chính, hồ sơ %(code)s") % {"code": shipment.dossier.code},
    }


def shipment_create_order(*, shipment_id: int) -> Shipment:
    """Make the VNPost order of a requested shipment and keep its waybill. An order VNPost already has (the
    same dossier code) gives back its waybill; a refusal is retried a few times, then left for the officer."""
    shipment = Shipment.objects.select_related("dossier__agency").get(pk=shipment_id)
    if shipment.state != S.REQUESTED:
        return shipment
    try:
        answer = VnpostClient().create_order(_order(shipment))
    except VnpostError as exc:
        Shipment.objects.filter(pk=shipment.pk).update(last_error=str(exc)[:2000], attempts=shipment.attempts + 1)
        return shipment
    status = str(answer.get("Status", ""))
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
        shipment.attempts += 1
        if status in (ACCEPTED, ALREADY_EXISTS) and answer.get("ItemCode"):
            shipment.waybill, shipment.state, shipment.last_error = str(answer["ItemCode"])[:40], S.CREATED, ""
        else:
            shipment.last_error = _("VNPost từ chối (mã %(code)s): %(message)s") % {
                "code": status or "?",
                "message": answer.get("Message", ""),
            }
            if shipment.attempts >= MAX_ORDER_ATTEMPTS:
                shipment.state = S.FAILED
        shipment.save(update_fields=["waybill", "state", "last_error", "attempts"])
    return shipment


def _moment(text: str) -> datetime:
    for pattern in ("%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=VN_TZ)
        except (TypeError, ValueError):
            continue
    return clock.now()


def shipment_track(*, shipment: Shipment, client: VnpostClient | None = None) -> Shipment:
    """Pull the parcel's journey from VNPost, keep each new step once, and when it is delivered record the
    return of the result (as the officer who sent it)."""
    client = client or VnpostClient()
    answer = client.tracking(shipment.dossier.code)
    if str(answer.get("Status")) != ACCEPTED:
        Shipment.objects.filter(pk=shipment.pk).update(
            last_error=_("VNPost: %(message)s") % {"message": answer.get("Message", "")}, tracked_at=clock.now()
        )
        return shipment
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
        state = shipment.state
        for step in answer.get("Data") or []:
            code = str(step.get("StatusCode", ""))
            at = _moment(str(step.get("Time", "")))
            ShipmentEvent.objects.get_or_create(
                shipment=shipment, code=code, at=at, defaults={"label": str(step.get("StatusName", ""))[:255]}
            )
            state = STATES_BY_CODE.get(code, state)
            if state == S.DELIVERED and shipment.delivered_at is None:
                shipment.delivered_at = at
        shipment.state, shipment.tracked_at = state, clock.now()
        shipment.save(update_fields=["state", "tracked_at", "delivered_at"])
    if shipment.state == S.DELIVERED:
        _record_delivery(shipment)
    return shipment


def _record_delivery(shipment: Shipment) -> None:
    dossier = shipment.dossier
    if dossier.status != Status.RESULT_READY:
        return
    comment = _("VNPost đã phát bưu gửi %(waybill)s lúc %(at)s.") % {
        "waybill": shipment.waybill,
        "at": timezone.localtime(shipment.delivered_at).strftime("%H:%M %d/%m/%Y"),
    }
    try:
        dossier_act(
            dossier=dossier,
            actor=shipment.requested_by,
            action=Action.RETURN_RESULT,
            data=ActionInput(comment=comment, return_method=ReturnMethod.POST),
        )
    except ApplicationError as exc:
        Shipment.objects.filter(pk=shipment.pk).update(
            last_error=_("Đã phát nhưng chưa ghi nhận trả kết quả: %(why)s") % {"why": exc.message}
        )


def shipments_track() -> dict:
    """The scheduler's round: orders not made yet are tried again, parcels on their way are tracked."""
    if not post_enabled():
        return {}
    report = {"ordered": 0, "tracked": 0, "delivered": 0, "errors": 0}
    for shipment_id in Shipment.objects.filter(state=S.REQUESTED).values_list("pk", flat=True):
        if shipment_create_order(shipment_id=shipment_id).state == S.CREATED:
            report["ordered"] += 1
    client = VnpostClient()
    for shipment in Shipment.objects.filter(state__in=TRAVELLING).select_related("dossier", "requested_by"):
        try:
            tracked = shipment_track(shipment=shipment, client=client)
        except VnpostError:
            report["errors"] += 1
            continue
        report["tracked"] += 1
        report["delivered"] += tracked.state == S.DELIVERED
    return report
