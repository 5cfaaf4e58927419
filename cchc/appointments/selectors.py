"""Reads on appointments, each with its access scope."""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cchc.core import clock
from cchc.core.calendar import VN_TZ
from cchc.procedures.selectors import agency_calendar

from .models import Booking, Counter
from .rules import day_slots
from .workflow import HOLDS_PLACE, Status


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    capacity: int
    taken: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)


def counters_serving(*, agency, procedure) -> QuerySet[Counter]:
    """The agency's open counters that take `procedure` (a counter listing no procedure takes all)."""
    return (
        Counter.objects.filter(agency=agency, active=True)
        .annotate(listed=Count("procedures"))
        .filter(Q(listed=0) | Q(procedures=procedure))
        .distinct()
    )


def slot_capacity(*, agency, procedure) -> int:
    return sum(counter.capacity for counter in counters_serving(agency=agency, procedure=procedure))


def competing(*, agency, procedure) -> QuerySet[Booking]:
    """Bookings that hold places at the counters serving `procedure`: every booking at the agency when
    one of them takes every procedure, else those for the procedures they take."""
    counters = list(counters_serving(agency=agency, procedure=procedure).prefetch_related("procedures"))
    bookings = Booking.objects.filter(agency=agency, status__in=HOLDS_PLACE)
    if any(not counter.procedures.all() for counter in counters):
        return bookings
    return bookings.filter(procedure_id__in={p.pk for counter in counters for p in counter.procedures.all()})


def slot_taken(*, agency, procedure, start: datetime) -> int:
    return competing(agency=agency, procedure=procedure).filter(slot_start=start).count()


def free_slots(*, agency, procedure, day: date, now: datetime | None = None) -> list[Slot]:
    """The day's slots that start after `now`, with their capacity and places taken (working days only)."""
    calendar = agency_calendar(agency)
    if not calendar.is_working_day(day):
        return []
    capacity = slot_capacity(agency=agency, procedure=procedure)
    if capacity == 0:
        return []
    now = now or clock.now()
    slots = [
        (start, end)
        for start, end in day_slots(agency.office_hours, day, settings.CCHC_APPOINTMENT_SLOT_MINUTES)
        if start > now
    ]
    taken = dict(
        competing(agency=agency, procedure=procedure)
        .filter(slot_start__in=[s for s, _e in slots])
        .values("slot_start")
        .annotate(n=Count("id"))
        .values_list("slot_start", "n")
    )
    return [Slot(start, end, capacity, taken.get(start, 0)) for start, end in slots]


def bookable_days(*, agency, today: date | None = None) -> list[date]:
    """The next working days a citizen may book (`CCHC_APPOINTMENT_DAYS_AHEAD`), today included."""
    calendar = agency_calendar(agency)
    day = today or timezone.localtime(clock.now(), VN_TZ).date()
    days = [day] if calendar.is_working_day(day) else []
    while len(days) < settings.CCHC_APPOINTMENT_DAYS_AHEAD:
        day = calendar.next_working_day(day)
        days.append(day)
    return days


def bookings_of(*, user) -> QuerySet[Booking]:
    """A citizen's own bookings only."""
    return Booking.objects.filter(citizen=user).select_related("agency", "procedure", "counter").order_by("-slot_start")


def queue_of(*, agency, day: date) -> QuerySet[Booking]:
    """The day's queue at the agency: arrived and called, by queue number (for its officers)."""
    return (
        Booking.objects.filter(agency=agency, queue_day=day, status__in=(Status.ARRIVED, Status.CALLED))
        .select_related("procedure", "counter", "citizen")
        .order_by("queue_number")
    )
