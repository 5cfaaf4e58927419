"""Appointments at the counter: booking a slot (capacity per counter and slot, the working calendar),
a queue number at the kiosk, the counter calling the next number, no-shows freeing their place."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cchc.appointments.models import Booking, Counter
from cchc.appointments.rules import day_slots
from cchc.appointments.selectors import bookable_days, free_slots, slot_taken
from cchc.appointments.services import (
    booking_cancel,
    booking_check_in,
    booking_close,
    booking_create,
    bookings_mark_no_shows,
    counter_call_next,
)
from cchc.appointments.workflow import Status
from cchc.audit.models import AuditEvent
from cchc.core.calendar import VN_TZ
from cchc.core.errors import ApplicationError, Conflict
from cchc.dossiers.tests.helpers import user
from cchc.procedures.models import Procedure

CODE = "1.000010"
OTHER = "1.003683"


@pytest.fixture
def office(db, demo):
    Counter.objects.all().delete()  # the demo's counters take every procedure: start from one counter
    counter = Counter.objects.create(agency=demo, name="Quầy 1", capacity=1)
    counter.procedures.add(Procedure.objects.get(code=CODE))
    return counter


def _slot(agency, day_index=1):
    day = bookable_days(agency=agency)[day_index]
    return free_slots(agency=agency, procedure=Procedure.objects.get(code=CODE), day=day)[0]


def _book(agency, slot, username="congdan", code=CODE):
    return booking_create(
        citizen=user(username), agency=agency, procedure=Procedure.objects.get(code=code), slot_start=slot.start
    )


@pytest.fixture
def at(monkeypatch):
    """Move the clock to `moment` (check-in and calls happen on the day of the slot)."""

    def move(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return move


@pytest.mark.django_db
def test_a_slot_takes_as_many_people_as_its_counters_and_no_more(demo, office):
    slot = _slot(demo)
    booking = _book(demo, slot)
    assert booking.status == Status.BOOKED and booking.slot_end - booking.slot_start == timedelta(minutes=30)
    with pytest.raises(Conflict, match="hết chỗ"):
        _book(demo, slot, username="congdan2")
    assert Booking.objects.count() == 1
    second = Counter.objects.create(agency=demo, name="Quầy 2", capacity=1)  # serves every procedure
    _book(demo, slot, username="congdan2")
    assert second.capacity == 1
    assert slot_taken(agency=demo, procedure=Procedure.objects.get(code=CODE), start=slot.start) == 2
    assert AuditEvent.objects.filter(action="appointment.booked").count() == 2


@pytest.mark.django_db
def test_slots_follow_the_working_calendar(demo, office):
    procedure = Procedure.objects.get(code=CODE)
    days = bookable_days(agency=demo)
    assert all(day.weekday() < 5 for day in days)
    sunday = days[0] + timedelta(days=(6 - days[0].weekday()))
    assert free_slots(agency=demo, procedure=procedure, day=sunday) == []
    at_night = datetime.combine(days[1], time(3, 0), tzinfo=VN_TZ)
    with pytest.raises(ApplicationError, match="không hợp lệ"):
        booking_create(citizen=user("congdan"), agency=demo, procedure=procedure, slot_start=at_night)
    with pytest.raises(ApplicationError, match="chưa có quầy"):
        _book(demo, _slot(demo), code=OTHER)


@pytest.mark.django_db
def test_a_cancelled_booking_gives_its_place_back(demo, office):
    slot = _slot(demo)
    booking = _book(demo, slot)
    booking_cancel(booking=booking, user=user("congdan"))
    assert _book(demo, slot, username="congdan2").status == Status.BOOKED


@pytest.mark.django_db
def test_arrivals_get_numbers_in_order_and_the_counter_calls_them(demo, office, at):
    Counter.objects.filter(pk=office.pk).update(capacity=3)
    slot = _slot(demo)
    first, second = _book(demo, slot), _book(demo, slot, username="congdan2")
    at(slot.start - timedelta(minutes=10))
    officer = user("motcua")
    assert booking_check_in(code=second.code, agency=demo, operator=officer).queue_number == 1
    assert booking_check_in(code=first.code.lower(), agency=demo, operator=officer).queue_number == 2
    assert booking_check_in(code=first.code, agency=demo, operator=officer).queue_number == 2  # a second press
    called = counter_call_next(counter=office, officer=officer)
    assert called.pk == second.pk and called.status == Status.CALLED and called.counter == office
    with pytest.raises(Conflict):
        counter_call_next(counter=office, officer=officer)  # finish the one being served first
    booking_close(booking=called, officer=officer, served=True)
    nxt = counter_call_next(counter=office, officer=officer)
    assert nxt.pk == first.pk
    booking_close(booking=nxt, officer=officer, served=False)
    assert Booking.objects.get(pk=first.pk).status == Status.NO_SHOW
    assert counter_call_next(counter=office, officer=officer) is None


@pytest.mark.django_db
def test_check_in_is_refused_long_before_the_slot(demo, office, at):
    slot = _slot(demo)
    booking = _book(demo, slot)
    at(slot.start - timedelta(hours=3))
    with pytest.raises(ApplicationError, match="60 phút"):
        booking_check_in(code=booking.code, agency=demo, operator=user("motcua"))


@pytest.mark.django_db
def test_a_no_show_frees_the_slot(demo, office, at):
    slot = _slot(demo)
    booking = _book(demo, slot)
    at(slot.start + timedelta(minutes=5))
    assert bookings_mark_no_shows() == 0  # still within the grace time
    at(slot.start + timedelta(minutes=16))
    assert bookings_mark_no_shows() == 1
    assert Booking.objects.get(pk=booking.pk).status == Status.NO_SHOW
    assert slot_taken(agency=demo, procedure=Procedure.objects.get(code=CODE), start=slot.start) == 0


@pytest.mark.django_db
def test_the_pages_book_give_a_number_and_call_it(client, demo, office, at):
    procedure = Procedure.objects.get(code=CODE)
    day = bookable_days(agency=demo)[1]
    client.force_login(user("congdan"))
    query = {"agency": demo.pk, "procedure": procedure.pk, "day": day.strftime("%d/%m/%Y")}
    page = client.get("/lich-hen/dat/", query).content.decode()
    assert "còn 1 chỗ" in page
    slot = free_slots(agency=demo, procedure=procedure, day=day)[0]
    response = client.post("/lich-hen/dat/", {**query, "slot": slot.start.isoformat()})
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.code in client.get("/lich-hen/").content.decode()
    at(slot.start)
    client.force_login(user("motcua"))
    kiosk = client.post("/can-bo/lay-so/", {"code": booking.code}).content.decode()
    assert "001" in kiosk
    client.post("/can-bo/quay/", {"quay": office.pk, "action": "next"})
    assert "Đang phục vụ số 001" in client.get("/can-bo/quay/", {"quay": office.pk}).content.decode()
    client.force_login(user("congdan2"))
    assert client.post(f"/lich-hen/{booking.code}/huy/").status_code == 404  # another person's booking


@given(
    st.integers(min_value=5, max_value=120),
    st.lists(st.integers(min_value=0, max_value=23 * 60), min_size=2, max_size=4, unique=True),
)
def test_slots_stay_inside_office_hours_without_overlap(minutes, marks):
    marks = sorted(marks)
    hours = [(time(a // 60, a % 60), time(b // 60, b % 60)) for a, b in zip(marks[::2], marks[1::2], strict=False)]
    slots = day_slots(hours, date(2026, 12, 8), minutes)
    for start, end in slots:
        assert end - start == timedelta(minutes=minutes)
        assert any(
            datetime.combine(start.date(), a, tzinfo=VN_TZ) <= start
            and end <= datetime.combine(start.date(), b, tzinfo=VN_TZ)
            for a, b in hours
        )
    assert all(earlier[1] <= later[0] for earlier, later in zip(slots, slots[1:], strict=False))
