"""Every write on appointments goes through here. Writers lock the agency's counters (by id) first:
that serialises bookings, check-ins and calls at one office, so a slot is never over-booked and
queue numbers never repeat."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.roles import APPLICANT_ROLES, RECEIVES_AT_COUNTER
from cchc.audit.services import audit_record
from cchc.core import clock
from cchc.core.calendar import VN_TZ
from cchc.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from cchc.procedures.selectors import agency_calendar

from .models import Booking, Counter
from .rules import slot_start_valid
from .selectors import bookable_days, counters_serving, slot_capacity, slot_taken
from .workflow import Status, can_move

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# A citizen may check in from an hour before their slot until its end.
EARLY_CHECK_IN = timedelta(hours=1)


def _lock_agency(agency_id: int) -> list[Counter]:
    return list(Counter.objects.select_for_update().filter(agency_id=agency_id).order_by("pk"))


def _audit(booking: Booking, action: str, actor, **data) -> None:
    audit_record(
        action=f"appointment.{action}",
        actor=actor,
        object_type="booking",
        object_id=booking.pk,
        data={"code": booking.code, "status": booking.status, **data},
    )


def _move(booking: Booking, new: str) -> None:
    if not can_move(booking.status, new):
        raise Conflict(
            _("Lịch hẹn đang ở trạng thái “%(status)s”, không thể chuyển sang “%(new)s”.")
            % {"status": Status(booking.status).label, "new": Status(new).label},
            code="booking_transition",
        )
    booking.status = new


def booking_create(*, citizen, agency, procedure, slot_start: datetime) -> Booking:
    """A citizen books a place in a slot at an office for a procedure."""
    if citizen.role not in APPLICANT_ROLES:
        raise PermissionDenied(_("Chỉ người dân, doanh nghiệp đặt lịch hẹn."), code="not_applicant")
    minutes = settings.CCHC_APPOINTMENT_SLOT_MINUTES
    local = slot_start.astimezone(VN_TZ)
    if (
        slot_start <= clock.now()
        or local.date() not in bookable_days(agency=agency)
        or not agency_calendar(agency).is_working_day(local.date())
        or not slot_start_valid(agency.office_hours, slot_start, minutes)
    ):
        raise ApplicationError(_("Khung giờ đã chọn không hợp lệ hoặc đã qua."), code="slot_invalid")
    with transaction.atomic(durable=True):
        _lock_agency(agency.pk)
        if not counters_serving(agency=agency, procedure=procedure).exists():
            raise ApplicationError(_("Cơ quan chưa có quầy tiếp nhận thủ tục này."), code="no_counter")
        if Booking.objects.filter(
            citizen=citizen, slot_start=slot_start, status__in=(Status.BOOKED, Status.ARRIVED)
        ).exists():
            raise Conflict(_("Bạn đã có lịch hẹn trong khung giờ này."), code="already_booked")
        if slot_taken(agency=agency, procedure=procedure, start=slot_start) >= slot_capacity(
            agency=agency, procedure=procedure
        ):
            raise Conflict(_("Khung giờ này đã hết chỗ; vui lòng chọn khung giờ khác."), code="slot_full")
        booking = Booking.objects.create(
            code="".join(secrets.choice(ALPHABET) for _ in range(8)),
            agency=agency,
            procedure=procedure,
            citizen=citizen,
            slot_start=slot_start,
            slot_end=slot_start + timedelta(minutes=minutes),
        )
        _audit(booking, "booked", citizen, slot=booking.slot_start.isoformat())
    return booking


def booking_cancel(*, booking: Booking, user) -> Booking:
    with transaction.atomic(durable=True):
        _lock_agency(booking.agency_id)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.citizen_id != user.pk:
            raise NotFound(_("Không tìm thấy lịch hẹn."), code="booking_not_found")
        if booking.status == Status.CANCELLED:
            return booking
        _move(booking, Status.CANCELLED)
        booking.closed_at = clock.now()
        booking.save(update_fields=["status", "closed_at"])
        _audit(booking, "cancelled", user)
    return booking


def _is_counter_officer(user, agency_id: int) -> bool:
    return user.role in RECEIVES_AT_COUNTER and user.agency_id == agency_id


def booking_check_in(*, code: str, agency, operator) -> Booking:
    """At the kiosk: the booking's holder arrives and gets the day's next queue number (idempotent)."""
    if not _is_counter_officer(operator, agency.pk):
        raise PermissionDenied(_("Máy lấy số chỉ dùng tại Bộ phận Một cửa của cơ quan."), code="not_kiosk")
    now = clock.now()
    with transaction.atomic(durable=True):
        _lock_agency(agency.pk)
        booking = Booking.objects.select_for_update().filter(code=code.strip().upper()[:12], agency=agency).first()
        if booking is None:
            raise NotFound(_("Không tìm thấy lịch hẹn với mã này tại cơ quan."), code="booking_not_found")
        if booking.status == Status.ARRIVED:
            return booking
        if booking.status == Status.BOOKED and not (booking.slot_start - EARLY_CHECK_IN <= now <= booking.slot_end):
            raise ApplicationError(
                _("Chỉ lấy số được từ 60 phút trước giờ hẹn đến hết khung giờ hẹn."), code="not_check_in_time"
            )
        _move(booking, Status.ARRIVED)
        day = timezone.localtime(now, VN_TZ).date()
        last = (
            Booking.objects.filter(agency=agency, queue_day=day)
            .order_by("-queue_number")
            .values_list("queue_number", flat=True)
            .first()
        )
        booking.queue_day, booking.queue_number, booking.arrived_at = day, (last or 0) + 1, now
        booking.save(update_fields=["status", "queue_day", "queue_number", "arrived_at"])
        _audit(booking, "arrived", operator, queue_number=booking.queue_number)
    return booking


def counter_call_next(*, counter: Counter, officer) -> Booking | None:
    """The counter calls the next arrived number it serves (None when nobody waits)."""
    if not _is_counter_officer(officer, counter.agency_id):
        raise PermissionDenied(_("Chỉ cán bộ Bộ phận Một cửa của cơ quan gọi số."), code="not_counter")
    with transaction.atomic(durable=True):
        _lock_agency(counter.agency_id)
        if Booking.objects.filter(counter=counter, status=Status.CALLED).exists():
            raise Conflict(_("Quầy đang phục vụ một số; hãy kết thúc trước khi gọi số tiếp theo."), code="busy")
        waiting = Booking.objects.select_for_update().filter(
            agency_id=counter.agency_id,
            status=Status.ARRIVED,
            queue_day=timezone.localtime(clock.now(), VN_TZ).date(),
        )
        listed = list(counter.procedures.values_list("pk", flat=True))
        if listed:
            waiting = waiting.filter(procedure_id__in=listed)
        booking = waiting.order_by("queue_number").first()
        if booking is None:
            return None
        _move(booking, Status.CALLED)
        booking.counter, booking.called_at = counter, clock.now()
        booking.save(update_fields=["status", "counter", "called_at"])
        _audit(booking, "called", officer, counter=counter.name)
    return booking


def booking_close(*, booking: Booking, officer, served: bool) -> Booking:
    """The called person was served, or did not come to the counter (a no-show)."""
    if not _is_counter_officer(officer, booking.agency_id):
        raise PermissionDenied(_("Chỉ cán bộ Bộ phận Một cửa của cơ quan."), code="not_counter")
    with transaction.atomic(durable=True):
        _lock_agency(booking.agency_id)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        new = Status.SERVED if served else Status.NO_SHOW
        if booking.status == new:
            return booking
        _move(booking, new)
        booking.closed_at = clock.now()
        booking.save(update_fields=["status", "closed_at"])
        _audit(booking, "served" if served else "no_show", officer)
    return booking


def bookings_mark_no_shows(*, now: datetime | None = None) -> int:
    """Bookings nobody checked in for within the grace time after their slot began become no-shows,
    which gives their places back (the periodic job). Returns how many."""
    now = now or clock.now()
    grace = timedelta(minutes=settings.CCHC_APPOINTMENT_GRACE_MINUTES)
    late = Booking.objects.filter(status=Status.BOOKED, slot_start__lt=now - grace)
    count = 0
    for booking in late.order_by("pk")[:500]:
        with transaction.atomic():
            updated = Booking.objects.filter(pk=booking.pk, status=Status.BOOKED).update(
                status=Status.NO_SHOW, closed_at=now
            )
            if updated:
                booking.status = Status.NO_SHOW
                _audit(booking, "no_show", None, automatic=True)
                count += 1
    return count
